/*
 * json_fuzz: fuzz target of kr_json.c.
 *
 * For every input: decode it (inside lua_pcall, in a state with a memory cap).
 *  - On failure the Lua stack must be unchanged and the message must start
 *    with "line L, column C: " (L, C >= 1).
 *  - On success: encode (must succeed: a decoded value is always encodable),
 *    decode that output (must succeed), encode again, and the two encodings
 *    must be byte-identical. Any violation aborts, which the fuzzer reports.
 *
 * Built two ways by scripts/fuzz-json.sh:
 *  - with clang -fsanitize=fuzzer: a libFuzzer target (LLVMFuzzerTestOneInput);
 *  - with -DKR_FUZZ_STANDALONE (any C compiler): a small deterministic
 *    mutation driver with a fixed seed and a time bound:
 *        json_fuzz SECONDS FILE_OR_DIR...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "kr_shim.h"

#define FUZZ_MEMORY_LIMIT ((size_t)64 << 20)

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

static lua_State *g_L;
static cap_alloc g_cap;
static int g_obj_ref, g_arr_ref;
static kr_buf g_b1, g_b2;
static unsigned long g_runs;

static void setup(void) {
    g_cap.used = 0;
    g_cap.limit = (size_t)-1;
    g_L = lua_newstate(capped_alloc, &g_cap);
    if (!g_L) abort();
    lua_newtable(g_L);
    g_obj_ref = luaL_ref(g_L, LUA_REGISTRYINDEX);
    lua_newtable(g_L);
    g_arr_ref = luaL_ref(g_L, LUA_REGISTRYINDEX);
    g_cap.limit = g_cap.used + FUZZ_MEMORY_LIMIT;
    kr_buf_init(&g_b1);
    kr_buf_init(&g_b2);
}

static void die(const char *what, const char *detail, const uint8_t *data, size_t size) {
    fprintf(stderr, "json_fuzz: %s\n", what);
    if (detail) fprintf(stderr, "  %s\n", detail);
    fprintf(stderr, "  input (%zu bytes): %.*s\n", size, (int)(size > 300 ? 300 : size), (const char *)data);
    if (g_b1.len) fprintf(stderr, "  first encoding: %.*s\n", (int)(g_b1.len > 300 ? 300 : g_b1.len), g_b1.data);
    if (g_b2.len) fprintf(stderr, "  second encoding: %.*s\n", (int)(g_b2.len > 300 ? 300 : g_b2.len), g_b2.data);
    abort();
}

typedef struct ctx {
    const uint8_t *data;
    size_t size;
} ctx;

static void check_message(const char *err, const uint8_t *data, size_t size) {
    long line = 0, col = 0;
    int used = 0;
    if (sscanf(err, "line %ld, column %ld: %n", &line, &col, &used) != 2 || used == 0 || line < 1 || col < 1 || err[used] == '\0')
        die("malformed error message", err, data, size);
}

static int run(lua_State *L) {
    ctx *c = (ctx *)lua_touserdata(L, 1);
    char err[256];
    int top = lua_gettop(L);
    memset(err, 'x', sizeof err); /* the message must get NUL-terminated */
    if (kr_json_decode(L, (const char *)c->data, c->size, g_obj_ref, g_arr_ref, err, sizeof err, NULL, 0) != 0) {
        if (lua_gettop(L) != top) die("the stack changed on a decoding error", err, c->data, c->size);
        if (!memchr(err, '\0', sizeof err)) die("the error message is not NUL-terminated", NULL, c->data, c->size);
        check_message(err, c->data, c->size);
        return 0;
    }
    if (lua_gettop(L) != top + 1) die("decode pushed a wrong number of values", NULL, c->data, c->size);
    if (kr_json_encode(L, -1, g_arr_ref, &g_b1, err, sizeof err) != 0)
        die("cannot encode a decoded value", err, c->data, c->size);
    if (lua_gettop(L) != top + 1) die("encode changed the stack", NULL, c->data, c->size);
    if (kr_json_decode(L, g_b1.data, g_b1.len, g_obj_ref, g_arr_ref, err, sizeof err, NULL, 0) != 0)
        die("cannot decode the encoder's output", err, c->data, c->size);
    if (kr_json_encode(L, -1, g_arr_ref, &g_b2, err, sizeof err) != 0)
        die("cannot encode the second decoded value", err, c->data, c->size);
    if (g_b1.len != g_b2.len || memcmp(g_b1.data, g_b2.data, g_b1.len) != 0)
        die("round trip is not stable: the two encodings differ", NULL, c->data, c->size);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ctx c;
    int st;
    if (!g_L) setup();
    c.data = data;
    c.size = size;
    kr_buf_reset(&g_b1);
    kr_buf_reset(&g_b2);
    lua_settop(g_L, 0);
    lua_pushcfunction(g_L, run);
    lua_pushlightuserdata(g_L, &c);
    st = lua_pcall(g_L, 1, 0, 0);
    if (st != LUA_OK && st != LUA_ERRMEM) die("unexpected Lua error", lua_tostring(g_L, -1), data, size);
    lua_settop(g_L, 0);
    if (++g_runs % 4096 == 0) lua_gc(g_L, LUA_GCCOLLECT);
    return 0;
}

