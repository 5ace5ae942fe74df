/*
 * json_corpus_test: tests of kr_json.c (the JSON reader/writer of CLuaShim).
 *
 *   json_corpus_test [FIXTURES_DIR]     (default: Tests/Fixtures/json)
 *
 * 1. valid/NAME.json: decode, encode, compare with valid/NAME.expected (its
 *    trailing line breaks ignored); the expected text must itself decode and
 *    re-encode to the same bytes (the canonical form is a fixed point).
 * 2. invalid/NAME.json: decoding must fail, leave the Lua stack as it was,
 *    and the message must contain invalid/NAME.error (trailing line breaks
 *    ignored).
 * 3. Cases written in Lua (below): decoder types and metatables, encoder
 *    behaviour on values built in Lua (__order, sequences, invalid UTF-8,
 *    NaN, cycles, odd keys, metamethods that must not run).
 * 4. Allocation failures: decoding under a memory cap at every step size.
 * 5. Decoding and encoding 200 levels deep fit in a 128 KB thread stack.
 *
 * Prints one line per failure and ends with "N passed, M failed";
 * the exit status is 1 when anything failed.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "kr_shim.h"

static int g_passed, g_failed;
static int g_obj_ref = LUA_NOREF, g_arr_ref = LUA_NOREF;

static void pass(void) { g_passed++; }

static void fail(const char *name, const char *fmt, const char *a, const char *b) {
    g_failed++;
    printf("FAIL %s: ", name);
    printf(fmt, a ? a : "", b ? b : "");
    printf("\n");
}

/* Reads a whole file; returns malloc'ed data (NUL-terminated) or NULL. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t cap = 0, n = 0;
    if (!f) return NULL;
    for (;;) {
        size_t r;
        if (n + 4096 + 1 > cap) {
            char *nd;
            cap = cap ? cap * 2 : 65536;
            nd = realloc(data, cap);
            if (!nd) { free(data); fclose(f); return NULL; }
            data = nd;
        }
        r = fread(data + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0) break;
    }
    fclose(f);
    data[n] = '\0';
    *len = n;
    return data;
}

static void chomp(char *s, size_t *len) {
    while (*len > 0 && (s[*len - 1] == '\n' || s[*len - 1] == '\r')) s[--*len] = '\0';
}

/* Shortens long texts for failure lines. */
static const char *clip(const char *s, size_t len, char *buf, size_t buflen) {
    if (len + 1 <= buflen) { memcpy(buf, s, len); buf[len] = '\0'; return buf; }
    memcpy(buf, s, buflen - 40);
    snprintf(buf + buflen - 40, 40, "... (%zu bytes)", len);
    return buf;
}

/* ---- protected decode/encode ---- */

typedef struct job {
    const char *text;
    size_t len;
    int use_mt;
    int rc;
    int top_ok;
    kr_buf *out;
    char err[512];
    char err_pl[512];
} job;

/* lua_pcall'ed: decode, then (if it worked) encode into job->out. */
static int run_job(lua_State *L) {
    job *j = (job *)lua_touserdata(L, 1);
    int top = lua_gettop(L);
    j->rc = kr_json_decode(L, j->text, j->len, j->use_mt ? g_obj_ref : LUA_NOREF,
                           j->use_mt ? g_arr_ref : LUA_NOREF, j->err, sizeof j->err, j->err_pl, sizeof j->err_pl);
    j->top_ok = lua_gettop(L) == top + (j->rc == 0 ? 1 : 0);
    if (j->rc != 0 || !j->out) return 0;
    j->rc = kr_json_encode(L, -1, g_arr_ref, j->out, j->err, sizeof j->err) == 0 ? 0 : 1;
    if (lua_gettop(L) != top + 1) j->top_ok = 0;
    return 0;
}

