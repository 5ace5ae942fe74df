/*
 * kr_state.c: a sandboxed Lua state. A capped allocator, an instruction budget
 * enforced by a count hook, a guard that turns either limit into an ordinary
 * error, and kr_call, the one door through which Swift calls Lua.
 *
 * The count hook is armed late. Once any count hook is set, Lua 5.4 traps every
 * instruction (luaG_traceexec), which cost 17 % of an evaluation. Almost every guarded
 * call (one rule on one profile) ends within a millisecond, so a watchdog thread arms the
 * hook only in a call that is still running after a grace of 10-20 ms (the watchdog wakes
 * every KRYTERIA_HOOK_GRACE_MS, default 10, and arms a call it saw the time before): it signals that
 * thread, and the signal handler sets the hook (lua_sethook is safe from a signal handler;
 * Lua's own interpreter does the same on Ctrl-C). From then on the budget counts as before.
 * The memory cap and the charges for C work need no hook and apply from the first
 * instruction; a limit that is hit sets the hook at once (stick). A thread that blocks the
 * signal would never be stopped (Dispatch's worker threads, on which kryteria serve
 * evaluates, block nearly every signal), so each thread unblocks it at its first guarded
 * call. KRYTERIA_HOOK=always sets the hook at the start of every call instead (the old way).
 */
#define _GNU_SOURCE
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "kr_shim.h"

enum { HIT_NONE = 0, HIT_MEMORY = 1, HIT_BUDGET = 2 };

int kr_valid_lua(lua_State *L); /* kr_schema.c */
int kr_protect_lua(lua_State *L); /* kr_view.c */
int kr_next_lua(lua_State *L);    /* kr_view.c */
int kr_data_lua(lua_State *L);    /* kr_view.c */
void kr_view_init(lua_State *L);  /* kr_view.c */
int kr_result_maker_lua(lua_State *L);  /* kr_result.c */

/* Small blocks of one state: size classes of 16 bytes up to POOL_MAX, each a free list, carved
   from chunks of POOL_CHUNK bytes that go back to the system only when the state is closed.
   Lua tells the allocator the old size of every block, so a block needs no header. Measured with
   callgrind on ps-status: malloc and free cost some 50 000 instructions a record (about 170
   small tables, strings and nodes made and freed per record); a free-list pop or push costs a
   few. */
#define POOL_MAX 256
#define POOL_CLASSES (POOL_MAX / 16)
#define POOL_CHUNK (64 * 1024)
typedef struct kr_pool {
    void *free[POOL_CLASSES + 1];   /* [c]: blocks of c * 16 bytes */
    char *cur, *end;                /* the chunk being carved */
    void *chunks;                   /* every chunk, linked through its first word */
} kr_pool;

struct kr_state {
    lua_State *L;
    size_t used;
    size_t limit;
    size_t limit_saved;
    int hit;          /* a limit was hit: sticky until control is back in KR_GUARD */
    int tainted;      /* the memory cap was hit at least once: replace this state */
    int64_t budget;
    int64_t spent;    /* instructions (counted per TICK) plus charges for C work */
    int depth;
    int obj_mt;
    int arr_mt;
    /* the profile decoded last by kr_call (a KR_ARG_PROFILE argument) when its reading found it valid
       (validation fused into decoding): the table, the plan, extra keys; KR_PREVALID reads it once */
    const void *pre_table, *pre_plan;
    int pre_extra;
    /* the options of the last call with a KR_ARG_OPTIONS argument: their bytes and their table
       (a registry reference). A batch or a service sends the same options with every record:
       decoded once (measured with callgrind: decoding them cost some 5 000 instructions a record). */
    char *opt_bytes;
    size_t opt_len;
    int opt_ref;
    char where[256];  /* "file:line: " of the place a limit was hit */
    /* the watchdog (see the top of the file) */
    volatile sig_atomic_t active;   /* inside an outermost guarded call */
    volatile sig_atomic_t hooked;   /* the count hook is set for this call */
    unsigned long gen;              /* guarded calls begun (read by the watchdog) */
    unsigned long seen;             /* gen when the watchdog last looked */
    pthread_t owner;                /* the thread running the call */
    kr_state *next_watched;
    kr_pool pool;                   /* small blocks (see kr_alloc) */
};