#ifdef KR_FUZZ_STANDALONE
/* ---- a small deterministic mutation driver (when libFuzzer is missing) ---- */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FUZZ_MAX_INPUT 16384

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL; /* fixed seed: runs are reproducible */
static uint64_t rnd(void) {
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}
static size_t rnd_below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

static const char *tokens[] = {
    "{", "}", "[", "]", ",", ":", "\"", "\\", "true", "false", "null", "-", "0", "1", "-0", "1.5",
    "1e400", "1e-400", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "0.1",
    "e+", "E-", ".", "\\u", "\\u0000", "\\ud83d\\ude00", "\\ud800", "\\udc00", "\\n", "\\\"", "\\/",
    "\xc3\xa9", "\xc4\x85", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xc0\xaf", "\xff",
    "\xef\xbb\xbf", " ", "\n", "\r\n", "\t", "{\"a\":", "[[[[[[[[", "]]]]]]]]", "\"k\":1,", "\"\":",
};

static unsigned char **seeds;
static size_t *seed_len;
static size_t nseeds, capseeds;

static unsigned char g_cur[FUZZ_MAX_INPUT];
static volatile size_t g_cur_len;

static void add_seed(const unsigned char *d, size_t n) {
    if (n > FUZZ_MAX_INPUT) n = FUZZ_MAX_INPUT;
    if (nseeds == capseeds) {
        capseeds = capseeds ? capseeds * 2 : 256;
        seeds = realloc(seeds, capseeds * sizeof *seeds);
        seed_len = realloc(seed_len, capseeds * sizeof *seed_len);
        if (!seeds || !seed_len) abort();
    }
    seeds[nseeds] = malloc(n ? n : 1);
    if (!seeds[nseeds]) abort();
    memcpy(seeds[nseeds], d, n);
    seed_len[nseeds++] = n;
}

static void load_path(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        struct dirent *de;
        char **names = NULL;
        size_t n = 0, i;
        if (!dir) return;
        while ((de = readdir(dir)) != NULL) {
            if (de->d_name[0] == '.') continue;
            names = realloc(names, (n + 1) * sizeof *names);
            if (!names) abort();
            names[n] = malloc(strlen(path) + strlen(de->d_name) + 2);
            if (!names[n]) abort();
            sprintf(names[n], "%s/%s", path, de->d_name);
            n++;
        }
        closedir(dir);
        /* readdir order varies: sort for reproducible runs */
        for (i = 1; i < n; i++) {
            char *t = names[i];
            size_t j = i;
            while (j > 0 && strcmp(names[j - 1], t) > 0) { names[j] = names[j - 1]; j--; }
            names[j] = t;
        }
        for (i = 0; i < n; i++) { load_path(names[i]); free(names[i]); }
        free(names);
    } else {
        FILE *f = fopen(path, "rb");
        unsigned char buf[FUZZ_MAX_INPUT];
        size_t r;
        if (!f) return;
        r = fread(buf, 1, sizeof buf, f);
        fclose(f);
        add_seed(buf, r);
    }
}

