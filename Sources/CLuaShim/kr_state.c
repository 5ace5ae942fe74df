/*
 * kr_state.c: a sandboxed Lua state. A capped allocator, an instruction budget
 * enforced by a count hook, a guard that turns either limit into an ordinary
 * error, and kr_call, the one door through which Swift calls Lua.
 */
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_shim.h"

enum { HIT_NONE = 0, HIT_MEMORY = 1, HIT_BUDGET = 2 };

int kr_valid_lua(lua_State *L); /* kr_schema.c */

struct kr_state {
    lua_State *L;
    size_t used;
    size_t limit;
    size_t limit_saved;
    int hit;
    int64_t budget;
    int depth;
    int obj_mt;
    int arr_mt;
};

static kr_state *state_of(lua_State *L) {
    return *(kr_state **)lua_getextraspace(L);
}

static void *kr_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    kr_state *s = (kr_state *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        s->used -= old;
        return NULL;
    }
    if (nsize > old && s->used + (nsize - old) > s->limit) {
        s->hit = HIT_MEMORY;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p == NULL) {
        if (nsize > old) s->hit = HIT_MEMORY;
        return NULL;
    }
    s->used = s->used - old + nsize;
    return p;
}

static void kr_hook(lua_State *L, lua_Debug *ar) {
    if (ar->event != LUA_HOOKCOUNT) return;
    kr_state *s = state_of(L);
    s->hit = HIT_BUDGET;
    lua_Debug at;
    for (int level = 0; level < 3 && lua_getstack(L, level, &at); level++) {
        if (lua_getinfo(L, "Sl", &at) && at.currentline > 0) {
            lua_pushfstring(L, "%s:%d: instruction budget exceeded (%I instructions)",
                            at.short_src, at.currentline, (lua_Integer)s->budget);
            lua_error(L);
        }
    }
    luaL_error(L, "instruction budget exceeded (%I instructions)", (lua_Integer)s->budget);
}

static void lift_limit(kr_state *s) {
    s->limit_saved = s->limit;
    s->limit = SIZE_MAX;
}

static void restore_limit(kr_state *s) {
    s->limit = s->limit_saved;
}

/* KR_GUARD(f, ...): true, results... | false, message. Arms the budget; nested calls do not re-arm. */
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
    lua_sethook(L, kr_hook, LUA_MASKCOUNT, (int)(s->budget > INT32_MAX ? INT32_MAX : s->budget));
    int rc = lua_pcall(L, n - 1, LUA_MULTRET, 0);
    lua_sethook(L, NULL, 0, 0);
    s->depth--;
    if (rc == LUA_OK) {
        s->hit = HIT_NONE;
        lua_pushboolean(L, 1);
        lua_insert(L, 1);
        return lua_gettop(L);
    }
    int hit = s->hit;
    s->hit = HIT_NONE;
    if (hit == HIT_MEMORY || rc == LUA_ERRMEM) {
        lua_settop(L, 0);
        lift_limit(s);
        lua_gc(L, LUA_GCCOLLECT);
        lua_pushboolean(L, 0);
        lua_pushfstring(L, "memory limit exceeded (%d MiB)", (int)(s->limit_saved >> 20));
        restore_limit(s);
        return 2;
    }
    /* budget errors carry the place the hook fired, e.g. "Rules/x.lua:12: instruction budget ..." */
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
    lua_State *L = lua_newstate(kr_alloc, s);
    if (!L) {
        free(s);
        return NULL;
    }
    s->L = L;
    *(kr_state **)lua_getextraspace(L) = s;
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
    lua_gc(L, LUA_GCGEN, 0, 0);
    return s;
}

void kr_close(kr_state *s) {
    if (!s) return;
    lua_close(s->L);
    free(s);
}

size_t kr_memory_used(kr_state *s) { return s->used; }

static void put_cstr(kr_buf *out, const char *msg) {
    kr_buf_reset(out);
    kr_buf_put(out, msg, strlen(msg));
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
        if (a->is_json) {
            char err[256];
            if (kr_json_decode(L, a->data, a->len, s->obj_mt, s->arr_mt, err, sizeof err) != 0) {
                put_cstr(c->out, err);
                c->status = KR_EJSON;
                return 0;
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

int kr_call(kr_state *s, const char *fn, const kr_arg *args, int nargs, kr_buf *out) {
    lua_State *L = s->L;
    call_ctx c = { fn, args, nargs, out, KR_OK };
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