static int l_prevalid(lua_State *L);

/* The count hook fires every TICK instructions; C work is charged to the same meter. */
#define TICK 1000

static kr_state *state_of(lua_State *L) {
    return *(kr_state **)lua_getextraspace(L);
}

static void kr_hook(lua_State *L, lua_Debug *ar);

/* A limit was hit: from now on every instruction fails (the hook fires on each one) until
   KR_GUARD has control again, so no pcall, <close> handler or error object can turn the
   limit into an ordinary error or keep running. Safe from the allocator: it only sets fields. */
static void stick(kr_state *s, int hit) {
    if (s->hit == HIT_NONE) s->hit = hit;
    if (hit == HIT_MEMORY) s->tainted = 1;
    if (s->depth > 0) {
        lua_sethook(s->L, kr_hook, LUA_MASKCOUNT, 1);
        s->hooked = 1;
    }
}

/* ---- the watchdog ---- */
#define GRACE_NS 10000000L   /* KRYTERIA_HOOK_GRACE_MS changes it (callgrind runs 50x slower) */
static long grace_ns = GRACE_NS;
#define WATCH_SIGNAL SIGURG
static pthread_mutex_t watch_mu = PTHREAD_MUTEX_INITIALIZER;
static kr_state *watched;
static pthread_once_t watch_once = PTHREAD_ONCE_INIT;
static int hook_always;
static __thread kr_state *running;   /* the state this thread is in a guarded call of */
static __thread int signal_open;     /* this thread has unblocked WATCH_SIGNAL */

static void on_watch_signal(int sig) {
    (void)sig;
    kr_state *s = running;
    if (s && s->active && !s->hooked && s->hit == HIT_NONE) {
        lua_sethook(s->L, kr_hook, LUA_MASKCOUNT, TICK);
        s->hooked = 1;
    }
}

static void *watchdog(void *arg) {
    (void)arg;
    for (;;) {
        struct timespec ts = { grace_ns / 1000000000L, grace_ns % 1000000000L };
        nanosleep(&ts, NULL);
        pthread_mutex_lock(&watch_mu);
        for (kr_state *s = watched; s; s = s->next_watched) {
            unsigned long g = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE);
            /* the same call as a grace ago, still running and not hooked: arm it */
            if (s->active && !s->hooked && g == s->seen) pthread_kill(s->owner, WATCH_SIGNAL);
            s->seen = g;
        }
        pthread_mutex_unlock(&watch_mu);
    }
    return NULL;
}

static void watch_start(void) {
    const char *h = getenv("KRYTERIA_HOOK");
    hook_always = h && strcmp(h, "always") == 0;
    if (hook_always) return;
    const char *g = getenv("KRYTERIA_HOOK_GRACE_MS");
    if (g) {
        long ms = atol(g);
        if (ms >= 1 && ms <= 10000) grace_ns = ms * 1000000L;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_watch_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(WATCH_SIGNAL, &sa, NULL);
    pthread_t t;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &at, watchdog, NULL) != 0) hook_always = 1;
    pthread_attr_destroy(&at);
}

static void watch(kr_state *s) {
    pthread_once(&watch_once, watch_start);
    pthread_mutex_lock(&watch_mu);
    s->next_watched = watched;
    watched = s;
    pthread_mutex_unlock(&watch_mu);
}

static void unwatch(kr_state *s) {
    pthread_mutex_lock(&watch_mu);
    for (kr_state **p = &watched; *p; p = &(*p)->next_watched)
        if (*p == s) { *p = s->next_watched; break; }
    pthread_mutex_unlock(&watch_mu);
}

/* The outermost guarded call begins: the hook is armed now (KRYTERIA_HOOK=always) or by
   the watchdog after the grace. */
