/*
 * kr_view.c: read-only views of a decoded profile. Rules never see the tables the JSON
 * reader built. A view is a table { [KEY] = data } under one shared metatable whose __index
 * (in C) reads the data (measured with callgrind on ps-status: building every view up front,
 * each with its own metatable whose __index is the data table, cost more than these lazy
 * views' C calls) (so a missing field still raises the prelude's signal through the
 * data's own metatable), whose __newindex refuses, and whose __len and __pairs walk the
 * data. Views are made lazily: a nested object or array gets its view the first time a rule
 * reaches it, and that view replaces it inside its parent's data, so it keeps its identity.
 * KEY is a light userdata a rule cannot make, and the data is never handed out.
 */
#include <lua.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "kr_shim.h"

static char VIEW_KEY;        /* the private key of a view's data */
static char VIEW_MT;         /* marks the shared metatable (a key inside it) */
static char ABSENT_CHECK;    /* registry key: the prelude's check of a key has/get found absent */
/* The shared metatable is upvalue 1 of the C functions below (view_index, KR_PROTECT, KR_NEXT):
   reaching it costs no registry lookup on the hot path of a rule's read. */
#define MT lua_upvalueindex(1)
#define VKEY ((void *)&VIEW_KEY)

/* A table rule files froze at load: metatable named "kr.view" with __index = its data. */
static int frozen_data(lua_State *L, int idx) {
    if (!lua_getmetatable(L, idx)) return 0;
    if (lua_rawgetp(L, -1, &VIEW_MT) != LUA_TNIL) { lua_pop(L, 2); return 0; }   /* not the lazy kind */
    lua_pop(L, 1);
    lua_pushliteral(L, "__name");
    lua_rawget(L, -2);
    int named = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "kr.view") == 0;
    lua_pop(L, 1);
    if (!named) { lua_pop(L, 1); return 0; }
    lua_pushliteral(L, "__index");
    lua_rawget(L, -2);
    lua_remove(L, -2);
    if (lua_type(L, -1) == LUA_TTABLE) return 1;
    lua_pop(L, 1);
    return 0;
}

/* Pushes the data behind the view at idx and returns 1; returns 0 (nothing pushed) for any
   other value. */
static int push_data(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE) return 0;
    if (lua_rawgetp(L, idx, VKEY) == LUA_TTABLE) return 1;
    lua_pop(L, 1);
    return frozen_data(L, idx);
}

static int is_view(lua_State *L, int idx) {
    if (push_data(L, idx)) { lua_pop(L, 1); return 1; }
    return 0;
}

/* Pushes a new view of the table at idx. */
static void push_view(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, idx);
    lua_rawsetp(L, -2, VKEY);
    lua_pushvalue(L, MT);
    lua_setmetatable(L, -2);
}

/* A lazy view: its metatable is the shared one (cheaper than is_view on the hot path; the
   tables inside a profile's data are either raw data or such views). */
static int is_lazy_view(lua_State *L, int idx) {
    if (!lua_getmetatable(L, idx)) return 0;
    int same = lua_rawequal(L, -1, MT);
    lua_pop(L, 1);
    return same;
}

/* The value at top (read from the data at d under key at k): a raw table becomes its view,
   stored back into the data so the same view comes back next time. */
static void viewed(lua_State *L, int d, int k) {
    if (lua_type(L, -1) == LUA_TTABLE && !is_lazy_view(L, -1)) {
        push_view(L, -1);
        lua_remove(L, -2);
        lua_pushvalue(L, k);
        lua_pushvalue(L, -2);
        lua_rawset(L, d);
    }
}

static int view_index(lua_State *L) {        /* view, key */
    lua_rawgetp(L, 1, VKEY);                 /* 3: data */
    lua_pushvalue(L, 2);
    lua_gettable(L, 3);                      /* may raise the missing-field signal */
    viewed(L, 3, 2);
    return 1;
}

static int view_refuse(lua_State *L) {
    return luaL_error(L, "the profile is read-only: a rule cannot change field '%s'",
                      luaL_tolstring(L, 2, NULL));
}

