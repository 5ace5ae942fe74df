/*
 * kr_json.c: a strict JSON (RFC 8259) reader that builds Lua 5.4 values
 * directly on the Lua stack, and a writer from Lua values to JSON.
 *
 * Decoder decisions
 *   - A UTF-8 byte order mark at the very start of the text is skipped
 *     (RFC 8259 section 8.1 allows it); anywhere else U+FEFF is an error
 *     outside strings and a normal character inside them.
 *   - "-0" (and "-0.0", "-0e5", ...) decodes to the float -0.0, so the sign
 *     survives a round trip; "0" is the integer 0.
 *   - Integers without fraction/exponent that fit in int64 become Lua
 *     integers; every other number becomes a float (correctly rounded).
 *     A number whose magnitude overflows a double is "number out of range";
 *     underflow quietly gives 0 or a subnormal.
 *   - Error positions are "line L, column C", both 1-based. Lines end at LF,
 *     CR LF or a lone CR. Columns count characters (UTF-8 code points; an
 *     invalid byte counts as one character), not bytes; a tab is one column.
 *   - At most 200 arrays/objects may be nested (200 is fine, 201 is not).
 *   - Nothing is malloc'ed: strings that need unescaping and numbers that
 *     need strtod use a fixed scratch area, or a plain Lua userdata when
 *     longer, so a Lua memory error raised from inside cannot leak.
 *     luaL_Buffer is deliberately not used: its box is a to-be-closed slot,
 *     and Lua 5.4.4's lua_settop (used to drop everything on an error) can
 *     leave a wrong stack top when closing it moves the stack (fixed in 5.4.5).
 *
 * Encoder decisions
 *   - Never raises a Lua error: only raw, non-allocating Lua API calls.
 *   - Object keys are written in byte order, after the keys listed in the
 *     metatable's "__order" array (if any). Integer keys are written as
 *     decimal strings; a table having both 1 and "1" as keys is an error.
 *   - Floats use the shortest of %.15g, %.16g, %.17g that reads back exactly;
 *     integral floats below 1e15 print like integers ("3"), -0.0 as "-0".
 *   - Invalid UTF-8 bytes in strings are written as \ufffd, one per byte.
 */
#include <pthread.h>
#include <stdarg.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "kr_shim.h"

#define KR_JSON_MAX_DEPTH 200

#if defined(__GNUC__) || defined(__clang__)
#define KR_LIKELY(x) __builtin_expect(!!(x), 1)
#define KR_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define KR_NOINLINE __attribute__((noinline))
#else
#define KR_LIKELY(x) (x)
#define KR_UNLIKELY(x) (x)
#define KR_NOINLINE
#endif

/* ------------------------------------------------------------------ */
/* kr_buf                                                              */
/* ------------------------------------------------------------------ */

void kr_buf_init(kr_buf *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void kr_buf_free(kr_buf *b) {
    free(b->data);
    kr_buf_init(b);
}

void kr_buf_reset(kr_buf *b) {
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

/* Makes room for n more bytes plus a terminating NUL. */
static int buf_grow(kr_buf *b, size_t n) {
    size_t need, ncap;
    char *nd;
    if (n > SIZE_MAX - 1 - b->len) return -1;
    need = b->len + n + 1;
    if (need <= b->cap) return 0;
    ncap = b->cap ? b->cap : 256;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) { ncap = need; break; }
        ncap *= 2;
    }
    nd = (char *)realloc(b->data, ncap);
    if (!nd) return -1;
    b->data = nd;
    b->cap = ncap;
    return 0;
}