static void guard_begin(kr_state *s) {
    s->hooked = 0;
    if (hook_always) {
        lua_sethook(s->L, kr_hook, LUA_MASKCOUNT, TICK);
        s->hooked = 1;
        return;
    }
    if (!signal_open) {
        sigset_t m;
        sigemptyset(&m);
        sigaddset(&m, WATCH_SIGNAL);
        pthread_sigmask(SIG_UNBLOCK, &m, NULL);
        signal_open = 1;
    }
    s->owner = pthread_self();
    running = s;
    __atomic_add_fetch(&s->gen, 1, __ATOMIC_RELEASE);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    s->active = 1;
}

/* It ends: no signal handler may set the hook after this. */
static void guard_end(kr_state *s) {
    s->active = 0;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    running = NULL;
    lua_sethook(s->L, NULL, 0, 0);
    s->hooked = 0;
}

static inline size_t pool_class(size_t n) { return (n + 15) >> 4; }

static void *pool_get(kr_pool *pl, size_t c) {
    void *b = pl->free[c];
    if (b) {
        pl->free[c] = *(void **)b;
        return b;
    }
    size_t n = c << 4;
    if ((size_t)(pl->end - pl->cur) < n) {
        char *chunk = malloc(POOL_CHUNK);
        if (!chunk) return NULL;
        *(void **)chunk = pl->chunks;
        pl->chunks = chunk;
        pl->cur = chunk + 16;        /* the link, kept 16-byte aligned */
        pl->end = chunk + POOL_CHUNK;
    }
    b = pl->cur;
    pl->cur += n;
    return b;
}

static inline void pool_put(kr_pool *pl, void *b, size_t c) {
    *(void **)b = pl->free[c];
    pl->free[c] = b;
}

static void pool_release(kr_pool *pl) {
    while (pl->chunks) {
        void *next = *(void **)pl->chunks;
        free(pl->chunks);
        pl->chunks = next;
    }
}

/* malloc/realloc/free for Lua: small blocks from the pool, the rest from the C library. */
static void *pool_realloc(kr_pool *pl, void *ptr, size_t old, size_t nsize) {
    size_t oc = ptr && old <= POOL_MAX ? pool_class(old) : 0;
    size_t nc = nsize <= POOL_MAX ? pool_class(nsize) : 0;
    if (nsize == 0) {
        if (oc) pool_put(pl, ptr, oc); else free(ptr);
        return NULL;
    }
    if (ptr && oc == nc && oc) return ptr;          /* the same class: the block fits */
    if (!oc && !nc) return realloc(ptr, nsize);    /* large to large */
    void *p = nc ? pool_get(pl, nc) : malloc(nsize);
    if (!p) return NULL;
    if (ptr) {
        memcpy(p, ptr, old < nsize ? old : nsize);
        if (oc) pool_put(pl, ptr, oc); else free(ptr);
    }
    return p;
}

static void *kr_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    kr_state *s = (kr_state *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        pool_realloc(&s->pool, ptr, old, 0);
        s->used -= old;
        return NULL;
    }
    if (nsize > old && s->used + (nsize - old) > s->limit) {
        stick(s, HIT_MEMORY);
        return NULL;
    }
    /* building big strings or tables is work too: one unit per 16 bytes */
    if (s->depth > 0 && nsize > old) {
        s->spent += (int64_t)((nsize - old) >> 4);
        if (s->spent > s->budget && s->hit == HIT_NONE) stick(s, HIT_BUDGET);
    }
    void *p = pool_realloc(&s->pool, ptr, old, nsize);
    if (p == NULL) {
        if (nsize > old) stick(s, HIT_MEMORY);
        return NULL;
    }
    s->used = s->used - old + nsize;
    return p;
}

static void note_place(lua_State *L, kr_state *s) {
    lua_Debug at;
    s->where[0] = 0;
    for (int level = 0; level < 4 && lua_getstack(L, level, &at); level++) {
        if (lua_getinfo(L, "Sl", &at) && at.currentline > 0) {
            snprintf(s->where, sizeof s->where, "%s:%d: ", at.short_src, at.currentline);
            return;
        }
    }
}

