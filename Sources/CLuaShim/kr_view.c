/*
 * kr_view.c: read-only views of a decoded profile. Rules never see the tables the JSON
 * reader built: each object or array D is shown through an empty table P whose metatable
 * M = { __index = D, __newindex = refuse, __len, __pairs, __name = "kr.view",
 * __metatable = false }. Reading a field is a table lookup (no function call); writing one
 * is an error; D itself is never handed out, since nested tables in D are replaced by
 * their views. Missing fields still raise the prelude's signal through D's own metatable.
 */
#include <lua.h>
#include <lauxlib.h>

#include "kr_shim.h"

static int view_refuse(lua_State *L) {
    return luaL_error(L, "the profile is read-only: a rule cannot change field '%s'",
                      luaL_tolstring(L, 2, NULL));
}

static int view_len(lua_State *L) {
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* The data table behind a view, pushed; or the value itself when it is not a view. */
static int push_data(lua_State *L, int idx) {
    if (lua_type(L, idx) == LUA_TTABLE && lua_getmetatable(L, idx)) {
        if (lua_getfield(L, -1, "__name") == LUA_TSTRING) {
            const char *n = lua_tostring(L, -1);
            if (n[0] == 'k' && n[1] == 'r' && n[2] == '.' && n[3] == 'v') {
                lua_pop(L, 1);
                lua_getfield(L, -1, "__index");
                lua_remove(L, -2);
                return 1;
            }
        }
        lua_pop(L, 2);
    }
    lua_pushvalue(L, idx);
    return 0;
}

/* KR_NEXT(t, k): next() that walks a view's data and never returns the data tables. */
int kr_next_lua(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    push_data(L, 1);
    lua_insert(L, 2);          /* data, key */
    if (lua_next(L, 2)) return 2;
    lua_pushnil(L);
    return 1;
}

static int view_pairs(lua_State *L) {
    lua_pushcfunction(L, kr_next_lua);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static void wrap(lua_State *L, int depth);

/* Replaces the data table on top by its view, after wrapping its children in place. */
static void wrap(lua_State *L, int depth) {
    if (depth > 220) luaL_error(L, "profile nested too deeply");
    luaL_checkstack(L, 8, "profile nested too deeply");
    int d = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, d)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            wrap(L, depth + 1);       /* value -> its view */
            lua_pushvalue(L, -2);     /* key */
            lua_insert(L, -2);        /* key, key, view */
            lua_rawset(L, d);         /* assigning an existing field during traversal is allowed */
        } else {
            lua_pop(L, 1);
        }
    }
    lua_createtable(L, 0, 0);                 /* P */
    lua_createtable(L, 0, 6);                 /* M */
    lua_pushvalue(L, d);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, view_refuse);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, view_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, view_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushliteral(L, "kr.view");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_replace(L, d);
}

/* KR_PROTECT(data) -> view. Tables inside data are replaced by their views. */
int kr_protect_lua(lua_State *L) {
    lua_settop(L, 1);
    if (lua_type(L, 1) != LUA_TTABLE) return 1;
    wrap(L, 0);
    return 1;
}