/* Returns the pcall status; fills j. */
static int protected_job(lua_State *L, job *j) {
    int st;
    j->rc = -9;
    j->top_ok = 1;
    j->err[0] = '\0';
    j->err_pl[0] = '\0';
    lua_pushcfunction(L, run_job);
    lua_pushlightuserdata(L, j);
    st = lua_pcall(L, 1, 0, 0);
    if (st != LUA_OK) {
        snprintf(j->err, sizeof j->err, "Lua error: %s", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    return st;
}

/* ---- corpus ---- */

static int has_suffix(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted list of the *.json names in dir (malloc'ed). */
static char **list_json(const char *dir, size_t *count) {
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    *count = 0;
    if (!d) return NULL;
    while ((de = readdir(d)) != NULL) {
        if (!has_suffix(de->d_name, ".json")) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
            if (!names) { closedir(d); return NULL; }
        }
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    *count = n;
    return names;
}

static void run_valid(lua_State *L, const char *dir) {
    size_t n, i;
    char path[4096];
    char **names;
    snprintf(path, sizeof path, "%s/valid", dir);
    names = list_json(path, &n);
    if (!names || n == 0) { fail("corpus", "no fixtures in %s/valid%s", dir, NULL); return; }
    for (i = 0; i < n; i++) {
        char name[512], c1[300], c2[300];
        size_t tlen, elen;
        char *text, *expected;
        kr_buf out;
        job j;
        size_t base = strlen(names[i]) - 5;
        snprintf(name, sizeof name, "valid/%.*s", (int)base, names[i]);
        snprintf(path, sizeof path, "%s/valid/%s", dir, names[i]);
        text = read_file(path, &tlen);
        snprintf(path, sizeof path, "%s/valid/%.*s.expected", dir, (int)base, names[i]);
        expected = read_file(path, &elen);
        if (!text || !expected) {
            fail(name, "cannot read the fixture or its .expected file%s%s", NULL, NULL);
            free(text); free(expected); free(names[i]);
            continue;
        }
        chomp(expected, &elen);
        kr_buf_init(&out);
        j.text = text; j.len = tlen; j.use_mt = 1; j.out = &out;
        protected_job(L, &j);
        if (j.rc != 0) {
            fail(name, "failed: %s%s", j.err, NULL);
        } else if (!j.top_ok) {
            fail(name, "the Lua stack is unbalanced%s%s", NULL, NULL);
        } else if (out.len != elen || memcmp(out.data, expected, elen) != 0) {
            fail(name, "got\n  %s\nexpected\n  %s", clip(out.data, out.len, c1, sizeof c1),
                 clip(expected, elen, c2, sizeof c2));
        } else {
            pass();
            /* the canonical form must be a fixed point */
            kr_buf_reset(&out);
            j.text = expected; j.len = elen;
            protected_job(L, &j);
            if (j.rc != 0 || out.len != elen || memcmp(out.data, expected, elen) != 0)
                fail(name, "the expected text is not canonical: %s%s", j.rc ? j.err : clip(out.data, out.len, c1, sizeof c1), NULL);
            else
                pass();
        }
        kr_buf_free(&out);
        free(text);
        free(expected);
        free(names[i]);
    }
    free(names);
}

/* "line L, column C: " and "wiersz L, kolumna C: " name the same place. */
static int same_place(const char *en, const char *pl) {
    long l1, c1, l2, c2;
    return sscanf(en, "line %ld, column %ld: ", &l1, &c1) == 2 && sscanf(pl, "wiersz %ld, kolumna %ld: ", &l2, &c2) == 2 &&
           l1 == l2 && c1 == c2;
}

/* An English word left in a Polish message (outside the pieces of the input it quotes), or NULL. */
static const char *english_in(const char *pl) {
    static const char *const words[] = { "expected", "unexpected", "invalid", "found", "the", "must", "after", "before",
        "allowed", "escape", "string", "object", "array", "number", "literal", "input", "key", "byte", "character",
        "surrogate", "lone", "line", "column", "deeper", "space", "closing", "missing", "digit", "value", "data", "is",
        "not", "of", "or", "in", "an", "end" };
    static char word[64];
    size_t i, n;
    char quote = 0;
    if (pl[0] == '\0') return "(empty)";
    for (i = 0; pl[i];) {
        unsigned char c = (unsigned char)pl[i];
        if (quote) { if (c == (unsigned char)quote) quote = 0; i++; continue; }
        if (c == '\'' || c == '"') { quote = (char)c; i++; continue; }
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c < 0x80) { i++; continue; }
        /* a word: ASCII letters and the bytes of other letters (ą, ł, ó ...) */
        for (n = 0; pl[i] && ((((unsigned char)pl[i] | 0x20) >= 'a' && ((unsigned char)pl[i] | 0x20) <= 'z') ||
                              (unsigned char)pl[i] >= 0x80); i++)
            if (n < sizeof word - 1) word[n++] = pl[i];
        word[n] = '\0';
        for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
            if (strcmp(word, words[k]) == 0) return words[k];
    }
    return NULL;
}

static void run_invalid(lua_State *L, const char *dir) {
    size_t n, i;
    char path[4096];
    char **names;
    snprintf(path, sizeof path, "%s/invalid", dir);
    names = list_json(path, &n);
    if (!names || n == 0) { fail("corpus", "no fixtures in %s/invalid%s", dir, NULL); return; }
    for (i = 0; i < n; i++) {
        char name[512];
        size_t tlen, elen;
        char *text, *want;
        job j;
        size_t base = strlen(names[i]) - 5;
        snprintf(name, sizeof name, "invalid/%.*s", (int)base, names[i]);
        snprintf(path, sizeof path, "%s/invalid/%s", dir, names[i]);
        text = read_file(path, &tlen);
        snprintf(path, sizeof path, "%s/invalid/%.*s.error", dir, (int)base, names[i]);
        want = read_file(path, &elen);
        if (!text || !want || elen == 0) {
            fail(name, "cannot read the fixture or its .error file%s%s", NULL, NULL);
            free(text); free(want); free(names[i]);
            continue;
        }
        chomp(want, &elen);
        j.text = text; j.len = tlen; j.use_mt = 1; j.out = NULL;
        protected_job(L, &j);
        if (j.rc == 0) fail(name, "was accepted%s%s", NULL, NULL);
        else if (j.rc != -1) fail(name, "%s%s", j.err, NULL);
        else if (!j.top_ok) fail(name, "the Lua stack changed on error%s%s", NULL, NULL);
        else if (!strstr(j.err, want)) fail(name, "message\n  %s\ndoes not contain\n  %s", j.err, want);
        else if (!same_place(j.err, j.err_pl)) fail(name, "the Polish message\n  %s\nis not at the place of\n  %s", j.err_pl, j.err);
        else if (english_in(j.err_pl)) fail(name, "the Polish message\n  %s\nhas English in it: %s", j.err_pl, english_in(j.err_pl));
        else pass();
        free(text);
        free(want);
        free(names[i]);
    }
    free(names);
}

/* ---- Lua-level helpers: decode(s [, plain]) and encode(v) ---- */

static int l_decode(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int plain = lua_toboolean(L, 2);
    char err[512], err_pl[512];
    int top = lua_gettop(L);
    if (kr_json_decode(L, s, len, plain ? LUA_NOREF : g_obj_ref, plain ? LUA_NOREF : g_arr_ref, err, sizeof err,
                       err_pl, sizeof err_pl) != 0) {
        if (lua_gettop(L) != top) return luaL_error(L, "decode: stack changed on error");
        lua_pushnil(L);
        lua_pushstring(L, err);
        lua_pushstring(L, err_pl);
        return 3;
    }
    if (lua_gettop(L) != top + 1) return luaL_error(L, "decode: stack unbalanced");
    return 1;
}

/* decode_profile(s) -> value, fused, extra: kr_json_decode_profile (the schema registered with fuse()
   applied while reading); fused says the reader found the value valid. */
int kr_valid_lua(lua_State *L);   /* kr_schema.c: KR_VALID */
static int l_decode_profile(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    char err[512];
    const void *plan = NULL;
    int extra = 0, top = lua_gettop(L);
    if (kr_json_decode_profile(L, s, len, g_obj_ref, g_arr_ref, err, sizeof err, NULL, 0, &plan, &extra) != 0) {
        lua_pushnil(L);
        lua_pushstring(L, err);
        return 2;
    }
    if (lua_gettop(L) != top + 1) return luaL_error(L, "decode_profile: stack unbalanced");
    lua_pushboolean(L, plan != NULL);
    lua_pushboolean(L, extra);
    return 3;
}

static int l_encode(lua_State *L) {
    kr_buf out;
    char err[512];
    int top, rc;
    lua_settop(L, 1);
    top = lua_gettop(L);
    kr_buf_init(&out);
    rc = kr_json_encode(L, 1, g_arr_ref, &out, err, sizeof err);
    if (lua_gettop(L) != top) { kr_buf_free(&out); return luaL_error(L, "encode: stack changed"); }
    if (rc != 0) {
        kr_buf_free(&out);
        lua_pushnil(L);
        lua_pushstring(L, err);
        return 2;
    }
    if (out.len > 0 && out.data[out.len] != '\0') { kr_buf_free(&out); return luaL_error(L, "encode: output not NUL-terminated"); }
    lua_pushlstring(L, out.data, out.len);
    kr_buf_free(&out);
    return 1;
}

static int l_report(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    if (lua_toboolean(L, 2)) {
        pass();
    } else {
        char full[300];
        snprintf(full, sizeof full, "lua/%s", name);
        fail(full, "%s%s", luaL_optstring(L, 3, "failed"), NULL);
    }
    return 0;
}

static const char *lua_cases =
    "local function show(v) if type(v) == 'string' then return string.format('%q', v) end return tostring(v) end\n"
    "local function case(name, fn)\n"
    "  local ok, err = pcall(fn)\n"
    "  kr_report(name, ok, not ok and tostring(err) or nil)\n"
    "end\n"
    "local function eq(got, want, what)\n"
    "  if got ~= want then error((what or '') .. ' got ' .. show(got) .. ', expected ' .. show(want), 2) end\n"
    "end\n"
    "local function enc(v, want) local s, err = encode(v); if s == nil then error('encode failed: ' .. err, 2) end; eq(s, want) end\n"
    "local function enc_err(v, want) local s, err = encode(v)\n"
    "  if s ~= nil then error('encode succeeded: ' .. s, 2) end\n"
    "  if not err:find(want, 1, true) then error('message ' .. show(err) .. ' lacks ' .. show(want), 2) end\n"
    "end\n"
    "local function dec(s) local v, err = decode(s); if err then error('decode failed: ' .. err, 2) end; return v end\n"
    "\n"
    "-- decoder: types and metatables\n"
    "case('dec_integer_type', function() eq(math.type(dec('1')), 'integer'); eq(math.type(dec('-7')), 'integer') end)\n"
    "case('dec_float_type', function() eq(math.type(dec('1.0')), 'float'); eq(math.type(dec('1e2')), 'float'); eq(dec('1e2'), 100.0) end)\n"
    "case('dec_int64_limits', function() eq(dec('9223372036854775807'), math.maxinteger); eq(dec('-9223372036854775808'), math.mininteger) end)\n"
    "case('dec_beyond_int64_is_float', function() local v = dec('9223372036854775808'); eq(math.type(v), 'float'); eq(v, 2.0^63)\n"
    "  v = dec('-9223372036854775809'); eq(math.type(v), 'float'); eq(v, -2.0^63) end)\n"
    "case('dec_negative_zero', function() local v = dec('-0'); eq(math.type(v), 'float'); eq(1/v, -math.huge)\n"
    "  eq(math.type(dec('0')), 'integer'); eq(1/dec('-0.0'), -math.huge) end)\n"
    "case('dec_null', function() eq(dec('null'), null); eq(dec('[null]')[1], null); eq(type(dec('null')), 'userdata') end)\n"
    "case('dec_booleans', function() eq(dec('true'), true); eq(dec('false'), false) end)\n"
    "case('dec_metatables', function() eq(getmetatable(dec('{}')), OBJ_MT); eq(getmetatable(dec('[]')), ARR_MT)\n"
    "  local v = dec('{\"a\":[{\"b\":[]}]}'); eq(getmetatable(v.a), ARR_MT); eq(getmetatable(v.a[1]), OBJ_MT); eq(getmetatable(v.a[1].b), ARR_MT) end)\n"
    "case('dec_no_metatables', function() eq(getmetatable(decode('{}', true)), nil); eq(getmetatable(decode('[1]', true)), nil) end)\n"
    "case('dec_array_layout', function() local a = dec('[10,20,30]'); eq(#a, 3); eq(a[1], 10); eq(a[3], 30); eq(rawlen(a), 3) end)\n"
    "case('dec_strings', function() eq(dec('\"\\\\u0000\"'), '\\0'); eq(dec('\"\\\\ud83d\\\\ude00\"'), '\\u{1F600}'); eq(dec('\"\\\\u0105\"'), 'ą')\n"
    "  eq(dec('\"a\\\\\"b\"'), 'a\"b'); eq(#dec('\"' .. string.rep('x', 100000) .. '\"'), 100000) end)\n"
    "case('dec_numbers_match_tonumber', function()\n"
    "  for _, s in ipairs{'0.1','0.2','0.3','1e23','8.41e21','5e-324','2.2250738585072011e-308','2.2250738585072012e-308','1.7976931348623157e308',\n"
    "    '0.000001234','123456.789e3','9007199254740993','9007199254740993.0','4503599627370496.5','3.0000000000000004','1e-7','1.5e-320',\n"
    "    '12345678901234567890','1234567890123456789.0','0.1e1','100e-2','7e22','7e23','-2.5e-3','4.35','2.675','1e-22','1e22','3.4028235e38',\n"
    "    '18446744073709551615','0.30000000000000004','123e-20','6.02214076e23','-0.000'} do\n"
    "    local v = dec(s); local w = tonumber(s)\n"
    "    if v ~= w or math.type(v) ~= math.type(w) then error(s .. ': got ' .. string.format('%.17g', v) .. ' ' .. math.type(v) .. ', tonumber gives ' .. string.format('%.17g', w) .. ' ' .. math.type(w)) end\n"
    "  end end)\n"
    "case('dec_error_after_long_escaped_string_keeps_stack', function()\n"
    "  -- an error after a long unescaped string, at many stack depths and stack sizes\n"
    "  -- (a luaL_Buffer box dropped by lua_settop corrupts the top on Lua 5.4.4)\n"
    "  local body = string.rep('a\\\\n', 3000)\n"
    "  for depth = 1, 199, 3 do for _, tail in ipairs{'\\\\q\"', '\\1', '\"x'} do\n"
    "    collectgarbage()\n"
    "    local v, err = decode(string.rep('[', depth) .. '\"' .. body .. tail)\n"
    "    if v ~= nil or not err then error('accepted at depth ' .. depth) end\n"
    "  end end end)\n"
    "case('dec_error_returns_message', function() local v, err = decode('[1,'); eq(v, nil); eq(err, 'line 1, column 4: unexpected end of input (an array is not closed)') end)\n"
    "case('dec_error_truncated_input_length', function() eq(select(2, decode('')), 'line 1, column 1: unexpected end of input (the text is empty)') end)\n"
    "-- the same errors in Polish: the format, the phrases it is given and what was found\n"
    "case('dec_error_in_polish', function()\n"
    "  eq(select(3, decode('[1,')), 'wiersz 1, kolumna 4: nieoczekiwany koniec danych (tablica nie jest zamknięta)')\n"
    "  eq(select(3, decode('{\"a\" 1}')), 'wiersz 1, kolumna 6: oczekiwano: \\':\\' po kluczu obiektu, jest \\'1\\'')\n"
    "  eq(select(3, decode('[\\1]')), 'wiersz 1, kolumna 2: oczekiwano wartości (obiektu, tablicy, tekstu, liczby, true, false lub null), jest znak sterujący U+0001')\n"
    "  eq(select(3, decode('{\"x\":\\n tru}')), 'wiersz 2, kolumna 2: niepoprawna wartość \\'tru\\' (oczekiwano wartości: obiektu, tablicy, tekstu, liczby, true, false lub null)')\n"
    "  eq(select(3, decode('\"a\\255\"')), 'wiersz 1, kolumna 3: niepoprawny bajt UTF-8 0xFF (bajt spoza UTF-8)')\n"
    "  eq(select(3, decode('')), 'wiersz 1, kolumna 1: nieoczekiwany koniec danych (tekst jest pusty)')\n"
    "end)\n"
    "\n"
    "-- encoder: scalars\n"
    "case('enc_nil_and_null', function() enc(nil, 'null'); enc(null, 'null') end)\n"
    "case('enc_booleans', function() enc(true, 'true'); enc(false, 'false') end)\n"
    "case('enc_integers', function() enc(0, '0'); enc(-1, '-1'); enc(math.maxinteger, '9223372036854775807'); enc(math.mininteger, '-9223372036854775808') end)\n"
    "case('enc_floats', function() enc(0.1, '0.1'); enc(1/3, '0.3333333333333333'); enc(2/3, '0.6666666666666666'); enc(1e300, '1e+300')\n"
    "  enc(-0.0, '-0'); enc(0.0, '0'); enc(3.0, '3'); enc(-3.0, '-3'); enc(2.0^53, '9007199254740992'); enc(1e15, '1e+15'); enc(999999999999999.0, '999999999999999')\n"
    "  enc(0.1 + 0.2, '0.30000000000000004'); enc(1e-7, '1e-07'); enc(123.456, '123.456'); enc(2.0^63, '9.223372036854776e+18') end)\n"
    "case('enc_floats_round_trip', function() for _, x in ipairs{0.1, 1/3, math.pi, 1e-300, 5e-324, 1.7976931348623157e308, 2^-1074, 123456789.123456789, -2.5e-8} do\n"
    "  local s = assert(encode(x)); local y = dec(s); if y ~= x then error(string.format('%.17g -> %s -> %.17g', x, s, y)) end end end)\n"
    "case('enc_floats_match_the_printf_rule', function()\n"
    "  -- the shortest of %.15g/%.16g/%.17g that reads back, computed here in Lua\n"
    "  local function rule(x) for p = 15, 17 do local s = string.format('%.' .. p .. 'g', x); if p == 17 or tonumber(s) == x then return s end end end\n"
    "  local function check(x) if x ~= math.floor(x) or math.abs(x) >= 1e15 then local got = assert(encode(x)); local want = rule(x)\n"
    "    if got ~= want then error(string.format('%.17g: got %s, expected %s', x, got, want)) end end end\n"
    "  math.randomseed(12345)\n"
    "  for i = 1, 40000 do\n"
    "    local e = math.random(-8, 17)\n"
    "    check(math.random() * 10.0^e); check(-math.random(1, 10^7) / 10^math.random(1, 9)); check(math.random(1, 99999) / 100)\n"
    "  end\n"
    "  for _, x in ipairs{1e-4, 0.0001234, 9.99999999999999e-5, 0.00010000000000000001, 999999999999999.9, 999999999999999.4, 99999999999999.98,\n"
    "    123456789012.3456, 0.1 + 0.7, 1 - 1e-16, 1 + 2^-52, 4.35, 2.675, 1.005, 0.015, 89.99, 149.5, 365.48, 0.173, 1/3 * 1e14, 2^-14} do check(x); check(-x) end\n"
    "end)\n"
    "case('enc_nan_inf', function() enc_err(0/0, 'NaN or infinity'); enc_err(math.huge, 'NaN or infinity'); enc_err({a = {1, -math.huge}}, 'NaN or infinity cannot be written as JSON (at $.a[2])') end)\n"
    "case('enc_strings', function() enc('abc', '\"abc\"'); enc('', '\"\"'); enc('a\"b\\\\c', '\"a\\\\\"b\\\\\\\\c\"'); enc('/', '\"/\"')\n"
    "  enc('\\n\\r\\t\\b\\f', '\"\\\\n\\\\r\\\\t\\\\b\\\\f\"'); enc('\\0\\1\\31\\127', '\"\\\\u0000\\\\u0001\\\\u001f\\127\"') end)\n"
    "case('enc_utf8_kept', function() enc('Zażółć gęślą jaźń', '\"Zażółć gęślą jaźń\"'); enc('\\u{1F600}\\u{10FFFF}\\u{FFFD}', '\"\\u{1F600}\\u{10FFFF}\\u{FFFD}\"') end)\n"
    "case('enc_invalid_utf8_replaced', function()\n"
    "  enc('a\\xffb', '\"a\\\\ufffdb\"'); enc('\\xc3', '\"\\\\ufffd\"'); enc('x\\xc3(', '\"x\\\\ufffd(\"'); enc('\\xc0\\xaf', '\"\\\\ufffd\\\\ufffd\"')\n"
    "  enc('\\xed\\xa0\\x80', '\"\\\\ufffd\\\\ufffd\\\\ufffd\"'); enc('\\xf4\\x90\\x80\\x80', '\"\\\\ufffd\\\\ufffd\\\\ufffd\\\\ufffd\"')\n"
    "  enc('\\xe2\\x82', '\"\\\\ufffd\\\\ufffd\"'); enc('\\xb3\\xf3d\\xbc', '\"\\\\ufffd\\\\ufffdd\\\\ufffd\"'); enc(string.rep('ą', 10) .. '\\x80', '\"' .. string.rep('ą', 10) .. '\\\\ufffd\"')\n"
    "  local s = assert(encode('ok\\xff')); eq(dec(s), 'ok\\u{FFFD}') end)\n"
    "case('enc_unsupported_types', function() enc_err(print, 'a function cannot be written as JSON'); enc_err(coroutine.create(print), 'a thread')\n"
    "  enc_err(io.stdout, 'a userdata'); enc_err({x = {y = print}}, '(at $.x.y)') end)\n"
    "\n"
    "-- encoder: tables\n"
    "case('enc_empty', function() enc({}, '{}'); enc(setmetatable({}, ARR_MT), '[]'); enc(setmetatable({}, OBJ_MT), '{}') end)\n"
    "case('enc_sequence', function() enc({1, 2, 3}, '[1,2,3]'); enc({'a', {true}}, '[\"a\",[true]]'); enc({null, null}, '[null,null]') end)\n"
    "case('enc_not_a_sequence', function() enc({1, 2, x = 1}, '{\"1\":1,\"2\":2,\"x\":1}'); enc({[1] = 'a', [3] = 'c'}, '{\"1\":\"a\",\"3\":\"c\"}')\n"
    "  enc({[2] = 'b'}, '{\"2\":\"b\"}'); enc({[-1] = 0, [0] = 1}, '{\"-1\":0,\"0\":1}') end)\n"
    "case('enc_array_marker', function() enc(setmetatable({1, 2, x = 'ignored'}, ARR_MT), '[1,2]'); enc(setmetatable({n = 1}, ARR_MT), '[]') end)\n"
    "case('enc_sorted_keys', function() enc({b = 1, a = 2, c = 3, B = 4, aa = 5, ['a '] = 6}, '{\"B\":4,\"a\":2,\"a \":6,\"aa\":5,\"b\":1,\"c\":3}')\n"
    "  enc({[10] = 1, [9] = 2, ['1'] = 3}, '{\"1\":3,\"10\":1,\"9\":2}') end)\n"
    "case('enc_order', function()\n"
    "  local mt = {__order = {'z', 'c', 'missing', 'c', 42, 'a'}}\n"
    "  enc(setmetatable({b = 1, a = 2, c = 3, z = 0, y = 9}, mt), '{\"z\":0,\"c\":3,\"a\":2,\"b\":1,\"y\":9}')\n"
    "  enc(setmetatable({}, mt), '{}')\n"
    "  enc(setmetatable({[1] = 'x', a = 1}, {__order = {'a', '1'}}), '{\"a\":1,\"1\":\"x\"}')\n"
    "  enc(setmetatable({1, 2}, {__order = {'2'}}), '{\"2\":2,\"1\":1}')\n"
    "  enc({outer = setmetatable({id = 1, name = 'n', extra = true}, {__order = {'name', 'id'}})}, '{\"outer\":{\"name\":\"n\",\"id\":1,\"extra\":true}}') end)\n"
    "case('enc_order_shared_metatable', function() local mt = {__order = {'z'}}; local plain = setmetatable({b = 1, a = 2}, {})\n"
    "  enc({plain, setmetatable({a = 1, z = 2}, mt), plain, setmetatable({z = 3, y = 4}, mt)}, '[{\"a\":2,\"b\":1},{\"z\":2,\"a\":1},{\"a\":2,\"b\":1},{\"z\":3,\"y\":4}]')\n"
    "  enc({setmetatable({a = 1, z = 2}, mt), setmetatable({b = 0, z = 3}, mt)}, '[{\"z\":2,\"a\":1},{\"z\":3,\"b\":0}]') end)\n"
    "case('enc_order_key_listed_twice', function() enc(setmetatable({a = 1, b = 2}, {__order = {'a', 'a'}}), '{\"a\":1,\"b\":2}')\n"
    "  enc(setmetatable({a = 1, b = 2}, {__order = {'a', 'a', 42}}), '{\"a\":1,\"b\":2}')\n"
    "  local mt = {__order = {'b', 'a'}}; enc({setmetatable({a = 1, b = 2}, mt), setmetatable({a = 3, c = 4}, mt), setmetatable({b = 5}, mt)}, '[{\"b\":2,\"a\":1},{\"a\":3,\"c\":4},{\"b\":5}]') end)\n"
    "case('dec_short_strings_cached', function() for round = 1, 2 do for i = 1, 3000 do\n"
    "  local k = 'k' .. i .. string.rep('x', i % 45); local v = string.rep('v', i % 50) .. i\n"
    "  local t = dec('{\"' .. k .. '\":\"' .. v .. '\",\"' .. v .. '\":[\"' .. k .. '\"]}')\n"
    "  eq(t[k], v); eq(t[v][1], k) end end end)\n"
    "case('enc_order_closed', function() local mt = {__closed = true, __order = {'b', 'a'}}\n"
    "  enc({setmetatable({a = 1, b = 2}, mt), setmetatable({a = 3}, mt)}, '[{\"b\":2,\"a\":1},{\"a\":3}]')\n"
    "  if DEBUG_BUILD then enc_err(setmetatable({a = 1, c = 3}, mt), 'has a key its __order does not name')\n"
    "  else enc(setmetatable({a = 1, c = 3}, mt), '{\"a\":1}') end\n"
    "  enc(setmetatable({a = 1, c = 3}, {__closed = false, __order = {'b', 'a'}}), '{\"a\":1,\"c\":3}') end)\n"
    "case('enc_long_strings_seen_again', function()\n"
    "  local keep = string.rep('ą', 20) .. '\"\\n'\n"
    "  local want = '\"' .. string.rep('ą', 20) .. '\\\\\"\\\\n\"'\n"
    "  for r = 1, 3 do enc({keep, keep}, '[' .. want .. ',' .. want .. ']') end\n"
    "  for i = 1, 3000 do\n"
    "    local s = string.format('%030d', i)\n"
    "    enc(s, '\"' .. s .. '\"'); enc({s}, '[\"' .. s .. '\"]')\n"
    "    if i % 100 == 0 then collectgarbage() end\n"
    "  end\n"
    "  local bad = string.rep('x', 30) .. '\\255'\n"
    "  for r = 1, 3 do enc(bad, '\"' .. string.rep('x', 30) .. '\\\\ufffd\"') end\n"
    "  for r = 1, 3 do enc(keep, want) end end)\n"
    "case('dec_profile_fused', function()\n"
    "  local function plan(t) return { t.mask or 0, t.ref or false, t.enum or false, false, t.flags or 0, t.const or false,\n"
    "    t.min or false, t.max or false, false, false, t.minlen or false, t.items or false, t.minitems or false,\n"
    "    t.maxitems or false, t.props or false, t.req or false } end\n"
    "  local S, B, N, I, Z, A, O = 1, 2, 4, 8, 16, 32, 64\n"
    "  local emp = plan{ mask = O, flags = 4, req = { 'fte' }, props = { fte = plan{ mask = N, min = 0, max = 1 },\n"
    "    contract = plan{ mask = S, enum = { employment = true, civil = true } }, name = plan{ mask = S, minlen = 2 } } }\n"
    "  local root = plan{ mask = O, req = { 'kind' }, props = { kind = plan{ mask = S, flags = 1, const = 'enterprise' },\n"
    "    as_of = plan{ mask = S, flags = 2 }, n = plan{ mask = I }, ok = plan{ mask = B }, none = plan{ mask = Z },\n"
    "    employees = plan{ mask = A, items = emp, maxitems = 3 }, owner = plan{ ref = emp } } }\n"
    "  assert(valid(decode('{\"kind\":\"enterprise\"}'), root, ARR_MT))   -- compiles the plan\n"
    "  fuse('enterprise', root)\n"
    "  local good = { '{\"kind\":\"enterprise\"}', '{\"kind\":\"enterprise\",\"n\":3.0,\"ok\":false,\"none\":null}',\n"
    "    '{\"kind\":\"enterprise\",\"as_of\":\"2024-02-29\",\"employees\":[{\"fte\":0.5,\"contract\":\"civil\",\"name\":\"Ola\"},{\"fte\":1}]}',\n"
    "    '{\"kind\":\"enterprise\",\"employees\":[],\"owner\":{\"fte\":0}}' }\n"
    "  for _, s in ipairs(good) do\n"
    "    local v, fused, extra = decode_profile(s)\n"
    "    if not fused or extra then error('not taken as valid: ' .. s) end\n"
    "    if not valid(v, root, ARR_MT) then error('KR_VALID disagrees: ' .. s) end\n"
    "  end\n"
    "  local bad = { '{\"kind\":\"person\"}', '{\"as_of\":\"2024-01-01\",\"kind\":\"enterprise\"}', '[{\"kind\":\"enterprise\"}]',\n"
    "    '{}', '{\"kind\":\"enterprise\",\"as_of\":\"2023-02-29\"}', '{\"kind\":\"enterprise\",\"n\":1.5}', '{\"kind\":\"enterprise\",\"ok\":1}',\n"
    "    '{\"kind\":\"enterprise\",\"none\":0}', '{\"kind\":\"enterprise\",\"employees\":{}}', '{\"kind\":\"enterprise\",\"employees\":[1]}',\n"
    "    '{\"kind\":\"enterprise\",\"employees\":[{\"contract\":\"civil\"}]}', '{\"kind\":\"enterprise\",\"employees\":[{\"fte\":2}]}',\n"
    "    '{\"kind\":\"enterprise\",\"employees\":[{\"fte\":1,\"contract\":\"x\"}]}', '{\"kind\":\"enterprise\",\"employees\":[{\"fte\":1,\"name\":\"O\"}]}',\n"
    "    '{\"kind\":\"enterprise\",\"employees\":[{\"fte\":1,\"extra\":1}]}', '{\"kind\":\"enterprise\",\"employees\":[{\"fte\":1},{\"fte\":1},{\"fte\":1},{\"fte\":1}]}',\n"
    "    '{\"kind\":\"enterprise\",\"owner\":{\"fte\":-1}}', '{\"kind\":\"enterprise\",\"owner\":[]}', '{\"kind\":1}' }\n"
    "  for _, s in ipairs(bad) do\n"
    "    local v, fused = decode_profile(s)\n"
    "    if fused then error('taken as valid: ' .. s) end\n"
    "  end\n"
    "  local _, fused, extra = decode_profile('{\"kind\":\"enterprise\",\"zzz\":{\"anything\":[1]}}')\n"
    "  if not fused or not extra then error('an extra key: ' .. tostring(fused) .. ' ' .. tostring(extra)) end\n"
    "  local okf, errf = pcall(fuse, 'person', plan{ mask = O })\n"
    "  if okf or not tostring(errf):find('not compiled', 1, true) then error('an uncompiled plan: ' .. tostring(errf)) end\n"
    "  local v, err = decode_profile('{\"kind\":\"enterprise\",\"n\":}')\n"
    "  if v ~= nil or not tostring(err):find('line 1', 1, true) then error('a syntax error: ' .. tostring(err)) end end)\n"
    "case('enc_flat_records', function()\n"
    "  local mt = {__flat = true, __order = {'id', 'outcome', 'why'}}\n"
    "  static_order(mt)\n"
    "  enc(setmetatable({'a', 'pass', false, 'b', false, {1, 2}}, mt), '[{\"id\":\"a\",\"outcome\":\"pass\"},{\"id\":\"b\",\"why\":[1,2]}]')\n"
    "  enc({rules = setmetatable({}, mt)}, '{\"rules\":[]}')\n"
    "  enc_err(setmetatable({'a', 'pass'}, mt), 'not a whole number of records')\n"
    "  enc_err({r = setmetatable({'a', 'pass', 'x', 'b', 'fail', print}, mt)}, '(at $.r[2].why)')\n"
    "  local plain = {__flat = true, __order = {'id'}}\n"
    "  enc(setmetatable({id = 'x'}, plain), '{\"id\":\"x\"}') end)\n"
    "case('enc_static_order', function()\n"
    "  local mt = {__closed = true, __order = {'b', 'a', 'c'}}\n"
    "  static_order(mt); static_order(mt)\n"
    "  for r = 1, 3 do enc({setmetatable({a = 1, b = 2}, mt), setmetatable({c = 3}, mt)}, '[{\"b\":2,\"a\":1},{\"c\":3}]') end\n"
    "  local open = {__order = {'z', 'y'}}\n"
    "  static_order(open)\n"
    "  enc(setmetatable({y = 1, z = 2, x = 0}, open), '{\"z\":2,\"y\":1,\"x\":0}')\n"
    "  local ok, err = pcall(static_order, {__index = {}, __order = {'a'}})\n"
    "  if ok or not tostring(err):find('no __order the writer can compile', 1, true) then error('with __index: ' .. tostring(err)) end\n"
    "  ok, err = pcall(static_order, {})\n"
    "  if ok then error('without __order') end\n"
    "  for i = 1, 8 do pcall(static_order, {__order = {'k' .. i}}) end\n"
    "  ok, err = pcall(static_order, {__order = {'last'}})\n"
    "  if ok or not tostring(err):find('at most', 1, true) then error('slots: ' .. tostring(err)) end\n"
    "  enc(setmetatable({a = 1, b = 2}, mt), '{\"b\":2,\"a\":1}') end)\n"
    "case('enc_order_ignored_when_not_table', function() enc(setmetatable({b = 1, a = 2}, {__order = 'ab'}), '{\"a\":2,\"b\":1}') end)\n"
    "case('enc_bad_keys', function() enc_err({[true] = 1}, 'a table key must be a string or an integer, found a boolean key')\n"
    "  enc_err({[1.5] = 1}, 'found the number 1.5'); enc_err({[{}] = 1}, 'found a table key')\n"
    "  enc_err({[1] = 'a', ['1'] = 'b', z = 1}, 'the key \"1\" appears both as an integer and as a string') end)\n"
    "case('enc_integral_float_key', function() local t = {}; t[2.0] = 'x'; t.a = 1; enc(t, '{\"2\":\"x\",\"a\":1}') end)\n"
    "case('enc_no_metamethods', function()\n"
    "  local boom = function() error('metamethod called') end\n"
    "  local mt = {__index = boom, __newindex = boom, __len = boom, __pairs = boom, __tostring = boom, __eq = boom, __lt = boom, __le = boom, __name = 'Boom'}\n"
    "  enc(setmetatable({a = 1, b = {2}}, mt), '{\"a\":1,\"b\":[2]}')\n"
    "  enc(setmetatable({1, 2}, mt), '[1,2]')\n"
    "  enc(setmetatable({a = 1}, {__index = {__order = {'x'}}}), '{\"a\":1}')\n"
    "  local amt = setmetatable({}, {__index = boom}); enc(setmetatable({b = 1, a = 2}, amt), '{\"a\":2,\"b\":1}') end)\n"
    "case('enc_cycle', function() local t = {}; t.self = t; enc_err(t, 'too deep or cyclic')\n"
    "  local a = {}; a[1] = a; enc_err(a, 'too deep or cyclic')\n"
    "  local x, y = {}, {}; x.y = y; y.x = x; enc_err(x, 'too deep or cyclic') end)\n"
    "case('enc_depth_limit', function()\n"
    "  local function nest(n) local t = {} ; for i = 1, n - 1 do t = {t} end; return t end\n"
    "  enc(nest(1), '{}'); local s = assert(encode(nest(200))); eq(#s, 200 * 2 - 2 + 2)\n"
    "  enc_err(nest(201), 'too deep or cyclic') end)\n"
    "case('enc_shared_not_cyclic', function() local s = {1}; enc({a = s, b = s, c = {s, s}}, '{\"a\":[1],\"b\":[1],\"c\":[[1],[1]]}') end)\n"
    "case('enc_error_path', function() enc_err({list = {{ok = 1}, {bad = print}}}, '(at $.list[2].bad)')\n"
    "  local o = setmetatable({first = {0/0}}, {__order = {'first'}}); enc_err(o, '(at $.first[1])')\n"
    "  enc_err({[7] = {f = print}, x = 1}, '(at $.7.f)') end)\n"
    "case('enc_large_object', function() local t = {}; for i = 1, 5000 do t['k' .. i] = i end\n"
    "  local s = assert(encode(t)); local back = dec(s); for i = 1, 5000 do if back['k' .. i] ~= i then error('key k' .. i) end end\n"
    "  eq(s:sub(1, 22), '{\"k1\":1,\"k10\":10,\"k100')\n"
    "  local prev, n = '', 0; for k in s:gmatch('\"(k%d+)\":') do if not (k > prev) then error('not sorted: ' .. prev .. ' then ' .. k) end; prev = k; n = n + 1 end; eq(n, 5000) end)\n"
    "case('enc_nested_objects_keys_arena', function()\n"
    "  local t = {}; for i = 1, 100 do local inner = {}; for j = 1, 50 do inner['x' .. j] = j end; t[('%03d'):format(i)] = inner end\n"
    "  t[1] = 'int'; local s = assert(encode(t)); local back = dec(s); eq(back['1'], 'int'); eq(back['050'].x50, 50); eq(s:sub(1, 14), '{\"001\":{\"x1\":1') end)\n"
    "case('round_trip_values', function()\n"
    "  for _, s in ipairs{'{\"a\":[1,2,{\"b\":null}],\"c\":\"ą\\\\n\"}', '[[],{},[[]]]', '\"\\\\u0000\"', '[-0,0,1.5,-1e-300]'} do\n"
    "    local e1 = assert(encode(dec(s))); local e2 = assert(encode(dec(e1))); eq(e2, e1) end end)\n";

/* ---- allocation failures ---- */

typedef struct cap_alloc {
    size_t used, limit;
} cap_alloc;

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    cap_alloc *c = (cap_alloc *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        c->used -= old;
        return NULL;
    }
    if (nsize > old && c->used - old + nsize > c->limit) return NULL;
    ptr = realloc(ptr, nsize);
    if (ptr) c->used = c->used - old + nsize;
    return ptr;
}

static void run_memory_limits(const char *dir) {
    char path[4096];
    size_t tlen;
    char *text;
    size_t limit;
    int saw_memerr = 0, saw_ok = 0, bad = 0;
    snprintf(path, sizeof path, "%s/valid/realistic_order.json", dir);
    text = read_file(path, &tlen);
    if (!text) { fail("memory_limits", "cannot read %s%s", path, NULL); return; }
    for (limit = 16 * 1024; limit < 512 * 1024 && !bad; limit += 512) {
        cap_alloc c = {0, (size_t)-1};
        lua_State *L = lua_newstate(capped_alloc, &c);
        job j;
        int st;
        if (!L) continue;
        c.limit = c.used + (limit - 16 * 1024);  /* headroom above the bare state */
        j.text = text; j.len = tlen; j.use_mt = 0; j.out = NULL;
        st = protected_job(L, &j);
        if (st == LUA_ERRMEM) saw_memerr = 1;
        else if (st == LUA_OK && j.rc == 0 && j.top_ok) saw_ok = 1;
        else { bad = 1; fail("memory_limits", "unexpected result under a memory cap: %s%s", j.err, NULL); }
        if (lua_gettop(L) != 0) { bad = 1; fail("memory_limits", "stack not empty after pcall%s%s", NULL, NULL); }
        lua_close(L);
        if (c.used != 0 && !bad) { bad = 1; fail("memory_limits", "Lua memory not returned after lua_close%s%s", NULL, NULL); }
        if (saw_ok) break;
    }
    if (!bad) {
        if (saw_memerr && saw_ok) pass();
        else fail("memory_limits", "did not see both a memory error and a success%s%s", NULL, NULL);
    }
    free(text);
}

/* ---- C stack use at the maximum depth ---- */

typedef struct deep_job {
    lua_State *L;
    int ok;
    char err[512];
} deep_job;

static void *deep_thread(void *arg) {
    deep_job *dj = (deep_job *)arg;
    lua_State *L = dj->L;
    /* 200 levels: objects and arrays alternating, with long escaped strings */
    static char text[8192];
    size_t n = 0;
    int i;
    kr_buf out;
    for (i = 0; i < 100; i++) n += (size_t)sprintf(text + n, "{\"k\\n%d\":[", i);
    n += (size_t)sprintf(text + n, "\"deep\"");
    for (i = 0; i < 100; i++) n += (size_t)sprintf(text + n, "]}");
    kr_buf_init(&out);
    dj->ok = 0;
    if (kr_json_decode(L, text, n, g_obj_ref, g_arr_ref, dj->err, sizeof dj->err, NULL, 0) == 0) {
        if (kr_json_encode(L, -1, g_arr_ref, &out, dj->err, sizeof dj->err) == 0)
            dj->ok = out.len == n && memcmp(out.data, text, n) == 0;
        else
            dj->ok = 0;
        lua_pop(L, 1);
    }
    kr_buf_free(&out);
    return NULL;
}

/* A thread that writes the same long string twice (the writer keeps its written form for the
   thread) and ends: what the thread kept is freed with it (AddressSanitizer's leak check sees
   it otherwise: a server runs a batch per request on threads of their own). */
static void *cache_thread(void *arg) {
    deep_job *dj = (deep_job *)arg;
    lua_State *L = dj->L;
    kr_buf out;
    kr_buf_init(&out);
    dj->ok = 1;
    for (int round = 0; round < 3; round++) {
        lua_pushstring(L, "a long text, written three times by a thread that then ends: ąęł");
        if (kr_json_encode(L, -1, g_arr_ref, &out, dj->err, sizeof dj->err) != 0) dj->ok = 0;
        lua_pop(L, 1);
    }
    const char *want = "\"a long text, written three times by a thread that then ends: ąęł\"";
    size_t wl = strlen(want);
    if (out.len != 3 * wl) dj->ok = 0;
    for (int round = 0; dj->ok && round < 3; round++)
        if (memcmp(out.data + round * wl, want, wl) != 0) dj->ok = 0;
    kr_buf_free(&out);
    return NULL;
}

static void run_thread_cache(lua_State *main) {
    pthread_t th;
    deep_job dj;
    dj.L = lua_newthread(main);
    dj.err[0] = '\0';
    if (pthread_create(&th, NULL, cache_thread, &dj) != 0) {
        fail("thread_cache", "cannot start a thread%s%s", NULL, NULL);
    } else {
        pthread_join(th, NULL);
        if (dj.ok) pass();
        else fail("thread_cache", "a long string written again in a thread: %s%s", dj.err[0] ? dj.err : "wrong output", NULL);
    }
    lua_pop(main, 1);
}

static void run_small_stack(lua_State *main) {
    pthread_attr_t attr;
    pthread_t th;
    deep_job dj;
    size_t stack = 128 * 1024;
#if defined(__SANITIZE_ADDRESS__)
    stack = 1024 * 1024;  /* sanitizer frames are several times larger */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    stack = 1024 * 1024;
#endif
#endif
    dj.L = lua_newthread(main);   /* a coroutine: its own Lua stack, same registry */
    dj.err[0] = '\0';
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, stack);
    if (pthread_create(&th, &attr, deep_thread, &dj) != 0) {
        fail("small_stack", "cannot start a thread%s%s", NULL, NULL);
    } else {
        pthread_join(th, NULL);
        if (dj.ok) pass();
        else fail("small_stack", "200 levels in a small thread stack: %s%s", dj.err[0] ? dj.err : "wrong output", NULL);
    }
    pthread_attr_destroy(&attr);
    lua_pop(main, 1);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "Tests/Fixtures/json";
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_newtable(L);
    lua_pushstring(L, "json.object");
    lua_setfield(L, -2, "__name");
    lua_pushvalue(L, -1);
    lua_setglobal(L, "OBJ_MT");
    g_obj_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_newtable(L);
    lua_pushstring(L, "json.array");
    lua_setfield(L, -2, "__name");
    lua_pushvalue(L, -1);
    lua_setglobal(L, "ARR_MT");
    g_arr_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, NULL);
    lua_setglobal(L, "null");
#ifdef DEBUG
    lua_pushboolean(L, 1);                 /* the writer checks __closed tables in a debug build */
    lua_setglobal(L, "DEBUG_BUILD");
#endif
    lua_register(L, "decode", l_decode);
    lua_register(L, "encode", l_encode);
    lua_register(L, "kr_report", l_report);
    lua_register(L, "static_order", kr_json_static_order_lua);
    lua_register(L, "decode_profile", l_decode_profile);
    lua_register(L, "valid", kr_valid_lua);
    lua_register(L, "fuse", kr_fuse_register_lua);

    run_valid(L, dir);
    run_invalid(L, dir);
    if (luaL_dostring(L, lua_cases) != LUA_OK) {
        fail("lua_cases", "the Lua test chunk failed: %s%s", lua_tostring(L, -1), NULL);
        lua_pop(L, 1);
    }
    if (lua_gettop(L) != 0) fail("stack", "the main Lua stack is not empty at the end%s%s", NULL, NULL);
    run_memory_limits(dir);
    run_small_stack(L);
    run_thread_cache(L);
    lua_close(L);

    printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed ? 1 : 0;
}