static int raise_limit(lua_State *L, kr_state *s) {
    /* no allocation here: the message is made by KR_GUARD once it has control */
    lua_pushlightuserdata(L, (void *)&s->hit);
    return lua_error(L);
}

static void kr_hook(lua_State *L, lua_Debug *ar) {
    if (ar->event != LUA_HOOKCOUNT) return;
    kr_state *s = state_of(L);
    if (s->hit == HIT_NONE) {
        s->spent += TICK;
        if (s->spent <= s->budget) return;
        note_place(L, s);
        stick(s, HIT_BUDGET);
    } else if (s->where[0] == 0) {
        note_place(L, s);
    }
    raise_limit(L, s);
}

/* KR_CHARGED(f, unit): f wrapped so that each call charges the budget for the bytes of its
   string arguments (one unit per `unit` bytes) before it runs: a C function cannot be
   stopped by the hook once it runs, so it pays up front. */
static int l_charged_call(lua_State *L) {
    kr_state *s = state_of(L);
    if (s->depth > 0) {
        lua_Integer unit = lua_tointeger(L, lua_upvalueindex(2));
        int n = lua_gettop(L);
        int64_t bytes = 0, longest = 0;
        for (int i = 1; i <= n && i <= 3; i++) {
            int t = lua_type(L, i);
            if (t == LUA_TSTRING) {
                int64_t len = (int64_t)lua_rawlen(L, i);
                bytes += len;
                if (i == 2 && len > 1 && lua_toboolean(L, lua_upvalueindex(3))) longest = len;
            } else if (t == LUA_TTABLE) {
                bytes += 16 * (int64_t)lua_rawlen(L, i);   /* sort, concat, unpack walk the array */
            }
        }
        /* a search for a long literal may compare it at every position of the subject */
        int64_t cost = 1 + bytes / (unit > 0 ? unit : 1);
        if (longest > 1) {
            int64_t subject = lua_type(L, 1) == LUA_TSTRING ? (int64_t)lua_rawlen(L, 1) : 0;
            cost += (subject / 64) * (longest > 64 ? longest / 8 : 1);
        }
        s->spent += cost;
        if (s->spent > s->budget || s->hit != HIT_NONE) {
            if (s->hit == HIT_NONE) {
                note_place(L, s);
                stick(s, HIT_BUDGET);
            }
            return raise_limit(L, s);
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static int l_charged(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_Integer unit = luaL_optinteger(L, 2, 32);
    int search = lua_toboolean(L, 3);
    lua_settop(L, 1);
    lua_pushinteger(L, unit);
    lua_pushboolean(L, search);
    lua_pushcclosure(L, l_charged_call, 3);
    return 1;
}

/* KR_STOPPED(e): true when e is the signal of a limit (the light userdata raise_limit throws). */
static int l_stopped(lua_State *L) {
    kr_state *s = state_of(L);
    lua_pushboolean(L, s->hit != HIT_NONE ||
        (lua_type(L, 1) == LUA_TLIGHTUSERDATA && lua_touserdata(L, 1) == (void *)&s->hit));
    return 1;
}

static void lift_limit(kr_state *s) {
    s->limit_saved = s->limit;
    s->limit = SIZE_MAX;
}

static void restore_limit(kr_state *s) {
    s->limit = s->limit_saved;
}

static void push_limit_message(lua_State *L, kr_state *s, int hit) {
    if (hit == HIT_MEMORY)
        lua_pushfstring(L, "%smemory limit exceeded (%d MiB)", s->where, (int)(s->limit_saved >> 20));
    else
        lua_pushfstring(L, "%sinstruction budget exceeded (%I instructions)", s->where, (lua_Integer)s->budget);
}

/* KR_GUARD(f, ...): true, results... | false, message [, limit]. Arms the budget; nested calls do not
   re-arm. Whatever the error object says, a limit that was hit is reported as that limit, and named
   by a third value, "instructions" or "memory" (the message is worded for people, and translated). */
static int l_guard(lua_State *L) {
    kr_state *s = state_of(L);
    int n = lua_gettop(L);
    luaL_checktype(L, 1, LUA_TFUNCTION);
    if (s->depth > 0) {
        lua_call(L, n - 1, LUA_MULTRET);
        lua_pushboolean(L, 1);
        lua_insert(L, 1);
        return lua_gettop(L);
    }
    s->depth++;
    s->hit = HIT_NONE;
    s->spent = 0;
    s->where[0] = 0;
    guard_begin(s);
    int rc = lua_pcall(L, n - 1, LUA_MULTRET, 0);
    guard_end(s);
    s->depth--;
    int hit = s->hit;
    s->hit = HIT_NONE;
    if (rc == LUA_OK && hit == HIT_NONE) {
        lua_pushboolean(L, 1);
        lua_insert(L, 1);
        return lua_gettop(L);
    }
    if (hit == HIT_NONE && rc == LUA_ERRMEM) hit = HIT_MEMORY;
    if (hit != HIT_NONE) {
        lua_settop(L, 0);
        lift_limit(s);
        if (hit == HIT_MEMORY) {
            s->tainted = 1;
            lua_gc(L, LUA_GCCOLLECT);
        }
        lua_pushboolean(L, 0);
        push_limit_message(L, s, hit);
        lua_pushstring(L, hit == HIT_MEMORY ? "memory" : "instructions");
        restore_limit(s);
        s->where[0] = 0;
        return 3;
    }
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

kr_state *kr_open(size_t memory_limit, int64_t instruction_budget) {
    kr_state *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->limit = memory_limit ? memory_limit : (size_t)64 << 20;
    s->budget = instruction_budget > 0 ? instruction_budget : 10000000;
    s->obj_mt = LUA_NOREF;
    s->arr_mt = LUA_NOREF;
    s->opt_ref = LUA_NOREF;
    lua_State *L = lua_newstate(kr_alloc, s);
    if (!L) {
        pool_release(&s->pool);
        free(s);
        return NULL;
    }
    s->L = L;
    *(kr_state **)lua_getextraspace(L) = s;
    watch(s);
    /* only what the prelude needs; rules see a narrower table built by the prelude */
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    luaL_requiref(L, LUA_DBLIBNAME, luaopen_debug, 1);
    lua_settop(L, 0);
    lua_pushcfunction(L, l_guard);
    lua_setglobal(L, "KR_GUARD");
    lua_pushlightuserdata(L, NULL);
    lua_setglobal(L, "KR_NULL");
    lua_pushcfunction(L, kr_valid_lua);
    lua_setglobal(L, "KR_VALID");
    lua_pushcfunction(L, l_charged);
    lua_setglobal(L, "KR_CHARGED");
    lua_pushcfunction(L, l_stopped);
    lua_setglobal(L, "KR_STOPPED");
    lua_pushcfunction(L, kr_data_lua);
    lua_setglobal(L, "KR_DATA");
    lua_pushcfunction(L, kr_json_static_order_lua);
    lua_setglobal(L, "KR_STATIC_ORDER");
    lua_pushcfunction(L, kr_fuse_register_lua);
    lua_setglobal(L, "KR_FUSE");
    lua_pushcfunction(L, l_prevalid);
    lua_setglobal(L, "KR_PREVALID");
    kr_view_init(L);                  /* KR_PROTECT, KR_NEXT */
    lua_pushcfunction(L, kr_result_maker_lua);
    lua_setglobal(L, "KR_RESULT_MAKER");
    /* generational collector; a minor collection when the young objects reach 60% of the heap
       (Lua's default: 20%). Callgrind: ps-status 451k -> 445k instructions a record, applications
       1 080k -> 1 075k; 40 and 100 gave less; peak memory unchanged (48 MiB). */
    lua_gc(L, LUA_GCGEN, 60, 0);
    return s;
}

void kr_close(kr_state *s) {
    if (!s) return;
    unwatch(s);
    lua_close(s->L);
    free(s->opt_bytes);
    pool_release(&s->pool);
    free(s);
}

size_t kr_memory_used(kr_state *s) { return s->used; }

int kr_tainted(kr_state *s) { return s->tainted; }

static void put_cstr(kr_buf *out, const char *msg) {
    kr_buf_reset(out);
    kr_buf_put(out, msg, strlen(msg));
}

/* A JSON argument's error: the English message, KR_JSON_PL_SEP, the Polish one (KR_EJSON). */
static void put_json_error(kr_buf *out, const char *en, const char *pl) {
    put_cstr(out, en);
    kr_buf_put(out, KR_JSON_PL_SEP, 1);
    kr_buf_put(out, pl, strlen(pl));
}

/* The message of the error value on top, without calling metamethods. */
static void put_error(lua_State *L, kr_buf *out) {
    if (lua_type(L, -1) == LUA_TSTRING) {
        size_t n;
        const char *m = lua_tolstring(L, -1, &n);
        kr_buf_reset(out);
        kr_buf_put(out, m, n);
    } else {
        char tmp[96];
        snprintf(tmp, sizeof tmp, "error object is a %s value", luaL_typename(L, -1));
        put_cstr(out, tmp);
    }
}

int kr_exec(kr_state *s, const char *src, size_t len, const char *chunkname, kr_buf *out) {
    lua_State *L = s->L;
    lua_settop(L, 0);
    kr_buf_reset(out);
    int rc = luaL_loadbufferx(L, src, len, chunkname, "t");
    if (rc == LUA_OK) rc = lua_pcall(L, 0, 0, 0);
    int status = KR_OK;
    if (rc != LUA_OK) {
        status = (rc == LUA_ERRMEM || s->hit == HIT_MEMORY) ? KR_EMEM : KR_ERUN;
        put_error(L, out);
    }
    s->hit = HIT_NONE;
    lua_settop(L, 0);
    return status;
}

typedef struct call_ctx {
    const char *fn;
    const kr_arg *args;
    int nargs;
    kr_buf *out;
    int status;
} call_ctx;

static void bind_metatables(lua_State *L, kr_state *s) {
    if (s->obj_mt != LUA_NOREF) return;
    if (lua_getglobal(L, "__kr") != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    lua_getfield(L, -1, "OBJ_MT");
    s->obj_mt = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_getfield(L, -1, "ARR_MT");
    s->arr_mt = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
}

static int l_call(lua_State *L) {
    call_ctx *c = (call_ctx *)lua_touserdata(L, 1);
    kr_state *s = state_of(L);
    lua_settop(L, 0);
    bind_metatables(L, s);
    if (lua_getglobal(L, "__kr") != LUA_TTABLE) return luaL_error(L, "the prelude is not loaded");
    if (lua_getfield(L, -1, c->fn) != LUA_TFUNCTION) return luaL_error(L, "no function __kr.%s", c->fn);
    luaL_checkstack(L, c->nargs + 4, "too many arguments");
    for (int i = 0; i < c->nargs; i++) {
        const kr_arg *a = &c->args[i];
        if (a->is_json == KR_ARG_PROFILE) {
            /* a profile: validated while it is read when its kind's schema is registered */
            char err[256], err_pl[320];
            const void *plan = NULL;
            int extra = 0;
            if (kr_json_decode_profile(L, a->data, a->len, s->obj_mt, s->arr_mt, err, sizeof err, err_pl, sizeof err_pl,
                                       &plan, &extra) != 0) {
                put_json_error(c->out, err, err_pl);
                c->status = KR_EJSON;
                return 0;
            }
            if (plan) {
                s->pre_table = lua_topointer(L, -1);
                s->pre_plan = plan;
                s->pre_extra = extra;
            }
        } else if (a->is_json == KR_ARG_OPTIONS && s->opt_ref != LUA_NOREF && a->len == s->opt_len &&
                   (a->len == 0 || memcmp(a->data, s->opt_bytes, a->len) == 0)) {
            lua_rawgeti(L, LUA_REGISTRYINDEX, s->opt_ref);   /* the same options as last time */
        } else if (a->is_json) {
            char err[256], err_pl[320];
            if (kr_json_decode(L, a->data, a->len, s->obj_mt, s->arr_mt, err, sizeof err, err_pl, sizeof err_pl) != 0) {
                put_json_error(c->out, err, err_pl);
                c->status = KR_EJSON;
                return 0;
            }
            if (a->is_json == KR_ARG_OPTIONS) {
                char *copy = malloc(a->len ? a->len : 1);
                if (copy) {
                    if (a->len) memcpy(copy, a->data, a->len);
                    luaL_unref(L, LUA_REGISTRYINDEX, s->opt_ref);
                    s->opt_ref = LUA_NOREF;
                    free(s->opt_bytes);
                    s->opt_bytes = copy;
                    s->opt_len = a->len;
                    lua_pushvalue(L, -1);
                    s->opt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
                }
            }
        } else {
            lua_pushlstring(L, a->data, a->len);
        }
    }
    lua_call(L, c->nargs, 2);
    int flagged = lua_toboolean(L, -1);
    lua_pop(L, 1);
    kr_buf_reset(c->out);
    if (lua_type(L, -1) == LUA_TSTRING) {
        size_t n;
        const char *p = lua_tolstring(L, -1, &n);
        kr_buf_put(c->out, p, n);
    } else {
        char err[256];
        if (kr_json_encode(L, -1, s->arr_mt, c->out, err, sizeof err) != 0) {
            char msg[300];
            snprintf(msg, sizeof msg, "cannot write the result as JSON: %s", err);
            put_cstr(c->out, msg);
            c->status = KR_ERUN;
            return 0;
        }
    }
    c->status = flagged ? KR_FLAGGED : KR_OK;
    return 0;
}

/* KR_PREVALID(profile, plan) -> true, extra, recheck when profile is the table kr_call decoded for
   this call from a KR_ARG_PROFILE argument and its reading found it valid against plan (once: the answer is used up);
   recheck is true in a debug build, whose prelude then runs KR_VALID too and compares. Else nothing. */
static int l_prevalid(lua_State *L) {
    kr_state *s = state_of(L);
    if (s->pre_table == NULL || lua_topointer(L, 1) != s->pre_table || lua_topointer(L, 2) != s->pre_plan) return 0;
    s->pre_table = s->pre_plan = NULL;
    lua_pushboolean(L, 1);
    lua_pushboolean(L, s->pre_extra);
#ifdef DEBUG
    lua_pushboolean(L, 1);
#else
    lua_pushboolean(L, 0);
#endif
    return 3;
}

int kr_call(kr_state *s, const char *fn, const kr_arg *args, int nargs, kr_buf *out) {
    lua_State *L = s->L;
    call_ctx c = { fn, args, nargs, out, KR_OK };
    s->pre_table = s->pre_plan = NULL;
    lua_settop(L, 0);
    lua_pushcfunction(L, l_call);
    lua_pushlightuserdata(L, &c);
    s->hit = HIT_NONE;
    int rc = lua_pcall(L, 1, 0, 0);
    if (rc != LUA_OK) {
        int hit = s->hit;
        lift_limit(s);
        if (hit == HIT_MEMORY || rc == LUA_ERRMEM) {
            lua_settop(L, 0);
            lua_gc(L, LUA_GCCOLLECT);
            char msg[96];
            snprintf(msg, sizeof msg, "memory limit exceeded (%d MiB)", (int)(s->limit_saved >> 20));
            put_cstr(out, msg);
            c.status = KR_EMEM;
        } else if (hit == HIT_BUDGET) {
            put_error(L, out);
            c.status = KR_EBUDGET;
        } else {
            put_error(L, out);
            c.status = KR_ERUN;
        }
        restore_limit(s);
    }
    s->hit = HIT_NONE;
    lua_settop(L, 0);
    return c.status;
}