/* The data stays NUL-terminated (not counted in len) after every put. */
int kr_buf_put(kr_buf *b, const void *p, size_t n) {
    if (b->cap - b->len <= n) {   /* also when cap == 0; no overflow for any n */
        if (buf_grow(b, n) != 0) return -1;
    }
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* Room for n more bytes (plus NUL) without writing them. */
static inline int buf_reserve(kr_buf *b, size_t n) {
    if (KR_LIKELY(n < b->cap - b->len)) return 0;
    return buf_grow(b, n);
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at p (1..4), or 0 with *why set. */
static int utf8_seq(const unsigned char *p, const unsigned char *end, const char **why) {
    unsigned c = p[0];
    size_t avail = (size_t)(end - p);
    if (c < 0x80) return 1;
    if (c < 0xC0) { *why = "unexpected continuation byte"; return 0; }
    if (c < 0xC2) { *why = "overlong encoding"; return 0; }
    if (c < 0xE0) {
        if (avail < 2 || (p[1] & 0xC0) != 0x80) { *why = "truncated sequence"; return 0; }
        return 2;
    }
    if (c < 0xF0) {
        if (avail < 2 || (p[1] & 0xC0) != 0x80) { *why = "truncated sequence"; return 0; }
        if (c == 0xE0 && p[1] < 0xA0) { *why = "overlong encoding"; return 0; }
        if (c == 0xED && p[1] >= 0xA0) { *why = "UTF-16 surrogate encoded in UTF-8"; return 0; }
        if (avail < 3 || (p[2] & 0xC0) != 0x80) { *why = "truncated sequence"; return 0; }
        return 3;
    }
    if (c < 0xF5) {
        if (avail < 2 || (p[1] & 0xC0) != 0x80) { *why = "truncated sequence"; return 0; }
        if (c == 0xF0 && p[1] < 0x90) { *why = "overlong encoding"; return 0; }
        if (c == 0xF4 && p[1] >= 0x90) { *why = "code point beyond U+10FFFF"; return 0; }
        if (avail < 3 || (p[2] & 0xC0) != 0x80 || avail < 4 || (p[3] & 0xC0) != 0x80) {
            *why = "truncated sequence";
            return 0;
        }
        return 4;
    }
    *why = c < 0xF8 ? "code point beyond U+10FFFF" : "not a UTF-8 byte";
    return 0;
}

/* A two-byte UTF-8 character at p (Polish letters: ą, ł, ó...), checked inline on the hot paths;
   the same rule as utf8_seq's two-byte case. */
static inline int utf8_two(const unsigned char *p, const unsigned char *end) {
    return *p >= 0xC2 && *p <= 0xDF && end - p >= 2 && (p[1] & 0xC0) == 0x80;
}

/* Byte classes inside strings: 0 plain ASCII, 1 '"', 2 '\\', 3 control, 4 non-ASCII. */
static const unsigned char str_class[256] = {
    3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3, 3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,
    0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,2,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4, 4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,
    4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4, 4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,
    4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4, 4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,
    4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4, 4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,
};

/* Nonzero when one of the 8 bytes is '"', '\\', < 0x20 or >= 0x80. */
static inline uint64_t swar_special(const unsigned char *p) {
    uint64_t v, q, b, ctl;
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    memcpy(&v, p, 8);
    q = v ^ (ones * '"');
    b = v ^ (ones * '\\');
    ctl = (v - ones * 0x20) & ~v;
    q = (q - ones) & ~q;
    b = (b - ones) & ~b;
    return (v | ctl | q | b) & highs;
}

/* ------------------------------------------------------------------ */
/* Decoder                                                             */
/* ------------------------------------------------------------------ */

/* A key of an object being built (see dec_object). */
typedef struct dkey {
    const char *s;
    size_t len;
} dkey;

#define DKEY_ARENA 512

/* Short strings met again and again (keys such as "contract", values such as "employment"):
   the Lua strings made for them, kept per state in a table the registry holds, with their
   bytes in C, so a string seen before is pushed with one lua_rawgeti instead of being hashed
   and looked up in Lua's string table (lua_pushlstring). */
#define SCACHE_SLOTS 512
#define SCACHE_MAXLEN 40
typedef struct scache_entry {
    const char *s;              /* the bytes of the string in slot i + 1 of the table */
    size_t len;
} scache_entry;
typedef struct scache {
    scache_entry e[SCACHE_SLOTS];
} scache;
static char SCACHE_KEY;

typedef struct jdec {
    lua_State *L;
    const unsigned char *p;     /* current position */
    const unsigned char *end;
    const unsigned char *text;  /* start of the text (after a BOM) */
    int obj_mt;                 /* stack index of the object metatable, or 0 */
    int arr_mt;                 /* stack index of the array metatable, or 0 */
    int depth;
    const unsigned char *errpos;
    char msg[240];
    char msg_pl[320];           /* the same message in Polish (see dec_fail) */
    const char *found;          /* describe()'s last text, and the same in Polish */
    char found_pl[64];
    const char *str;            /* bytes of the string dec_string pushed last */
    size_t slen;
    scache *sc;                 /* the state's string cache, or NULL */
    int sct;                    /* stack index of its table of strings */
    char scratch[4096];         /* unescaped strings and numbers up to this size */
    int nkeys;                  /* keys[] in use (a stack shared by the nesting levels) */
    /* validation fused into reading a profile (kr_json_decode_profile; see kr_schema.c) */
    int fuse;                   /* 0: off; 1: the root object's kind is awaited; 2: on */
    int fbad;                   /* the profile is not known to be valid: checks stop */
    int fextra;                 /* a top-level key the root's schema does not name */
    const void *fnode;          /* the schema node of the value read next, or NULL */
    int fdepth;                 /* its depth, counted as kr_schema.c's valid() counts */
    const void *froot, *fplan;  /* the root's node once the kind is known, and its plan */
    const unsigned char *vstart; /* where the value read last began */
    dkey keys[DKEY_ARENA];
} jdec;

static KR_NOINLINE int dec_fail(jdec *d, const unsigned char *at, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The decoder's messages in Polish, keyed by the English text: the formats given to dec_fail
   (their conversions in the same order) and the phrases handed to them as %s. A message is made
   in both languages when it happens (errors are rare: the lookup costs nothing that matters);
   the caller shows the one of its user's language. */
static const char *const POLISH[][2] = {
    { "line break inside a string (write it as \\n; or is a closing '\"' missing?)",
      "koniec wiersza wewnątrz tekstu (zapisz go jako \\n; a może brakuje zamykającego '\"'?)" },
    { "control character U+%04X inside a string must be escaped",
      "znak sterujący U+%04X wewnątrz tekstu trzeba zapisać jako \\uXXXX" },
    { "invalid UTF-8 byte 0x%02X (%s)", "niepoprawny bajt UTF-8 0x%02X (%s)" },
    { "invalid escape '\\%c' in a string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
      "niepoprawna sekwencja '\\%c' w tekście (dozwolone: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)" },
    { "invalid escape: '\\' followed by %s", "niepoprawna sekwencja: po '\\' jest %s" },
    { "invalid \\u escape: expected 4 hexadecimal digits after \\u",
      "niepoprawna sekwencja \\u: po \\u muszą być 4 cyfry szesnastkowe" },
    { "lone surrogate \\u%04X: a high surrogate must be followed by a \\uDC00-\\uDFFF low surrogate",
      "samotny surogat \\u%04X: po górnym surogacie musi być dolny (\\uDC00-\\uDFFF)" },
    { "lone surrogate \\u%04X: a low surrogate must follow a \\uD800-\\uDBFF high surrogate",
      "samotny surogat \\u%04X: dolny surogat musi być po górnym (\\uD800-\\uDBFF)" },
    { "unterminated string (no closing '\"')", "niezamknięty tekst (brak zamykającego '\"')" },
    { "invalid number", "niepoprawna liczba" },
    { "number out of range (too large for a double)", "liczba poza zakresem (za duża)" },
    { "-Infinity is not a valid JSON number", "-Infinity nie jest poprawną liczbą JSON" },
    { "expected a digit after '-'", "po '-' musi być cyfra" },
    { "leading zeros are not allowed in numbers", "liczba nie może zaczynać się od zera, po którym są cyfry" },
    { "expected a digit after the decimal point", "po kropce dziesiętnej musi być cyfra" },
    { "expected a digit in the exponent", "w wykładniku musi być cyfra" },
    { "%.*s is not a valid JSON number", "%.*s nie jest poprawną liczbą JSON" },
    { "invalid literal '%.*s' (JSON literals are lowercase: true)",
      "niepoprawna wartość '%.*s' (w JSON pisze się małymi literami: true)" },
    { "invalid literal '%.*s' (JSON literals are lowercase: false)",
      "niepoprawna wartość '%.*s' (w JSON pisze się małymi literami: false)" },
    { "invalid literal '%.*s' (JSON uses null)", "niepoprawna wartość '%.*s' (brak wartości w JSON to null)" },
    { "unexpected end of input inside 'true'", "dane kończą się w środku słowa 'true'" },
    { "unexpected end of input inside 'false'", "dane kończą się w środku słowa 'false'" },
    { "unexpected end of input inside 'null'", "dane kończą się w środku słowa 'null'" },
    { "invalid literal '%.*s' (expected a value: an object, array, string, number, true, false or null)",
      "niepoprawna wartość '%.*s' (oczekiwano wartości: obiektu, tablicy, tekstu, liczby, true, false lub null)" },
    { "strings must be in double quotes, found '''", "tekst musi być w cudzysłowie podwójnym, jest '''" },
    { "a number cannot start with '+'", "liczba nie może zaczynać się od '+'" },
    { "a number cannot start with '.' (write 0.5, not .5)", "liczba nie może zaczynać się od '.' (pisz 0.5, nie .5)" },
    { "unexpected byte order mark", "nieoczekiwany znacznik kolejności bajtów (BOM)" },
    { "expected a value (an object, array, string, number, true, false or null), found %s",
      "oczekiwano wartości (obiektu, tablicy, tekstu, liczby, true, false lub null), jest %s" },
    { "out of Lua stack space", "zabrakło miejsca na stosie Lua" },
    { "unexpected end of input (%s)", "nieoczekiwany koniec danych (%s)" },
    { "unexpected end of input (expected %s)", "nieoczekiwany koniec danych (oczekiwano: %s)" },
    { "expected %s, found %s", "oczekiwano: %s, jest %s" },
    { "duplicate key \"%.*s\"%s", "powtórzony klucz \"%.*s\"%s" },
    { "nesting deeper than %d", "zagnieżdżenie głębsze niż %d" },
    { "trailing comma before '}' is not allowed", "przecinek przed '}' jest niedozwolony" },
    { "trailing comma before ']' is not allowed", "przecinek przed ']' jest niedozwolony" },
    { "unexpected end of input (expected a value)", "nieoczekiwany koniec danych (oczekiwano wartości)" },
    { "unexpected end of input (the text is empty)", "nieoczekiwany koniec danych (tekst jest pusty)" },
    { "unexpected data after the value: %s", "nadmiarowe dane po wartości: %s" },
    /* phrases handed to the formats */
    { "an object is not closed", "obiekt nie jest zamknięty" },
    { "an array is not closed", "tablica nie jest zamknięta" },
    { "a string key in double quotes", "klucz w cudzysłowie podwójnym" },
    { "':' after an object key", "':' po kluczu obiektu" },
    { "',' or '}' after an object member", "',' albo '}' po polu obiektu" },
    { "',' or ']' after an array element", "',' albo ']' po elemencie tablicy" },
    { "unexpected continuation byte", "nieoczekiwany bajt kontynuacji" },
    { "overlong encoding", "zbyt długie kodowanie" },
    { "truncated sequence", "urwana sekwencja" },
    { "UTF-16 surrogate encoded in UTF-8", "surogat UTF-16 zakodowany w UTF-8" },
    { "code point beyond U+10FFFF", "kod znaku powyżej U+10FFFF" },
    { "not a UTF-8 byte", "bajt spoza UTF-8" },
};

/* The Polish of an English text of the table, or the text itself (a quoted piece of the input). */
static const char *in_polish(const jdec *d, const char *en) {
    size_t i;
    if (en == d->found) return d->found_pl;
    for (i = 0; i < sizeof POLISH / sizeof POLISH[0]; i++)
        if (strcmp(POLISH[i][0], en) == 0) return POLISH[i][1];
    return en;
}

/* fmt's Polish format filled with the arguments of the English one (the conversions used above:
   %s, %.*s, %c, %d, %X and %0NX), its %s phrases in Polish too. */
static void format_polish(jdec *d, const char *fmt, va_list ap) {
    const char *f = in_polish(d, fmt);
    char *o = d->msg_pl, *e = d->msg_pl + sizeof d->msg_pl - 1;
    while (*f && o < e) {
        char spec[16];
        size_t n = 0, room;
        int star = 0, w;
        if (*f != '%') { *o++ = *f++; continue; }
        if (f[1] == '%') { *o++ = '%'; f += 2; continue; }
        while (*f && n < sizeof spec - 2 && !strchr("sdcuX", *f)) {
            if (*f == '*') star = 1;
            spec[n++] = *f++;
        }
        if (!*f) break;
        spec[n++] = *f;
        spec[n] = '\0';
        room = (size_t)(e - o) + 1;
        switch (*f++) {
        case 's':
            if (star) {
                int len = va_arg(ap, int);
                w = snprintf(o, room, spec, len, va_arg(ap, const char *));
            } else {
                w = snprintf(o, room, "%s", in_polish(d, va_arg(ap, const char *)));
            }
            break;
        case 'u': case 'X': w = snprintf(o, room, spec, va_arg(ap, unsigned)); break;
        default: w = snprintf(o, room, spec, va_arg(ap, int)); break;
        }
        if (w < 0) break;
        o += (size_t)w < room - 1 ? (size_t)w : room - 1;
    }
    *o = '\0';
}

static int dec_fail(jdec *d, const unsigned char *at, const char *fmt, ...) {
    va_list ap, pl;
    d->errpos = at;
    va_start(ap, fmt);
    va_copy(pl, ap);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    format_polish(d, fmt, pl);
    va_end(pl);
    va_end(ap);
    return -1;
}

/* Describes what is found at p for messages: 'x', 'ą', byte 0xC3, end of input; into out, and in
   Polish into d->found_pl (out is remembered as d->found: dec_fail shows it in Polish). */
static void describe(jdec *d, const unsigned char *p, char *out, size_t outlen) {
    const char *why;
    int n;
    d->found = out;
    if (p >= d->end) {
        snprintf(out, outlen, "the end of input");
        snprintf(d->found_pl, sizeof d->found_pl, "koniec danych");
        return;
    }
    if (*p >= 0x20 && *p < 0x7F) {
        snprintf(out, outlen, "'%c'", *p);
        snprintf(d->found_pl, sizeof d->found_pl, "%s", out);
        return;
    }
    if (*p < 0x20 || *p == 0x7F) {
        snprintf(out, outlen, "control character U+%04X", *p);
        snprintf(d->found_pl, sizeof d->found_pl, "znak sterujący U+%04X", *p);
        return;
    }
    n = utf8_seq(p, d->end, &why);
    if (n > 0) {
        unsigned cp;
        if (n == 2) cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
        else if (n == 3) cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        else cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
        snprintf(out, outlen, "'%.*s' (U+%04X)", n, (const char *)p, cp);
        snprintf(d->found_pl, sizeof d->found_pl, "%s", out);
    } else {
        snprintf(out, outlen, "invalid UTF-8 byte 0x%02X", *p);
        snprintf(d->found_pl, sizeof d->found_pl, "niepoprawny bajt UTF-8 0x%02X", *p);
    }
}

#define IS_WS(c) ((c) == ' ' || (c) == '\n' || (c) == '\r' || (c) == '\t')

static inline const unsigned char *skip_ws(const unsigned char *p, const unsigned char *end) {
    while (p < end && IS_WS(*p)) p++;
    return p;
}

static int dec_value(jdec *d);

/* ---- strings ---- */

static inline int hexval(unsigned c) {
    if (c - '0' < 10u) return (int)(c - '0');
    c |= 0x20;
    if (c - 'a' < 6u) return (int)(c - 'a' + 10);
    return -1;
}

/* Reads 4 hex digits at p (before lim); returns the value or -1. */
static int hex4(const unsigned char *p, const unsigned char *lim) {
    int v = 0, i, h;
    if (lim - p < 4) return -1;
    for (i = 0; i < 4; i++) {
        h = hexval(p[i]);
        if (h < 0) return -1;
        v = (v << 4) | h;
    }
    return v;
}

static int string_char_error(jdec *d, const unsigned char *p) {
    const char *why = "";
    unsigned c = *p;
    if (c == '\n' || c == '\r')
        return dec_fail(d, p, "line break inside a string (write it as \\n; or is a closing '\"' missing?)");
    if (c < 0x20)
        return dec_fail(d, p, "control character U+%04X inside a string must be escaped", c);
    utf8_seq(p, d->end, &why);
    return dec_fail(d, p, "invalid UTF-8 byte 0x%02X (%s)", c, why);
}

/* Writable space for n bytes: the scratch area, or a new userdata pushed on
   the stack (*pushed set to 1; the caller removes it). */
static char *dec_space(jdec *d, size_t n, int *pushed) {
    if (n <= sizeof d->scratch) {
        *pushed = 0;
        return d->scratch;
    }
    *pushed = 1;
    return (char *)lua_newuserdatauv(d->L, n, 0);
}

/* The slow path: the string (content starting at s) contains a backslash at p.
   Pushes the unescaped string. */
static KR_NOINLINE int dec_string_escaped(jdec *d, const unsigned char *s, const unsigned char *p) {
    lua_State *L = d->L;
    const unsigned char *end = d->end, *q = p;
    char *out, *o;
    int pushed;
    /* Find the closing quote: the unescaped string is at most that long. */
    while (q < end && *q != '"') q += (*q == '\\') ? 2 : 1;
    if (q > end) q = end;
    o = out = dec_space(d, (size_t)(q - s) + 1, &pushed);
    memcpy(o, s, (size_t)(p - s));
    o += p - s;
    while (p < q) {
        unsigned c = *p;
        unsigned char cls = str_class[c];
        if (cls == 0) { *o++ = (char)c; p++; continue; }
        if (cls == 2) {
            const unsigned char *esc = p;
            int cp;
            if (p + 1 >= q) break; /* backslash right before the end: unterminated */
            switch (p[1]) {
            case '"': *o++ = '"'; p += 2; continue;
            case '\\': *o++ = '\\'; p += 2; continue;
            case '/': *o++ = '/'; p += 2; continue;
            case 'b': *o++ = '\b'; p += 2; continue;
            case 'f': *o++ = '\f'; p += 2; continue;
            case 'n': *o++ = '\n'; p += 2; continue;
            case 'r': *o++ = '\r'; p += 2; continue;
            case 't': *o++ = '\t'; p += 2; continue;
            case 'u': break;
            default: {
                char what[48];
                if (p[1] >= 0x20 && p[1] < 0x7F)
                    return dec_fail(d, esc, "invalid escape '\\%c' in a string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", p[1]);
                describe(d, p + 1, what, sizeof what);
                return dec_fail(d, esc, "invalid escape: '\\' followed by %s", what);
            }
            }
            cp = hex4(p + 2, q);
            if (cp < 0) return dec_fail(d, esc, "invalid \\u escape: expected 4 hexadecimal digits after \\u");
            p += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int lo = -1;
                if (q - p >= 6 && p[0] == '\\' && p[1] == 'u') lo = hex4(p + 2, q);
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return dec_fail(d, esc, "lone surrogate \\u%04X: a high surrogate must be followed by a \\uDC00-\\uDFFF low surrogate", (unsigned)cp);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return dec_fail(d, esc, "lone surrogate \\u%04X: a low surrogate must follow a \\uD800-\\uDBFF high surrogate", (unsigned)cp);
            }
            if (cp < 0x80) {
                *o++ = (char)cp;
            } else if (cp < 0x800) {
                *o++ = (char)(0xC0 | (cp >> 6));
                *o++ = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                *o++ = (char)(0xE0 | (cp >> 12));
                *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                *o++ = (char)(0x80 | (cp & 0x3F));
            } else {
                *o++ = (char)(0xF0 | (cp >> 18));
                *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
                *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                *o++ = (char)(0x80 | (cp & 0x3F));
            }
            continue;
        }
        if (cls == 4) {
            const char *why;
            int n = utf8_seq(p, end, &why);
            if (n > 0) {
                memcpy(o, p, (size_t)n);
                o += n;
                p += n;
                continue;
            }
        }
        return string_char_error(d, p);
    }
    if (q >= end) return dec_fail(d, s - 1, "unterminated string (no closing '\"')");
    lua_pushlstring(L, out, (size_t)(o - out));
    if (pushed) lua_remove(L, -2);
    d->p = q + 1;
    d->str = lua_tolstring(L, -1, &d->slen);
    return 0;
}

/* d->p at the opening quote. Pushes the string; d->str/d->slen are its
   bytes (valid while it stays on the stack). */
static int dec_string(jdec *d) {
    const unsigned char *s = d->p + 1, *p = s, *end = d->end;
    for (;;) {
        while (end - p >= 8 && !swar_special(p)) p += 8;
        while (p < end) {
            unsigned char cls = str_class[*p];
            if (KR_LIKELY(cls == 0)) { p++; continue; }
            if (cls == 1) {
                size_t n = (size_t)(p - s);
                d->p = p + 1;
                d->slen = n;
                if (d->sc && n > 0 && n <= SCACHE_MAXLEN) {
                    unsigned h = ((unsigned)n * 40503u ^ (unsigned)s[0] * 31u ^ (unsigned)s[n - 1] * 131u
                                  ^ (unsigned)s[n >> 1] * 7u) & (SCACHE_SLOTS - 1);
                    scache_entry *e = &d->sc->e[h];
                    if (e->len == n && memcmp(e->s, s, n) == 0) {
                        lua_rawgeti(d->L, d->sct, (lua_Integer)h + 1);
                        d->str = e->s;
                        return 0;
                    }
                    lua_pushlstring(d->L, (const char *)s, n);
                    lua_pushvalue(d->L, -1);
                    lua_rawseti(d->L, d->sct, (lua_Integer)h + 1);
                    e->s = lua_tostring(d->L, -1);
                    e->len = n;
                    d->str = e->s;
                    return 0;
                }
                lua_pushlstring(d->L, (const char *)s, n);
                d->str = (const char *)s;
                return 0;
            }
            if (cls == 4) {
                const char *why;
                int n;
                if (utf8_two(p, end)) { p += 2; break; }
                n = utf8_seq(p, end, &why);
                if (KR_LIKELY(n > 0)) { p += n; break; }
                return string_char_error(d, p);
            }
            if (cls == 2) return dec_string_escaped(d, s, p);
            return string_char_error(d, p);
        }
        if (p >= end) return dec_fail(d, s - 1, "unterminated string (no closing '\"')");
    }
}

/* ---- numbers ---- */

static const double pow10_exact[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* strtod on buf (NUL-terminated, n chars, writable), independent of the
   locale's decimal point. Returns 0 when all n chars were consumed. */
static int strtod_c(char *buf, size_t n, double *out) {
    char *ep;
    *out = strtod(buf, &ep);
    if ((size_t)(ep - buf) == n) return 0;
    {
        /* A locale with another decimal point: retry with it. */
        const char *dp = localeconv()->decimal_point;
        char *dot = strchr(buf, '.');
        if (dot && dp && dp[0] && !dp[1]) {
            *dot = dp[0];
            *out = strtod(buf, &ep);
            if ((size_t)(ep - buf) == n) return 0;
        }
    }
    return -1;
}

static KR_NOINLINE int dec_number_slow(jdec *d, const unsigned char *s, const unsigned char *p) {
    size_t n = (size_t)(p - s);
    double v;
    int r, pushed;
    char *buf = dec_space(d, n + 1, &pushed);
    memcpy(buf, s, n);
    buf[n] = '\0';
    r = strtod_c(buf, n, &v);
    if (pushed) lua_pop(d->L, 1);
    if (r != 0) return dec_fail(d, s, "invalid number");
    if (isinf(v)) return dec_fail(d, s, "number out of range (too large for a double)");
    lua_pushnumber(d->L, v);
    return 0;
}

/* d->p at '-' or a digit. */
static int dec_number(jdec *d) {
    const unsigned char *s = d->p, *p = s, *end = d->end;
    uint64_t mant = 0;          /* the first 19 significant digits */
    int sig = 0, dropped = 0, neg = 0, isfloat = 0;
    long fracdig = 0, exp10 = 0;
    if (*p == '-') {
        neg = 1;
        p++;
        if (p >= end || (unsigned)(*p - '0') > 9u) {
            if (p < end && (*p == 'I' || *p == 'i'))
                return dec_fail(d, s, "-Infinity is not a valid JSON number");
            return dec_fail(d, p, "expected a digit after '-'");
        }
    }
    if (*p == '0') {
        p++;
        if (p < end && (unsigned)(*p - '0') <= 9u)
            return dec_fail(d, s, "leading zeros are not allowed in numbers");
    } else {
        while (p < end && (unsigned)(*p - '0') <= 9u) {
            if (sig < 19) { mant = mant * 10 + (unsigned)(*p - '0'); sig++; }
            else dropped = 1;
            p++;
        }
    }
    if (p < end && *p == '.') {
        isfloat = 1;
        p++;
        if (p >= end || (unsigned)(*p - '0') > 9u)
            return dec_fail(d, p, "expected a digit after the decimal point");
        while (p < end && (unsigned)(*p - '0') <= 9u) {
            unsigned dg = (unsigned)(*p - '0');
            if (mant == 0 && dg == 0) fracdig++;          /* leading zero: not significant */
            else if (sig < 19) { mant = mant * 10 + dg; sig++; fracdig++; }
            else dropped = 1;
            p++;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        int eneg = 0;
        long e = 0;
        isfloat = 1;
        p++;
        if (p < end && (*p == '+' || *p == '-')) { eneg = *p == '-'; p++; }
        if (p >= end || (unsigned)(*p - '0') > 9u)
            return dec_fail(d, p, "expected a digit in the exponent");
        while (p < end && (unsigned)(*p - '0') <= 9u) {
            if (e < 100000) e = e * 10 + (*p - '0');
            p++;
        }
        exp10 = eneg ? -e : e;
    }
    d->p = p;
    if (!isfloat) {
        if (!dropped) {
            if (!neg) {
                if (mant <= (uint64_t)INT64_MAX) {
                    lua_pushinteger(d->L, (lua_Integer)mant);
                    return 0;
                }
            } else if (mant == 0) {
                lua_pushnumber(d->L, -0.0);   /* "-0" keeps its sign */
                return 0;
            } else if (mant <= (uint64_t)INT64_MAX + 1) {
                lua_pushinteger(d->L, (lua_Integer)(0 - mant));
                return 0;
            }
        }
        return dec_number_slow(d, s, p);
    }
    /* Exact fast path (Clinger): mantissa <= 2^53 and |power of ten| <= 22;
       one correctly rounded IEEE operation on two exact values. */
    if (!dropped && mant <= (1ULL << 53)) {
        long e10 = exp10 - fracdig;
        if (e10 >= -22 && e10 <= 22) {
            double v = (double)mant;
            if (e10 < 0) v /= pow10_exact[-e10];
            else v *= pow10_exact[e10];
            lua_pushnumber(d->L, neg ? -v : v);
            return 0;
        }
    }
    return dec_number_slow(d, s, p);
}

/* ---- literals and errors at a value position ---- */

static KR_NOINLINE int dec_bad_value(jdec *d) {
    const unsigned char *p = d->p, *end = d->end, *w = p;
    char what[64];
    size_t n;
    while (w < end && (((unsigned)((*w | 0x20) - 'a') < 26u) || (unsigned)(*w - '0') <= 9u || *w == '_')) w++;
    n = (size_t)(w - p);
    if (n > 0) {
        if ((n == 3 && memcmp(p, "NaN", 3) == 0) || (n == 8 && memcmp(p, "Infinity", 8) == 0))
            return dec_fail(d, p, "%.*s is not a valid JSON number", (int)n, (const char *)p);
        if (n == 4 && (memcmp(p, "True", 4) == 0 || memcmp(p, "TRUE", 4) == 0))
            return dec_fail(d, p, "invalid literal '%.*s' (JSON literals are lowercase: true)", (int)n, (const char *)p);
        if (n == 5 && (memcmp(p, "False", 5) == 0 || memcmp(p, "FALSE", 5) == 0))
            return dec_fail(d, p, "invalid literal '%.*s' (JSON literals are lowercase: false)", (int)n, (const char *)p);
        if (n == 4 && (memcmp(p, "None", 4) == 0 || memcmp(p, "Null", 4) == 0 || memcmp(p, "NULL", 4) == 0))
            return dec_fail(d, p, "invalid literal '%.*s' (JSON uses null)", (int)n, (const char *)p);
        if (*p == 't' && n < 4 && memcmp(p, "true", n) == 0 && w >= end)
            return dec_fail(d, w, "unexpected end of input inside 'true'");
        if (*p == 'f' && n < 5 && memcmp(p, "false", n) == 0 && w >= end)
            return dec_fail(d, w, "unexpected end of input inside 'false'");
        if (*p == 'n' && n < 4 && memcmp(p, "null", n) == 0 && w >= end)
            return dec_fail(d, w, "unexpected end of input inside 'null'");
        if (n > 40) n = 40;
        return dec_fail(d, p, "invalid literal '%.*s' (expected a value: an object, array, string, number, true, false or null)", (int)n, (const char *)p);
    }
    if (*p == '\'') return dec_fail(d, p, "strings must be in double quotes, found '''");
    if (*p == '+') return dec_fail(d, p, "a number cannot start with '+'");
    if (*p == '.') return dec_fail(d, p, "a number cannot start with '.' (write 0.5, not .5)");
    if (p + 3 <= end && p == d->text && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return dec_fail(d, p, "unexpected byte order mark");
    describe(d, p, what, sizeof what);
    return dec_fail(d, p, "expected a value (an object, array, string, number, true, false or null), found %s", what);
}

static int dec_literal(jdec *d, const char *lit, size_t n) {
    const unsigned char *p = d->p;
    if ((size_t)(d->end - p) >= n && memcmp(p, lit, n) == 0) {
        p += n;
        /* "truex", "nullnull": the word must end here. */
        if (p < d->end && ((unsigned)((*p | 0x20) - 'a') < 26u || (unsigned)(*p - '0') <= 9u))
            return dec_bad_value(d);
        d->p = p;
        return 0;
    }
    return dec_bad_value(d);
}

/* ---- containers ---- */

/* lua_checkstack that turns a lack of memory into a Lua memory error (as any
   other allocation here would), not into a JSON error: growing the stack
   failed, so allocate that much as a userdata, which raises LUA_ERRMEM after
   an emergency collection if memory really is short, then try again. */
static KR_NOINLINE int dec_grow_stack(jdec *d, int n, const unsigned char *at) {
    lua_newuserdatauv(d->L, (size_t)n * 2 * sizeof(lua_Number) + 4096, 0);
    lua_pop(d->L, 1);
    if (lua_checkstack(d->L, n)) return 0;
    return dec_fail(d, at, "out of Lua stack space");
}
#define DEC_CHECKSTACK(d, n, at) \
    (KR_LIKELY(lua_checkstack((d)->L, (n))) ? 0 : dec_grow_stack((d), (n), (at)))

static KR_NOINLINE int dec_eof(jdec *d, const char *what) {
    return dec_fail(d, d->end, "unexpected end of input (%s)", what);
}

static KR_NOINLINE int dec_expected(jdec *d, const unsigned char *p, const char *what) {
    char found[64];
    if (p >= d->end) return dec_fail(d, p, "unexpected end of input (expected %s)", what);
    describe(d, p, found, sizeof found);
    return dec_fail(d, p, "expected %s, found %s", what, found);
}

static KR_NOINLINE int dec_dup_key(jdec *d, const unsigned char *keypos) {
    /* Show the key as written in the source (raw, escapes untouched), cut at 60 bytes. */
    const unsigned char *k = keypos + 1, *e = k;
    size_t n;
    int cut = 0;
    while (e < d->end && *e != '"') e += (*e == '\\') ? 2 : 1;
    if (e > d->end) e = d->end;
    n = (size_t)(e - k);
    if (n > 60) {
        n = 60;
        while (n > 0 && (k[n] & 0xC0) == 0x80) n--; /* do not split a character */
        cut = 1;
    }
    return dec_fail(d, keypos, "duplicate key \"%.*s\"%s", (int)n, (const char *)k, cut ? "..." : "");
}

/* Containers are built at their final size: the first members are parsed onto
   the Lua stack, then the table is created with the exact count and filled
   (Lua tables that grow while filled are rehashed at every power of two).
   Past the batch size the table is created and later members go straight in. */
#define OBJ_BATCH 32
#define ARR_BATCH 64

/* Creates the object table under the n key/value pairs at base+1.. and moves
   them in, leaving the table alone at base+1. Duplicates were checked already. */
static void dec_object_flush(jdec *d, int base, int n, int hint) {
    lua_State *L = d->L;
    int i;
    lua_createtable(L, 0, hint);
    if (d->obj_mt) { lua_pushvalue(L, d->obj_mt); lua_setmetatable(L, -2); }
    lua_insert(L, base + 1);
    for (i = 0; i < n; i++) lua_rawset(L, base + 1);
}

/* Fused validation: the value just read (at the top) against node at depth, unless it is an
   object or array (those were checked while they were read). */
static void fuse_scalar(jdec *d, const void *node, int depth) {
    lua_State *L = d->L;
    int ok;
    switch (*d->vstart) {   /* what the value read last was, by its first character */
    case '{': case '[': return;
    case '"': ok = kr_fuse_value(node, LUA_TSTRING, d->str, d->slen, 0, 0, 0, depth); break;
    case 't': ok = kr_fuse_value(node, LUA_TBOOLEAN, NULL, 0, 1, 0, 0, depth); break;
    case 'f': ok = kr_fuse_value(node, LUA_TBOOLEAN, NULL, 0, 0, 0, 0, depth); break;
    case 'n': ok = kr_fuse_value(node, LUA_TLIGHTUSERDATA, NULL, 0, 0, 0, 0, depth); break;
    default:
        if (lua_isinteger(L, -1)) ok = kr_fuse_value(node, LUA_TNUMBER, NULL, 0, (long long)lua_tointeger(L, -1), 0, 1, depth);
        else ok = kr_fuse_value(node, LUA_TNUMBER, NULL, 0, 0, (double)lua_tonumber(L, -1), 0, depth);
    }
    if (!ok) d->fbad = 1;
}

/* Fused validation of an object member whose key (an interned Lua string) is ks: the node of
   its value (NULL: anything goes), its field recorded in *seen. */
static const void *fuse_member(jdec *d, const void *obj, const char *ks, size_t kl, uint64_t *seen) {
    const void *child = NULL;
    int i = kr_fuse_field(obj, ks, kl, &child);
    if (i < 0) {
        if (kr_fuse_closed(obj)) d->fbad = 1;
        if (obj == d->froot) d->fextra = 1;
        return NULL;
    }
    *seen |= (uint64_t)1 << i;
    if (!child && kr_fuse_closed(obj)) d->fbad = 1;
    return child;
}

static int dec_object(jdec *d) {
    lua_State *L = d->L;
    const unsigned char *p = d->p, *end = d->end;
    dkey *keys = d->keys + d->nkeys;
    int base, n = 0, direct = 0, cap = DKEY_ARENA - d->nkeys;
    /* fused validation: this object's node, its depth, the fields seen; the root awaits its kind */
    const void *fo = NULL;
    int fdepth = d->fdepth, froot = d->fuse == 1 && d->depth == 0;
    uint64_t seen = 0;
    if (d->fnode && !d->fbad) {
        fo = kr_fuse_container(d->fnode, 0, &fdepth);
        if (!fo) d->fbad = 1;
    }
    d->fnode = NULL;
    if (cap > OBJ_BATCH) cap = OBJ_BATCH;
    if (KR_UNLIKELY(++d->depth > KR_JSON_MAX_DEPTH))
        return dec_fail(d, p, "nesting deeper than %d", KR_JSON_MAX_DEPTH);
    if (DEC_CHECKSTACK(d, 2 * OBJ_BATCH + 8, p)) return -1;
    p = skip_ws(p + 1, end);
    base = lua_gettop(L);
    if (p < end && *p == '}') {
        lua_createtable(L, 0, 0);
        if (d->obj_mt) { lua_pushvalue(L, d->obj_mt); lua_setmetatable(L, -2); }
        if (froot || (fo && !kr_fuse_object_done(fo, 0))) d->fbad = 1;
        d->p = p + 1;
        d->depth--;
        return 0;
    }
    if (cap == 0) {
        /* No key slots left (many nested objects): insert directly. */
        lua_createtable(L, 0, 4);
        if (d->obj_mt) { lua_pushvalue(L, d->obj_mt); lua_setmetatable(L, -2); }
        direct = 1;
    }
    d->nkeys += cap;
    for (;;) {
        const unsigned char *kp;
        if (KR_UNLIKELY(p >= end)) return dec_eof(d, "an object is not closed");
        if (KR_UNLIKELY(*p != '"')) {
            if (*p == '}') return dec_fail(d, p, "trailing comma before '}' is not allowed");
            return dec_expected(d, p, "a string key in double quotes");
        }
        kp = p;
        d->p = p;
        if (dec_string(d)) return -1;
        if (direct) {
            lua_pushvalue(L, -1);
            if (KR_UNLIKELY(lua_rawget(L, base + 1) != LUA_TNIL)) return dec_dup_key(d, kp);
            lua_pop(L, 1);
        } else {
            int i;
            for (i = 0; i < n; i++)
                if (keys[i].len == d->slen && memcmp(keys[i].s, d->str, d->slen) == 0)
                    return dec_dup_key(d, kp);
            keys[n].s = d->str;
            keys[n].len = d->slen;
        }
        p = skip_ws(d->p, end);
        if (KR_UNLIKELY(p >= end || *p != ':')) return dec_expected(d, p, "':' after an object key");
        d->p = p + 1;
        if (KR_UNLIKELY(d->fuse) && !d->fbad && (fo || froot)) {
            /* the key's bytes: mostly the text of the interned Lua string (the reader's string cache),
               whose address finds the field at once; valid while the key is on the stack */
            size_t kl = d->slen;
            const char *ks = d->str;
            const void *child = NULL;
            if (froot) {
                /* the root: its first key must be "kind", whose value picks the schema */
                if (n > 0 || kl != 4 || memcmp(ks, "kind", 4) != 0) d->fbad = 1;
                d->fnode = NULL;
                if (dec_value(d)) return -1;
                froot = 0;
                if (!d->fbad && lua_type(L, -1) == LUA_TSTRING) {
                    size_t vl;
                    const char *kind = lua_tolstring(L, -1, &vl);
                    const void *root = kr_fuse_root(L, kind, vl, &d->fplan);
                    fdepth = 0;
                    fo = root ? kr_fuse_container(root, 0, &fdepth) : NULL;
                    /* (KR_VALID tells extra keys from the root's own fields: a root that is only a
                       "$ref", or names no field, is left to it) */
                    if (!fo || fo != root || kr_fuse_nfields(fo) == 0) { d->fbad = 1; fo = NULL; }
                    else {
                        d->froot = fo;
                        d->fuse = 2;
                        child = fuse_member(d, fo, ks, kl, &seen);
                        if (child && !d->fbad) fuse_scalar(d, child, fdepth + 1);
                    }
                } else d->fbad = 1;
            } else {
                child = fuse_member(d, fo, ks, kl, &seen);
                d->fnode = d->fbad ? NULL : child;
                d->fdepth = fdepth + 1;
                if (dec_value(d)) return -1;
                if (d->fnode) fuse_scalar(d, child, fdepth + 1);
                d->fnode = NULL;
            }
        } else if (dec_value(d)) return -1;
        if (direct) {
            lua_rawset(L, base + 1);
        } else if (++n == cap) {
            dec_object_flush(d, base, n, 2 * n);
            direct = 1;
        }
        p = skip_ws(d->p, end);
        if (KR_LIKELY(p < end)) {
            if (*p == ',') { p = skip_ws(p + 1, end); continue; }
            if (*p == '}') {
                if (!direct) dec_object_flush(d, base, n, n);
                if (fo && !d->fbad && !kr_fuse_object_done(fo, seen)) d->fbad = 1;
                d->nkeys -= cap;
                d->p = p + 1;
                d->depth--;
                return 0;
            }
        } else {
            return dec_eof(d, "an object is not closed");
        }
        return dec_expected(d, p, "',' or '}' after an object member");
    }
}

/* Creates the array table for the n values at base+1.. and leaves it alone at base+1. */
static void dec_array_flush(jdec *d, int base, int n, int hint) {
    lua_State *L = d->L;
    int i;
    lua_createtable(L, hint, 0);
    if (d->arr_mt) { lua_pushvalue(L, d->arr_mt); lua_setmetatable(L, -2); }
    lua_insert(L, base + 1);
    for (i = n; i >= 1; i--) lua_rawseti(L, base + 1, i);
}

static int dec_array(jdec *d) {
    lua_State *L = d->L;
    const unsigned char *p = d->p, *end = d->end;
    lua_Integer n = 0;
    int base, direct = 0;
    /* fused validation: this array's node and its items' */
    const void *fa = NULL, *items = NULL;
    int fdepth = d->fdepth;
    if (d->fnode && !d->fbad) {
        fa = kr_fuse_container(d->fnode, 1, &fdepth);
        if (!fa) d->fbad = 1;
        else items = kr_fuse_items(fa);
    }
    d->fnode = NULL;
    if (KR_UNLIKELY(++d->depth > KR_JSON_MAX_DEPTH))
        return dec_fail(d, p, "nesting deeper than %d", KR_JSON_MAX_DEPTH);
    if (DEC_CHECKSTACK(d, ARR_BATCH + 8, p)) return -1;
    p = skip_ws(p + 1, end);
    base = lua_gettop(L);
    if (p < end && *p == ']') {
        lua_createtable(L, 0, 0);
        if (d->arr_mt) { lua_pushvalue(L, d->arr_mt); lua_setmetatable(L, -2); }
        if (fa && !d->fbad && !kr_fuse_array_done(fa, 0)) d->fbad = 1;
        d->p = p + 1;
        d->depth--;
        return 0;
    }
    for (;;) {
        if (KR_UNLIKELY(p >= end)) return dec_eof(d, "an array is not closed");
        if (KR_UNLIKELY(*p == ']')) return dec_fail(d, p, "trailing comma before ']' is not allowed");
        d->p = p;
        if (items && !d->fbad) {
            d->fnode = items;
            d->fdepth = fdepth + 1;
            if (dec_value(d)) return -1;
            if (d->fnode) fuse_scalar(d, items, fdepth + 1);
            d->fnode = NULL;
        } else if (dec_value(d)) return -1;
        ++n;
        if (direct) {
            lua_rawseti(L, base + 1, n);
        } else if (n == ARR_BATCH) {
            dec_array_flush(d, base, (int)n, 4 * ARR_BATCH);
            direct = 1;
        }
        p = skip_ws(d->p, end);
        if (KR_LIKELY(p < end)) {
            if (*p == ',') { p = skip_ws(p + 1, end); continue; }
            if (*p == ']') {
                if (!direct) dec_array_flush(d, base, (int)n, (int)n);
                if (fa && !d->fbad && !kr_fuse_array_done(fa, (long long)n)) d->fbad = 1;
                d->p = p + 1;
                d->depth--;
                return 0;
            }
        } else {
            return dec_eof(d, "an array is not closed");
        }
        return dec_expected(d, p, "',' or ']' after an array element");
    }
}

/* Parses one value at d->p (whitespace before it is skipped) and pushes it. */
static int dec_value(jdec *d) {
    const unsigned char *p = skip_ws(d->p, d->end);
    d->p = p;
    d->vstart = p;
    if (KR_UNLIKELY(p >= d->end)) return dec_fail(d, p, "unexpected end of input (expected a value)");
    switch (*p) {
    case '"': return dec_string(d);
    case '{': return dec_object(d);
    case '[': return dec_array(d);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return dec_number(d);
    case 't':
        if (dec_literal(d, "true", 4)) return -1;
        lua_pushboolean(d->L, 1);
        return 0;
    case 'f':
        if (dec_literal(d, "false", 5)) return -1;
        lua_pushboolean(d->L, 0);
        return 0;
    case 'n':
        if (dec_literal(d, "null", 4)) return -1;
        lua_pushlightuserdata(d->L, NULL);
        return 0;
    default:
        return dec_bad_value(d);
    }
}

/* 1-based line and column (in characters) of pos. */
static void dec_position(const jdec *d, const unsigned char *pos, long *line, long *col) {
    const unsigned char *p = d->text, *end = d->end;
    long ln = 1, cl = 1;
    if (pos > end) pos = end;
    while (p < pos) {
        unsigned c = *p;
        if (c == '\n' || (c == '\r' && (p + 1 >= end || p[1] != '\n'))) {
            ln++;
            cl = 1;
            p++;
            continue;
        }
        if (c < 0x80) {
            p++;
        } else {
            const char *why;
            int n = utf8_seq(p, end, &why);
            p += n > 0 ? n : 1;
        }
        cl++;
    }
    *line = ln;
    *col = cl;
}

static int metatable_slot(lua_State *L, int ref) {
    if (ref == LUA_NOREF || ref == LUA_REFNIL) return 0;
    if (lua_rawgeti(L, LUA_REGISTRYINDEX, ref) != LUA_TTABLE) {
        lua_pop(L, 1);
        return 0;
    }
    return lua_gettop(L);
}

/* The state's string cache: pushes its table and returns the cache (made on first use). */
static scache *scache_push(lua_State *L) {
    scache *sc;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &SCACHE_KEY) == LUA_TUSERDATA) {
        sc = (scache *)lua_touserdata(L, -1);
    } else {
        lua_pop(L, 1);
        sc = (scache *)lua_newuserdatauv(L, sizeof *sc, 1);
        memset(sc, 0, sizeof *sc);
        lua_createtable(L, SCACHE_SLOTS, 0);
        lua_setiuservalue(L, -2, 1);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &SCACHE_KEY);
    }
    lua_getiuservalue(L, -1, 1);
    lua_remove(L, -2);
    return sc;
}

static int decode(lua_State *L, const char *text, size_t len, int obj_mt_ref, int arr_mt_ref,
                  char *err, size_t errlen, char *err_pl, size_t errlen_pl, int fuse, const void **plan, int *extra);

int kr_json_decode(lua_State *L, const char *text, size_t len, int obj_mt_ref, int arr_mt_ref,
                   char *err, size_t errlen, char *err_pl, size_t errlen_pl) {
    return decode(L, text, len, obj_mt_ref, arr_mt_ref, err, errlen, err_pl, errlen_pl, 0, NULL, NULL);
}

int kr_json_decode_profile(lua_State *L, const char *text, size_t len, int obj_mt_ref, int arr_mt_ref,
                           char *err, size_t errlen, char *err_pl, size_t errlen_pl, const void **plan, int *extra) {
    return decode(L, text, len, obj_mt_ref, arr_mt_ref, err, errlen, err_pl, errlen_pl, 1, plan, extra);
}

static int decode(lua_State *L, const char *text, size_t len, int obj_mt_ref, int arr_mt_ref,
                  char *err, size_t errlen, char *err_pl, size_t errlen_pl, int fuse, const void **plan, int *extra) {
    jdec d;
    int top = lua_gettop(L);
    const unsigned char *t = (const unsigned char *)text;
    if (!lua_checkstack(L, 8)) {
        if (err && errlen) snprintf(err, errlen, "line 1, column 1: out of Lua stack space");
        if (err_pl && errlen_pl) snprintf(err_pl, errlen_pl, "wiersz 1, kolumna 1: zabrakło miejsca na stosie Lua");
        return -1;
    }
    if (!t) { t = (const unsigned char *)""; len = 0; }
    d.L = L;
    d.end = t + len;
    if (len >= 3 && t[0] == 0xEF && t[1] == 0xBB && t[2] == 0xBF) t += 3; /* skip a BOM */
    d.text = t;
    d.p = t;
    d.depth = 0;
    d.nkeys = 0;
    d.errpos = t;
    d.msg[0] = '\0';
    d.msg_pl[0] = '\0';
    d.found = NULL;
    d.obj_mt = metatable_slot(L, obj_mt_ref);
    d.arr_mt = metatable_slot(L, arr_mt_ref);
    d.sc = scache_push(L);
    d.sct = lua_gettop(L);
    d.fuse = fuse;
    d.fbad = 0;
    d.fextra = 0;
    d.fnode = NULL;
    d.fdepth = 0;
    d.froot = d.fplan = NULL;
    if (plan) *plan = NULL;
    if (extra) *extra = 0;
    if (d.p >= d.end || skip_ws(d.p, d.end) >= d.end) {
        dec_fail(&d, skip_ws(d.p, d.end), "unexpected end of input (the text is empty)");
    } else if (dec_value(&d) == 0) {
        const unsigned char *p = skip_ws(d.p, d.end);
        if (p >= d.end) {
            if (lua_gettop(L) != top + 1) {
                lua_replace(L, top + 1);
                lua_settop(L, top + 1);
            }
            if (fuse && d.fuse == 2 && !d.fbad) {   /* a profile known to be valid */
                if (plan) *plan = d.fplan;
                if (extra) *extra = d.fextra;
            }
            return 0;
        }
        {
            char what[64];
            describe(&d, p, what, sizeof what);
            dec_fail(&d, p, "unexpected data after the value: %s", what);
        }
    }
    lua_settop(L, top);
    if ((err && errlen) || (err_pl && errlen_pl)) {
        long line, col;
        dec_position(&d, d.errpos, &line, &col);
        if (err && errlen) snprintf(err, errlen, "line %ld, column %ld: %s", line, col, d.msg);
        if (err_pl && errlen_pl) snprintf(err_pl, errlen_pl, "wiersz %ld, kolumna %ld: %s", line, col, d.msg_pl);
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* Encoder                                                             */
/* ------------------------------------------------------------------ */

typedef struct ekey {
    const char *s;      /* string key, or NULL: integer key text in num */
    size_t len;
    int slot;           /* stack index of the value */
    int used;
    char num[24];
} ekey;

/* A metatable's __order read once per encoding: the keys (the order table's own strings,
   alive while the tables being written are) and each key already written as JSON ("key":).
   Used when the metatable has no __index, so lua_getfield reads raw. */
#define ORDER_MAX 16
#define ORDER_KEYLEN 40
#define ORDER_SLOTS 8
typedef struct jorder {
    const void *mt;
    int n;
    int closed;         /* the metatable says __closed = true: the table has no other keys */
    int flat;           /* __flat = true (static orders only): the table is an array of records of n
                           values each, written as an array of objects (see enc_flat) */
    const char *key[ORDER_MAX];
    unsigned char jlen[ORDER_MAX];
    char json[ORDER_MAX][ORDER_KEYLEN + 4];
} jorder;

/* Orders compiled once per state (KR_STATIC_ORDER): the engine's own result metatables, met in
   every record; anchored in the registry with their metatables, which never change. */
typedef struct jstatic {
    int n;
    jorder o[ORDER_SLOTS];
} jstatic;
static char STATIC_KEY;

typedef struct jenc {
    lua_State *L;
    kr_buf *out;
    const jstatic *statics;    /* this state's static orders, or NULL */
    const void *arr_mt;
    const void *mt_no_order;   /* last metatable seen without __order */
    jorder orders[ORDER_SLOTS];
    int norders;
    int depth;
    ekey *keys;
    size_t nkeys, capkeys;
    char msg[160];
    char path[200];            /* where the error happened, built while unwinding */
    size_t pathlen;
    int pathcut;
} jenc;

static KR_NOINLINE int enc_fail(jenc *e, const char *msg) {
    snprintf(e->msg, sizeof e->msg, "%s", msg);
    e->pathlen = 0;
    e->pathcut = 0;
    return -1;
}

/* Prepends a path component (".key" or "[3]") while unwinding after an error. */
static KR_NOINLINE void enc_path_prepend(jenc *e, const char *comp, size_t n) {
    size_t keep = e->pathlen;
    if (n > sizeof e->path - 1) n = sizeof e->path - 1;
    if (keep + n > sizeof e->path - 1) {
        keep = sizeof e->path - 1 - n;
        e->pathcut = 1;
    }
    memmove(e->path + n, e->path, keep);
    memcpy(e->path, comp, n);
    e->pathlen = keep + n;
}

static KR_NOINLINE void enc_path_key(jenc *e, const char *k, size_t n) {
    char comp[48];
    size_t m = n > 40 ? 40 : n;
    comp[0] = '.';
    memcpy(comp + 1, k, m);
    if (m < n) { memcpy(comp + 1 + m, "...", 3); m += 3; }
    enc_path_prepend(e, comp, m + 1);
}

static KR_NOINLINE void enc_path_index(jenc *e, lua_Integer i) {
    char comp[32];
    int n = snprintf(comp, sizeof comp, "[%lld]", (long long)i);
    enc_path_prepend(e, comp, (size_t)n);
}

#define PUTLIT(e, lit) kr_buf_put((e)->out, lit, sizeof(lit) - 1)

/* Appends one byte; 0 or -1 (out of memory). */
static inline int put1(kr_buf *b, char c) {
    if (KR_UNLIKELY(buf_reserve(b, 1) != 0)) return -1;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return 0;
}

/* Writes the decimal digits of v at the end of a 24-byte buffer; returns the start. */
static inline char *fmt_int(char *bufend, lua_Integer v) {
    char *p = bufend;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    return p;
}

static int enc_integer(jenc *e, lua_Integer v) {
    char buf[24];
    char *s = fmt_int(buf + sizeof buf, v);
    if (kr_buf_put(e->out, s, (size_t)(buf + sizeof buf - s)) != 0) return enc_fail(e, "out of memory");
    return 0;
}

static const uint64_t pow10_u64[16] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
    100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
    10000000000000ULL, 100000000000000ULL, 1000000000000000ULL,
};

/* Fast path of enc_float for 1e-4 <= |v| < 1e15 (where %g uses fixed notation):
   finds the fewest decimals k such that round(v * 10^k) / 10^k reads back as v
   (one correctly rounded division of two exact values, i.e. what strtod does).
   With at most 15 significant digits this is exactly what %.15g prints
   (DBL_DIG = 15: such decimals survive decimal -> double -> %.15g unchanged).
   Returns the length written into buf, or 0 to use snprintf. */
static int fmt_float_fixed(double v, char *buf) {
    double a = fabs(v);
    int k;
    if (!(a >= 1e-4 && a < 1e15)) return 0;
    for (k = 1; k <= 15; k++) {
        double scaled = a * pow10_exact[k], r;
        uint64_t u, ip, fp;
        char tmp[24], *p = tmp + sizeof tmp, *o = buf;
        int i;
        if (scaled >= 1e15) return 0;           /* more than 15 digits */
        r = floor(scaled + 0.5);
        if (r / pow10_exact[k] != a) continue;
        u = (uint64_t)r;
        ip = u / pow10_u64[k];
        fp = u % pow10_u64[k];
        if (v < 0) *o++ = '-';
        do { *--p = (char)('0' + ip % 10); ip /= 10; } while (ip);
        memcpy(o, p, (size_t)(tmp + sizeof tmp - p));
        o += tmp + sizeof tmp - p;
        *o++ = '.';
        for (i = k - 1; i >= 0; i--) { o[i] = (char)('0' + fp % 10); fp /= 10; }
        o += k;
        while (o[-1] == '0') o--;               /* cannot happen for the smallest k; kept for safety */
        if (o[-1] == '.') o--;
        return (int)(o - buf);
    }
    return 0;
}

static int enc_float(jenc *e, double v) {
    char buf[40];
    int n, prec;
    if (isnan(v) || isinf(v)) return enc_fail(e, "NaN or infinity cannot be written as JSON");
    if (v == floor(v) && fabs(v) < 1e15) {
        if (v == 0 && signbit(v)) return PUTLIT(e, "-0") ? enc_fail(e, "out of memory") : 0;
        return enc_integer(e, (lua_Integer)v);
    }
    n = fmt_float_fixed(v, buf);
    if (n > 0) return kr_buf_put(e->out, buf, (size_t)n) ? enc_fail(e, "out of memory") : 0;
    for (prec = 15; prec <= 17; prec++) {
        char *ep;
        n = snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (prec == 17 || strtod(buf, &ep) == v) break;
    }
    {
        int i;
        for (i = 0; i < n; i++)   /* a locale with a decimal comma */
            if (buf[i] == ',') buf[i] = '.';
    }
    if (kr_buf_put(e->out, buf, (size_t)n) != 0) return enc_fail(e, "out of memory");
    return 0;
}

static int enc_string_plain(jenc *e, const char *str, size_t len);

/* The written form of long strings seen again, per thread. The texts of a ruleset (labels, legal
   bases, assumptions, titles) are the same Lua strings in every result, at the same address: their
   escaping and UTF-8 check are done once. An entry is used only when its text is byte-equal to the
   string (an address can be reused by another string after a collection), so a stale entry costs a
   miss, never a wrong byte. A string is kept the second time its address and length are seen in a
   row: texts made per record (reasons) do not churn the cache. Two ways a set: with one, two texts
   of a ruleset whose addresses met in a slot drove each other out, and the encoder's cost moved by
   6 000 instructions a record with where the prelude's strings happened to lie. (callgrind,
   ps-status: the encoder's string work for these texts was some 10 000 instructions a record.) */
#define ESC_SLOTS 1024
#define ESC_MIN 10
#define ESC_MAX 1024
typedef struct {
    const char *ptr, *seen;     /* the cached string's address; the last address seen in this set */
    uint32_t len, seen_len, elen;
    uint32_t victim;            /* in a set's first way: the way the next string replaces */
    char *buf;                  /* len bytes of the text, then elen bytes of its JSON form */
} esc_entry;
static __thread esc_entry esc_cache[ESC_SLOTS];
/* what a thread kept is freed when it ends (a server runs each batch on threads of its own) */
static pthread_key_t esc_key;
static pthread_once_t esc_once = PTHREAD_ONCE_INIT;
static void esc_release(void *p) {
    esc_entry *c = (esc_entry *)p;
    for (int i = 0; i < ESC_SLOTS; i++) {
        free(c[i].buf);
        c[i].buf = NULL;
        c[i].ptr = c[i].seen = NULL;
    }
}
static void esc_key_make(void) { (void)pthread_key_create(&esc_key, esc_release); }
static void esc_keep_for_thread(void) {
    if (pthread_once(&esc_once, esc_key_make) == 0 && pthread_getspecific(esc_key) == NULL)
        (void)pthread_setspecific(esc_key, esc_cache);
}

static int enc_string(jenc *e, const char *str, size_t len) {
    if (len < ESC_MIN || len > ESC_MAX) return enc_string_plain(e, str, len);
    /* two ways a set: two texts whose addresses meet in one set do not drive each other out */
    uintptr_t a = (uintptr_t)str;
    esc_entry *set = &esc_cache[(((a >> 4) ^ (a >> 13)) & (ESC_SLOTS / 2 - 1)) * 2];
    for (int w = 0; w < 2; w++) {
        esc_entry *h = &set[w];
        if (h->ptr == str && h->len == len && memcmp(h->buf, str, len) == 0) {
            if (kr_buf_put(e->out, h->buf + len, h->elen) != 0) return enc_fail(e, "out of memory");
            return 0;
        }
    }
    size_t start = e->out->len;
    if (enc_string_plain(e, str, len)) return -1;
    if (set->seen != str || set->seen_len != len) {
        set->seen = str;
        set->seen_len = (uint32_t)len;
        return 0;
    }
    esc_entry *c = !set[0].buf ? &set[0] : !set[1].buf ? &set[1] : &set[set->victim & 1];
    set->victim = (uint32_t)(c == &set[0]);
    size_t elen = e->out->len - start;
    char *buf = (char *)malloc(len + elen);
    if (!buf) return 0;            /* no cache entry: the string was written all the same */
    esc_keep_for_thread();
    memcpy(buf, str, len);
    memcpy(buf + len, e->out->data + start, elen);
    free(c->buf);
    c->buf = buf;
    c->ptr = str;
    c->len = (uint32_t)len;
    c->elen = (uint32_t)elen;
    return 0;
}

static int enc_string_plain(jenc *e, const char *str, size_t len) {
    static const char hex[] = "0123456789abcdef";
    kr_buf *out = e->out;
    const unsigned char *p = (const unsigned char *)str, *end = p + len, *run = p;
    char *o;
    if (buf_reserve(out, len + 2) != 0) return enc_fail(e, "out of memory");
    out->data[out->len++] = '"';
    for (;;) {
        while (end - p >= 8 && !swar_special(p)) p += 8;
        while (p < end && str_class[*p] == 0) p++;
        if (p >= end) break;
        if (utf8_two(p, end)) { p += 2; continue; }
        if (*p >= 0x80) {
            const char *why;
            int n = utf8_seq(p, end, &why);
            if (n > 0) { p += n; continue; }
        }
        /* Flush the run, then write one escape (at most 6 bytes). */
        if (buf_reserve(out, (size_t)(p - run) + 6 + (size_t)(end - p) + 1) != 0)
            return enc_fail(e, "out of memory");
        memcpy(out->data + out->len, run, (size_t)(p - run));
        out->len += (size_t)(p - run);
        o = out->data + out->len;
        switch (*p) {
        case '"': o[0] = '\\'; o[1] = '"'; o += 2; break;
        case '\\': o[0] = '\\'; o[1] = '\\'; o += 2; break;
        case '\n': o[0] = '\\'; o[1] = 'n'; o += 2; break;
        case '\r': o[0] = '\\'; o[1] = 'r'; o += 2; break;
        case '\t': o[0] = '\\'; o[1] = 't'; o += 2; break;
        case '\b': o[0] = '\\'; o[1] = 'b'; o += 2; break;
        case '\f': o[0] = '\\'; o[1] = 'f'; o += 2; break;
        default:
            if (*p >= 0x80) {
                memcpy(o, "\\ufffd", 6);
            } else {
                o[0] = '\\'; o[1] = 'u'; o[2] = '0'; o[3] = '0';
                o[4] = hex[*p >> 4]; o[5] = hex[*p & 15];
            }
            o += 6;
        }
        out->len = (size_t)(o - out->data);
        p++;
        run = p;
    }
    if (buf_reserve(out, (size_t)(p - run) + 1) != 0) return enc_fail(e, "out of memory");
    memcpy(out->data + out->len, run, (size_t)(p - run));
    out->len += (size_t)(p - run);
    out->data[out->len++] = '"';
    out->data[out->len] = '\0';
    return 0;
}

static int enc_value(jenc *e, int idx);

static const char *ekey_str(const ekey *k) { return k->s ? k->s : k->num; }

static int ekey_cmp(const ekey *a, const ekey *b) {
    const unsigned char *x = (const unsigned char *)ekey_str(a), *y = (const unsigned char *)ekey_str(b);
    size_t n = a->len < b->len ? a->len : b->len, i;
    if (n > 32) {
        int c = memcmp(x, y, n);
        if (c) return c;
    } else {
        for (i = 0; i < n; i++)
            if (x[i] != y[i]) return (int)x[i] - (int)y[i];
    }
    return a->len < b->len ? -1 : a->len > b->len;
}

static void sift_down(ekey *k, size_t i, size_t n) {
    for (;;) {
        size_t c = 2 * i + 1;
        ekey t;
        if (c >= n) return;
        if (c + 1 < n && ekey_cmp(&k[c], &k[c + 1]) < 0) c++;
        if (ekey_cmp(&k[i], &k[c]) >= 0) return;
        t = k[i]; k[i] = k[c]; k[c] = t;
        i = c;
    }
}

static void sort_keys(ekey *k, size_t n) {
    size_t i;
    if (n <= 16) {
        for (i = 1; i < n; i++) {
            ekey t = k[i];
            size_t j = i;
            while (j > 0 && ekey_cmp(&k[j - 1], &t) > 0) { k[j] = k[j - 1]; j--; }
            k[j] = t;
        }
        return;
    }
    for (i = n / 2; i-- > 0;) sift_down(k, i, n);
    for (i = n - 1; i > 0; i--) {
        ekey t = k[0]; k[0] = k[i]; k[i] = t;
        sift_down(k, 0, i);
    }
}

/* Index (from 0) of the key equal to (s, len) among n sorted keys, or -1. */
static long find_key(const ekey *k, size_t n, const char *s, size_t len) {
    size_t lo = 0, hi = n;
    ekey probe;
    probe.s = s;
    probe.len = len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ekey_cmp(&k[mid], &probe);
        if (c == 0) return (long)mid;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return -1;
}

static int enc_array(jenc *e, int idx, lua_Integer n) {
    lua_State *L = e->L;
    lua_Integer i;
    if (put1(e->out, '[') != 0) return enc_fail(e, "out of memory");
    for (i = 1; i <= n; i++) {
        int r;
        if (i > 1 && put1(e->out, ',') != 0) return enc_fail(e, "out of memory");
        lua_rawgeti(L, idx, i);
        r = enc_value(e, lua_gettop(L));
        lua_pop(L, 1);
        if (r) { enc_path_index(e, i); return -1; }
    }
    if (put1(e->out, ']') != 0) return enc_fail(e, "out of memory");
    return 0;
}

/* Looks for "__order" in the metatable at mt without calling metamethods or
   allocating. Leaves the __order table pushed and returns its index, or 0. */
static int find_order(jenc *e, int mt) {
    lua_State *L = e->L;
    lua_pushnil(L);
    while (lua_next(L, mt)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            size_t kl;
            const char *k = lua_tolstring(L, -2, &kl);
            if (kl == 7 && memcmp(k, "__order", 7) == 0) {
                if (lua_type(L, -1) == LUA_TTABLE) {
                    lua_remove(L, -2);
                    return lua_gettop(L);
                }
                lua_pop(L, 2);
                return 0;
            }
        }
        lua_pop(L, 1);
    }
    return 0;
}

static int enc_member(jenc *e, ekey *k, int *first) {
    const char *s = ekey_str(k);
    size_t len = k->len;
    int slot = k->slot; /* read before anything can move e->keys */
    if (!*first && put1(e->out, ',') != 0) return enc_fail(e, "out of memory");
    *first = 0;
    if (enc_string(e, s, len)) return -1;
    if (put1(e->out, ':') != 0) return enc_fail(e, "out of memory");
    k->used = 1;
    /* k (and s, for an integer key) must not be used after this call:
       nested objects may move e->keys. -2 tells the caller the value failed. */
    return enc_value(e, slot) ? -2 : 0;
}

static KR_NOINLINE int enc_bad_key(jenc *e, int kt) {
    char msg[96];
    if (kt == LUA_TNUMBER)
        snprintf(msg, sizeof msg, "a table key must be a string or an integer, found the number %.17g", lua_tonumber(e->L, -2));
    else
        snprintf(msg, sizeof msg, "a table key must be a string or an integer, found a %s key", lua_typename(e->L, kt));
    return enc_fail(e, msg);
}

static KR_NOINLINE int enc_dup_key(jenc *e, const ekey *a) {
    char msg[120];
    snprintf(msg, sizeof msg, "the key \"%.*s\" appears both as an integer and as a string",
             (int)(a->len > 40 ? 40 : a->len), ekey_str(a));
    return enc_fail(e, msg);
}

static KR_NOINLINE int enc_bad_type(jenc *e, int t) {
    char msg[80];
    snprintf(msg, sizeof msg, "a %s cannot be written as JSON", lua_typename(e->L, t));
    return enc_fail(e, msg);
}

/* The end of an object written in __order: when the table has keys the order did not
   name, undoes the write and returns 1 (the caller takes the general, sorting path). */
static int close_ordered(jenc *e, int idx, size_t mark, size_t written) {
    lua_State *L = e->L;
    size_t total = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) { total++; lua_pop(L, 1); }
    if (total != written) { e->out->len = mark; e->out->data[mark] = 0; return 1; }
    if (put1(e->out, '}') != 0) return enc_fail(e, "out of memory");
    return 0;
}

/* The common case of result tables: every key is named by __order. Writes the listed keys
   by direct lookup, then counts the table's keys; when some key was not listed, undoes the
   write and returns 1 so the caller takes the general (sorting) path. */
static int enc_object_ordered(jenc *e, int idx, int order) {
    lua_State *L = e->L;
    size_t mark = e->out->len, written = 0;
    lua_Integer j, on = (lua_Integer)lua_rawlen(L, order);
    int first = 1;
    if (put1(e->out, '{') != 0) return enc_fail(e, "out of memory");
    for (j = 1; j <= on; j++) {
        size_t ol;
        const char *os;
        if (lua_rawgeti(L, order, j) != LUA_TSTRING) { lua_pop(L, 1); continue; }
        os = lua_tolstring(L, -1, &ol);
        {   /* a key listed twice is written once */
            int dup = 0;
            for (lua_Integer i = 1; i < j && !dup; i++) {
                if (lua_rawgeti(L, order, i) == LUA_TSTRING) dup = lua_rawequal(L, -1, -2);
                lua_pop(L, 1);
            }
            if (dup) { lua_pop(L, 1); continue; }
        }
        lua_pushvalue(L, -1);
        if (lua_rawget(L, idx) == LUA_TNIL) { lua_pop(L, 2); continue; }
        if (!first && put1(e->out, ',') != 0) return enc_fail(e, "out of memory");
        first = 0;
        if (enc_string(e, os, ol)) return -1;
        if (put1(e->out, ':') != 0) return enc_fail(e, "out of memory");
        if (enc_value(e, lua_gettop(L))) { enc_path_key(e, os, ol); return -1; }
        lua_pop(L, 2);
        written++;
    }
    return close_ordered(e, idx, mark, written);
}

/* The compiled order of the metatable at mt whose __order table is at order, or NULL when
   it cannot be compiled (too many or too long keys, keys needing escapes, an __index). */
static jorder *order_entry(jenc *e, const void *mt) {
    if (e->statics)
        for (int i = 0; i < e->statics->n; i++)
            if (e->statics->o[i].mt == mt) return (jorder *)&e->statics->o[i];
    for (int i = 0; i < e->norders; i++)
        if (e->orders[i].mt == mt) return &e->orders[i];
    return NULL;
}

static jorder *compile_order(jenc *e, const void *mtp, int mt, int order) {
    lua_State *L = e->L;
    jorder *o = order_entry(e, mtp);
    if (o) return o->n >= 0 ? o : NULL;
    if (e->norders == ORDER_SLOTS) return NULL;
    o = &e->orders[e->norders++];
    o->mt = mtp;
    o->n = -1;
    lua_pushliteral(L, "__index");
    int has_index = lua_rawget(L, mt) != LUA_TNIL;
    lua_pop(L, 1);
    lua_pushliteral(L, "__closed");
    o->closed = lua_rawget(L, mt) == LUA_TBOOLEAN && lua_toboolean(L, -1);
    lua_pop(L, 1);
    o->flat = 0;
    lua_Integer on = (lua_Integer)lua_rawlen(L, order);
    if (has_index || on > ORDER_MAX) return NULL;
    for (lua_Integer j = 1; j <= on; j++) {
        size_t len;
        if (lua_rawgeti(L, order, j) != LUA_TSTRING) { lua_pop(L, 1); return NULL; }
        const char *k = lua_tolstring(L, -1, &len);
        lua_pop(L, 1);   /* the string stays alive in the order table */
        if (len > ORDER_KEYLEN || strlen(k) != len) return NULL;
        for (size_t i = 0; i < len; i++)
            if (str_class[(unsigned char)k[i]] != 0) return NULL;
        for (lua_Integer i = 1; i < j; i++)   /* a key listed twice: the general path */
            if (o->key[i - 1] == k || (strlen(o->key[i - 1]) == len && memcmp(o->key[i - 1], k, len) == 0)) return NULL;
        o->key[j - 1] = k;
        o->json[j - 1][0] = '"';
        memcpy(o->json[j - 1] + 1, k, len);
        o->json[j - 1][len + 1] = '"';
        o->json[j - 1][len + 2] = ':';
        o->jlen[j - 1] = (unsigned char)(len + 3);
    }
    o->n = (int)on;
    return o;
}

/* enc_object_ordered with a compiled order: one lua_getfield per key (the key's string is
   found in Lua's string cache by its address), the key written as prepared bytes. */
static int enc_object_compiled(jenc *e, int idx, const jorder *o) {
    lua_State *L = e->L;
    size_t mark = e->out->len, written = 0;
    int first = 1;
    if (put1(e->out, '{') != 0) return enc_fail(e, "out of memory");
    for (int j = 0; j < o->n; j++) {
        if (lua_getfield(L, idx, o->key[j]) == LUA_TNIL) { lua_pop(L, 1); continue; }
        if (!first && put1(e->out, ',') != 0) return enc_fail(e, "out of memory");
        first = 0;
        if (kr_buf_put(e->out, o->json[j], o->jlen[j]) != 0) return enc_fail(e, "out of memory");
        if (enc_value(e, lua_gettop(L))) { enc_path_key(e, o->key[j], strlen(o->key[j])); return -1; }
        lua_pop(L, 1);
        written++;
    }
#ifndef DEBUG
    /* the engine's own result tables (__closed) hold only the keys their order names: counting
       their keys again cost some 18 000 instructions a record on ps-status. A debug build
       (the tests) still counts, and fails loudly on a key the order does not name. */
    if (o->closed) return put1(e->out, '}') != 0 ? enc_fail(e, "out of memory") : 0;
#else
    if (o->closed) {
        int r = close_ordered(e, idx, mark, written);
        return r == 1 ? enc_fail(e, "a table whose metatable says __closed has a key its __order does not name") : r;
    }
#endif
    return close_ordered(e, idx, mark, written);
}

/* A table whose (static) metatable says __flat: records of o->n values each, one after the other
   in the array part (the engine's criterion results: no Lua table per criterion). Written as an
   array of objects, the keys of the order in turn; a value that is nil or false is left out (a
   record cannot hold nil in the array part, so false stands for "absent"). */
static int enc_flat(jenc *e, int idx, const jorder *o) {
    lua_State *L = e->L;
    lua_Integer len = (lua_Integer)lua_rawlen(L, idx), nrec;
    if (o->n == 0 || len % o->n != 0) return enc_fail(e, "a flat table whose length is not a whole number of records");
    nrec = len / o->n;
    if (put1(e->out, '[') != 0) return enc_fail(e, "out of memory");
    for (lua_Integer r = 0; r < nrec; r++) {
        int first = 1;
        if (r > 0 && put1(e->out, ',') != 0) return enc_fail(e, "out of memory");
        if (put1(e->out, '{') != 0) return enc_fail(e, "out of memory");
        for (int j = 0; j < o->n; j++) {
            int t = lua_rawgeti(L, idx, r * o->n + j + 1);
            if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) { lua_pop(L, 1); continue; }
            if (!first && put1(e->out, ',') != 0) return enc_fail(e, "out of memory");
            first = 0;
            if (kr_buf_put(e->out, o->json[j], o->jlen[j]) != 0) return enc_fail(e, "out of memory");
            if (enc_value(e, lua_gettop(L))) {
                enc_path_key(e, o->key[j], strlen(o->key[j]));
                enc_path_index(e, r + 1);
                return -1;
            }
            lua_pop(L, 1);
        }
        if (put1(e->out, '}') != 0) return enc_fail(e, "out of memory");
    }
    if (put1(e->out, ']') != 0) return enc_fail(e, "out of memory");
    return 0;
}