static int view_len(lua_State *L) {
    lua_rawgetp(L, 1, VKEY);
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* KR_NEXT(t, k): next() that walks a view's data (values come out as views) and never returns
   the data itself; for any other table, plain next(). */
int kr_next_lua(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    int wrapped = push_data(L, 1);
    if (!wrapped) lua_pushvalue(L, 1);
    lua_insert(L, 2);                        /* 2: data, 3: key */
    if (!lua_next(L, 2)) { lua_pushnil(L); return 1; }
    if (wrapped) viewed(L, 2, 3);            /* 3: key, 4: value */
    return 2;
}

static int view_pairs(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(2));   /* KR_NEXT, made once */
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* KR_PROTECT(data) -> its view (nested tables get theirs when reached). */
int kr_protect_lua(lua_State *L) {
    lua_settop(L, 1);
    if (lua_type(L, 1) != LUA_TTABLE || is_view(L, 1)) return 1;
    push_view(L, 1);
    return 1;
}

/* The field k of t (a view, a frozen table or a plain table) read raw, or nothing pushed and 0
   when t is no table or the field is absent or JSON null. A table that comes out of a profile's
   data comes out as its view. */
static int field_of(lua_State *L, int t, int k) {
    if (lua_type(L, t) != LUA_TTABLE) return 0;
    /* a profile's view: its data, whose tables come out as views; a table frozen by a rule file
       (its tables are frozen too) or any other table: read as it is */
    int wrapped = lua_rawgetp(L, t, VKEY) == LUA_TTABLE;
    if (!wrapped) {
        lua_pop(L, 1);
        if (!push_data(L, t)) lua_pushvalue(L, t);
    }
    int d = lua_gettop(L);
    lua_pushvalue(L, k);
    int ty = lua_rawget(L, d);
    if (ty == LUA_TNIL || (ty == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == NULL)) {
        /* a key absent from a profile's data: the prelude raises when the schema does not know it
           (a misspelt has(e, "emplyees") must not read as "absent"); JSON null is a known key */
        if (wrapped && ty == LUA_TNIL && lua_type(L, k) == LUA_TSTRING
                && lua_rawgetp(L, LUA_REGISTRYINDEX, &ABSENT_CHECK) == LUA_TFUNCTION) {
            lua_pushvalue(L, d);
            lua_pushvalue(L, k);
            lua_call(L, 2, 0);
        }
        lua_settop(L, d - 1);
        return 0;
    }
    if (wrapped) viewed(L, d, k);
    lua_remove(L, d);
    return 1;
}

/* KR_HAS(t, k): the field is there and not null (the prelude's has). */
static int kr_has_lua(lua_State *L) {
    lua_settop(L, 2);
    int found = field_of(L, 1, 2);
    lua_pushboolean(L, found);
    return 1;
}

/* KR_GET(t, k, default): the field, or default when it is absent or null (the prelude's get). */
static int kr_get_lua(lua_State *L) {
    lua_settop(L, 3);
    if (!field_of(L, 1, 2)) lua_pushvalue(L, 3);
    return 1;
}

/* KR_ON_ABSENT(f): f(data, key) is called when has/get find a string key absent from a
   profile's data; it raises for a key the schema does not know. Set once by the prelude. */
static int kr_on_absent_lua(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &ABSENT_CHECK);
    return 0;
}

/* KR_DATA(t) -> the data behind a view, or t itself: for the prelude's own reads. */
int kr_data_lua(lua_State *L) {
    lua_settop(L, 1);
    if (push_data(L, 1)) return 1;
    return 1;
}

/* The path of table target (at index t) inside the value at v, written into buf from len on: 1 and
   its length in *out when found, 0 when not there, -1 when the path is longer than cap (or nesting
   deeper than the stack allows). arr: index of the array metatable. */