static size_t mutate(unsigned char *b, size_t n) {
    int rounds = 1 + (int)rnd_below(4), i;
    for (i = 0; i < rounds; i++) {
        switch (rnd_below(8)) {
        case 0: /* flip a bit */
            if (n) b[rnd_below(n)] ^= (unsigned char)(1u << rnd_below(8));
            break;
        case 1: /* set a random byte */
            if (n) b[rnd_below(n)] = (unsigned char)rnd();
            break;
        case 2: { /* delete a range */
            size_t at, len;
            if (!n) break;
            at = rnd_below(n);
            len = 1 + rnd_below(n - at < 16 ? n - at : 16);
            memmove(b + at, b + at + len, n - at - len);
            n -= len;
            break;
        }
        case 3: case 4: { /* insert a token */
            const char *t = tokens[rnd_below(sizeof tokens / sizeof *tokens)];
            size_t tl = strlen(t), at = rnd_below(n + 1);
            if (n + tl > FUZZ_MAX_INPUT) break;
            memmove(b + at + tl, b + at, n - at);
            memcpy(b + at, t, tl);
            n += tl;
            break;
        }
        case 5: { /* duplicate a range */
            size_t at, len, to;
            if (!n) break;
            at = rnd_below(n);
            len = 1 + rnd_below(n - at < 64 ? n - at : 64);
            unsigned char tmp[64];
            to = rnd_below(n + 1);
            if (n + len > FUZZ_MAX_INPUT) break;
            memcpy(tmp, b + at, len);
            memmove(b + to + len, b + to, n - to);
            memcpy(b + to, tmp, len);
            n += len;
            break;
        }
        case 6: { /* splice with another seed */
            size_t s = rnd_below(nseeds), at = rnd_below(n + 1), sl = seed_len[s], from, len;
            if (!sl) break;
            from = rnd_below(sl);
            len = 1 + rnd_below(sl - from < 128 ? sl - from : 128);
            if (at + len > FUZZ_MAX_INPUT) break;
            memcpy(b + at, seeds[s] + from, len);
            if (at + len > n) n = at + len;
            break;
        }
        default: /* truncate */
            if (n) n = rnd_below(n + 1);
            break;
        }
    }
    return n;
}

static void on_crash(int sig) {
    /* Save the input being run: only async-signal-safe calls here. */
    static const char msg[] = "json_fuzz: crashed; input saved to .build-fuzz/crash-standalone\n";
    int fd = open(".build-fuzz/crash-standalone", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        if (write(fd, g_cur, g_cur_len) < 0) { /* nothing to do */ }
        close(fd);
    }
    if (write(2, msg, sizeof msg - 1) < 0) { /* nothing to do */ }
    signal(sig, SIG_DFL);
    raise(sig);
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 30;
    time_t start = time(NULL);
    unsigned long execs = 0;
    int i;
    size_t s;
    for (i = 2; i < argc; i++) load_path(argv[i]);
    if (nseeds == 0) add_seed((const unsigned char *)"{}", 2);
    signal(SIGABRT, on_crash);
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    for (s = 0; s < nseeds; s++) {
        memcpy(g_cur, seeds[s], seed_len[s]);
        g_cur_len = seed_len[s];
        LLVMFuzzerTestOneInput(g_cur, g_cur_len);
        execs++;
    }
    while (difftime(time(NULL), start) < seconds) {
        int k;
        for (k = 0; k < 256; k++) {
            size_t n, src = rnd_below(nseeds);
            memcpy(g_cur, seeds[src], seed_len[src]);
            n = mutate(g_cur, seed_len[src]);
            g_cur_len = n;
            LLVMFuzzerTestOneInput(g_cur, n);
            execs++;
            /* keep some mutants as new seeds so mutations compound */
            if (rnd_below(64) == 0 && nseeds < 20000) add_seed(g_cur, n);
        }
    }
    printf("json_fuzz (standalone): %lu executions in %.0f s, %zu inputs in the pool, no failures\n",
           execs, difftime(time(NULL), start), nseeds);
    return 0;
}
#endif