/* tried: the compiled order was already tried on this table (it has keys the order does not name) */
static int enc_object(jenc *e, int idx, int order, int tried) {
    lua_State *L = e->L;
    size_t kbase = e->nkeys, n, i;
    int first = 1;
    if (order && !tried) {
        int top = lua_gettop(L);
        const jorder *o = lua_getmetatable(L, idx) ? compile_order(e, lua_topointer(L, -1), lua_gettop(L), order) : NULL;
        int r = o ? enc_object_compiled(e, idx, o) : enc_object_ordered(e, idx, order);
        lua_settop(L, top);
        if (r <= 0) return r;
    }
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        ekey *k;
        int kt = lua_type(L, -2);
        if (!lua_checkstack(L, 4)) return enc_fail(e, "out of Lua stack space (table too large)");
        if (e->nkeys == e->capkeys) {
            size_t nc = e->capkeys ? e->capkeys * 2 : 64;
            ekey *nk = (ekey *)realloc(e->keys, nc * sizeof *nk);
            if (!nk) return enc_fail(e, "out of memory");
            e->keys = nk;
            e->capkeys = nc;
        }
        k = &e->keys[e->nkeys];
        if (kt == LUA_TSTRING) {
            k->s = lua_tolstring(L, -2, &k->len);
        } else if (kt == LUA_TNUMBER && lua_isinteger(L, -2)) {
            char *s = fmt_int(k->num + sizeof k->num - 1, lua_tointeger(L, -2));
            k->len = (size_t)(k->num + sizeof k->num - 1 - s);
            memmove(k->num, s, k->len);
            k->num[k->len] = '\0';
            k->s = NULL;
        } else {
            e->nkeys = kbase;
            return enc_bad_key(e, kt);
        }
        k->slot = lua_gettop(L);
        k->used = 0;
        e->nkeys++;
        lua_pushvalue(L, -2);
    }
    n = e->nkeys - kbase;
    sort_keys(e->keys + kbase, n);
    for (i = 1; i < n; i++) {
        ekey *a = &e->keys[kbase + i - 1];
        if (ekey_cmp(a, a + 1) == 0) {
            e->nkeys = kbase;
            return enc_dup_key(e, a);
        }
    }
    if (put1(e->out, '{') != 0) { e->nkeys = kbase; return enc_fail(e, "out of memory"); }
    if (order) {
        lua_Integer j, on = (lua_Integer)lua_rawlen(L, order);
        for (j = 1; j <= on; j++) {
            long at;
            if (lua_rawgeti(L, order, j) == LUA_TSTRING) {
                size_t ol;
                const char *os = lua_tolstring(L, -1, &ol);
                at = find_key(e->keys + kbase, n, os, ol);
                if (at >= 0 && !e->keys[kbase + (size_t)at].used) {
                    int r = enc_member(e, &e->keys[kbase + (size_t)at], &first);
                    if (r) {
                        if (r == -2) enc_path_key(e, os, ol);
                        e->nkeys = kbase;
                        return -1;
                    }
                }
            }
            lua_pop(L, 1);
        }
    }
    for (i = 0; i < n; i++) {
        ekey *k = &e->keys[kbase + i];
        if (!k->used) {
            int r = enc_member(e, k, &first);
            if (r) {
                if (r == -2) {
                    k = &e->keys[kbase + i]; /* the array may have moved */
                    enc_path_key(e, ekey_str(k), k->len);
                }
                e->nkeys = kbase;
                return -1;
            }
        }
    }
    e->nkeys = kbase;
    if (put1(e->out, '}') != 0) return enc_fail(e, "out of memory");
    return 0;
}