static int walk(lua_State *L, int v, int t, int arr, char *buf, size_t len, size_t cap, size_t *out) {
    if (!lua_checkstack(L, 8)) return -1;   /* (at most five more at this level: data, key, value, text) */
    if (!push_data(L, v)) lua_pushvalue(L, v);
    int d = lua_gettop(L), found = 0;
    if (lua_rawequal(L, d, t)) { *out = len; lua_pop(L, 1); return 1; }
    if (lua_type(L, d) != LUA_TTABLE) { lua_pop(L, 1); return 0; }
    int is_arr = lua_getmetatable(L, d) && lua_rawequal(L, -1, arr);
    lua_settop(L, d);
    if (is_arr) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, d);
        for (lua_Integer i = 1; !found && i <= n; i++) {
            int w = snprintf(buf + len, cap - len, "[%lld]", (long long)(i - 1));
            if (w < 0 || (size_t)w >= cap - len) { found = -1; break; }
            lua_rawgeti(L, d, i);
            found = walk(L, lua_gettop(L), t, arr, buf, len + (size_t)w, cap, out);
            lua_settop(L, d);
        }
    } else {
        lua_pushnil(L);
        while (lua_next(L, d)) {                 /* d+1: key, d+2: value */
            if (lua_type(L, d + 2) == LUA_TTABLE) {
                size_t kl;
                size_t at = len;
                if (len > 0) { if (at + 1 >= cap) { found = -1; break; } buf[at++] = '.'; }
                lua_pushvalue(L, d + 1);
                const char *k = luaL_tolstring(L, -1, &kl);   /* (tostring(k), as the prelude did) */
                if (kl >= cap - at) { found = -1; break; }
                memcpy(buf + at, k, kl);
                lua_pop(L, 2);                   /* the copy of the key and its text */
                found = walk(L, d + 2, t, arr, buf, at + kl, cap, out);
                if (found) break;
            }
            lua_settop(L, d + 1);
        }
    }
    lua_settop(L, d - 1);
    return found;
}

/* KR_PATH_IN(root, target, ARR_MT) -> the JSON path of table target inside the profile root
   ("employees[0].person"; "" for the root itself), nil when it is not there, or false when the
   path is too long to be made here (the prelude's own walk makes it). Views are seen through:
   the tables their data holds are made views as rules reach them. */
static int kr_path_in_lua(lua_State *L) {
    char buf[1024];
    size_t n = 0;
    lua_settop(L, 3);
    int r = walk(L, 1, 2, 3, buf, 0, sizeof buf, &n);
    if (r > 0) lua_pushlstring(L, buf, n);
    else if (r == 0) lua_pushnil(L);
    else lua_pushboolean(L, 0);
    return 1;
}

/* Makes the shared metatable of views and the globals KR_PROTECT, KR_NEXT, KR_HAS and KR_GET; once per state. */
void kr_view_init(lua_State *L) {
    lua_createtable(L, 0, 7);
    int mt = lua_gettop(L);
    static const struct { const char *name; lua_CFunction f; } fns[] = {
        { "__index", view_index }, { "__len", view_len }, { "__newindex", view_refuse },
    };
    for (int i = 0; i < 3; i++) {
        lua_pushvalue(L, mt);
        lua_pushcclosure(L, fns[i].f, 1);
        lua_setfield(L, mt, fns[i].name);
    }
    lua_pushvalue(L, mt);
    lua_pushvalue(L, mt);
    lua_pushcclosure(L, kr_next_lua, 1);
    lua_pushcclosure(L, view_pairs, 2);       /* upvalues: the metatable, KR_NEXT */
    lua_setfield(L, mt, "__pairs");
    lua_pushliteral(L, "kr.view");
    lua_setfield(L, mt, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, mt, "__metatable");
    lua_pushboolean(L, 1);
    lua_rawsetp(L, mt, &VIEW_MT);            /* marks it as the lazy kind */
    static const struct { const char *name; lua_CFunction f; } globals[] = {
        { "KR_PROTECT", kr_protect_lua }, { "KR_NEXT", kr_next_lua }, { "KR_HAS", kr_has_lua }, { "KR_GET", kr_get_lua },
        { "KR_PATH_IN", kr_path_in_lua }, { "KR_ON_ABSENT", kr_on_absent_lua },
    };
    for (int i = 0; i < 6; i++) {
        lua_pushvalue(L, mt);
        lua_pushcclosure(L, globals[i].f, 1);
        lua_setglobal(L, globals[i].name);
    }
    lua_pop(L, 1);
}