static int enc_table(jenc *e, int idx) {
    lua_State *L = e->L;
    int top = lua_gettop(L), order = 0, tried = 0, r;
    lua_Integer n;
    if (e->depth >= KR_JSON_MAX_DEPTH) return enc_fail(e, "too deep or cyclic (more than 200 nested tables)");
    if (!lua_checkstack(L, 8)) return enc_fail(e, "out of Lua stack space");
    e->depth++;
    n = (lua_Integer)lua_rawlen(L, idx);
    if (lua_getmetatable(L, idx)) {
        const void *mt = lua_topointer(L, -1);
        if (mt == e->arr_mt) {
            lua_settop(L, top);
            r = enc_array(e, idx, n);
            goto done;
        }
        const jorder *known = order_entry(e, mt);
        if (known && known->flat) {
            lua_settop(L, top);
            r = enc_flat(e, idx, known);
            goto done;
        }
        if (known && known->n >= 0) {
            /* a metatable met before in this encoding: no need to look for __order again */
            lua_settop(L, top);
            r = enc_object_compiled(e, idx, known);
            lua_settop(L, top);
            if (r <= 0) goto done;
            lua_getmetatable(L, idx);
            tried = 1;
        }
        if (mt != e->mt_no_order) {
            order = find_order(e, top + 1);
            if (!order) e->mt_no_order = mt;
        }
    }
    if (n > 0 && !order) {
        /* A plain sequence 1..n with no other keys is an array. */
        lua_Integer count = 0;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            lua_pop(L, 1);
            if (++count > n) { lua_pop(L, 1); break; }
        }
        if (count == n) {
            lua_settop(L, top);
            r = enc_array(e, idx, n);
            goto done;
        }
    }
    r = enc_object(e, idx, order, tried);
done:
    lua_settop(L, top);
    e->depth--;
    return r;
}

static int enc_value(jenc *e, int idx) {
    lua_State *L = e->L;
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return PUTLIT(e, "null") ? enc_fail(e, "out of memory") : 0;
    case LUA_TBOOLEAN:
        if (lua_toboolean(L, idx)) return PUTLIT(e, "true") ? enc_fail(e, "out of memory") : 0;
        return PUTLIT(e, "false") ? enc_fail(e, "out of memory") : 0;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) return enc_integer(e, lua_tointeger(L, idx));
        return enc_float(e, lua_tonumber(L, idx));
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        return enc_string(e, s, len);
    }
    case LUA_TTABLE:
        return enc_table(e, idx);
    case LUA_TLIGHTUSERDATA:
        if (lua_touserdata(L, idx) == NULL) return PUTLIT(e, "null") ? enc_fail(e, "out of memory") : 0;
        return enc_fail(e, "a light userdata other than null cannot be written as JSON");
    default:
        return enc_bad_type(e, lua_type(L, idx));
    }
}

int kr_json_encode(lua_State *L, int idx, int arr_mt_ref, kr_buf *out, char *err, size_t errlen) {
    jenc e;
    int top = lua_gettop(L), r;
    if (err && errlen) err[0] = '\0';
    idx = lua_absindex(L, idx);
    e.L = L;
    e.out = out;
    e.arr_mt = NULL;
    e.statics = NULL;
    e.mt_no_order = NULL;
    e.norders = 0;
    e.depth = 0;
    e.keys = NULL;
    e.nkeys = e.capkeys = 0;
    e.msg[0] = '\0';
    e.pathlen = 0;
    e.pathcut = 0;
    if (!lua_checkstack(L, 8)) {
        if (err && errlen) snprintf(err, errlen, "out of Lua stack space");
        return -1;
    }
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &STATIC_KEY) == LUA_TUSERDATA)
        e.statics = (const jstatic *)lua_touserdata(L, -1);   /* anchored in the registry */
    lua_pop(L, 1);
    if (arr_mt_ref != LUA_NOREF && arr_mt_ref != LUA_REFNIL) {
        if (lua_rawgeti(L, LUA_REGISTRYINDEX, arr_mt_ref) == LUA_TTABLE) e.arr_mt = lua_topointer(L, -1);
        lua_pop(L, 1);
    }
    r = enc_value(&e, idx);
    lua_settop(L, top);
    free(e.keys);
    if (r) {
        if (err && errlen) {
            if (e.pathlen)
                snprintf(err, errlen, "%s (at $%.*s%s)", e.msg, (int)e.pathlen, e.path, e.pathcut ? "..." : "");
            else
                snprintf(err, errlen, "%s", e.msg);
        }
        return -1;
    }
    return 0;
}

/* KR_STATIC_ORDER(mt): the writer compiles mt's __order once for this state instead of once per
   encoding (callgrind, ps-status: finding and compiling the three result orders of the engine
   in every record cost some 13 000 instructions). For metatables that live as long as the state
   and never change: the prelude's own. Raises for a metatable without a usable __order.
   A metatable with __flat = true marks tables of records written by enc_flat. */
int kr_json_static_order_lua(lua_State *L) {
    jenc tmp;
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &STATIC_KEY) != LUA_TUSERDATA) {
        lua_pop(L, 1);
        jstatic *st = (jstatic *)lua_newuserdatauv(L, sizeof(jstatic), 1);
        st->n = 0;
        lua_newtable(L);                      /* the metatables, kept alive */
        lua_setiuservalue(L, -2, 1);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &STATIC_KEY);
    }
    jstatic *st = (jstatic *)lua_touserdata(L, 2);
    const void *mtp = lua_topointer(L, 1);
    for (int i = 0; i < st->n; i++)
        if (st->o[i].mt == mtp) return 0;     /* already there */
    if (st->n == ORDER_SLOTS) return luaL_error(L, "KR_STATIC_ORDER: at most %d orders", ORDER_SLOTS);
    memset(&tmp, 0, sizeof tmp);
    tmp.L = L;
    int order = find_order(&tmp, 1);
    const jorder *o = order ? compile_order(&tmp, mtp, 1, order) : NULL;
    if (!o) return luaL_error(L, "KR_STATIC_ORDER: the metatable has no __order the writer can compile "
                                 "(a table of at most %d plain keys, and no __index)", ORDER_MAX);
    lua_getiuservalue(L, 2, 1);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, st->n + 1);
    st->o[st->n] = *o;
    lua_pushliteral(L, "__flat");
    st->o[st->n].flat = lua_rawget(L, 1) == LUA_TBOOLEAN && lua_toboolean(L, -1);
    lua_pop(L, 1);
    st->n++;
    return 0;
}
