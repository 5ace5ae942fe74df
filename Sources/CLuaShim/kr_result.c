/*
 * kr_result.c: the common check results made in one C call. pass { pl = ..., en = ... } in Lua
 * costs three Lua calls (pass, reason_of, text, mk) and five C calls (type three times, select,
 * rawget, setmetatable); most criteria make one such result in every record. KR_RESULT_MAKER
 * hands the prelude a C function that makes the result at once when the reason is plain text
 * (a string, nothing, or a table of words without values to format), and returns nothing
 * otherwise: the prelude then makes it as before, so formatting and the errors of a reason that
 * is not text keep their one place (04-results-and-comparisons.lua) and their words.
 */
#include <lua.h>
#include <lauxlib.h>
#include <string.h>

#include "kr_shim.h"

#define RESULT_MT lua_upvalueindex(1)   /* the metatable of results (RESULT) */
#define CTX lua_upvalueindex(2)         /* the prelude's CTX: lang */
#define VIEW_NAME lua_upvalueindex(3)   /* "kr.view": the __name of a table kept at file level */

/* The words of table t for the language at lang (both absolute indexes), pushed; as text() does:
   the language asked, else pl, else en. Returns 1 when a string was pushed, 0 (nothing pushed)
   otherwise. */
static int words_in(lua_State *L, int t, int lang) {
    lua_pushvalue(L, lang);
    if (lua_rawget(L, t) == LUA_TSTRING) return 1;
    if (!lua_isnil(L, -1)) { lua_pop(L, 1); return 0; }
    lua_pop(L, 1);
    lua_pushliteral(L, "pl");
    int ty = lua_rawget(L, t);
    if (ty == LUA_TSTRING) return 1;
    lua_pop(L, 1);
    if (ty != LUA_TNIL) return 0;           /* (pl = false or another value: left to text()) */
    lua_pushliteral(L, "en");
    if (lua_rawget(L, t) == LUA_TSTRING) return 1;
    lua_pop(L, 1);
    return 0;
}

/* The reason at idx as plain text, pushed (or nil pushed when there is none), returning 1; or 0
   with nothing pushed when the prelude must make it (values to format, or not text at all). */
static int plain_reason(lua_State *L, int idx) {
    int ty = lua_type(L, idx);
    if (ty == LUA_TNIL) { lua_pushnil(L); return 1; }
    if (ty == LUA_TSTRING) { lua_pushvalue(L, idx); return 1; }
    if (ty != LUA_TTABLE) return 0;
    int top = lua_gettop(L);
    int t = idx;
    if (lua_getmetatable(L, idx)) {
        /* a table of words kept at file level: an empty table whose metatable, named kr.view, has
           the words as __index (frozen_words in 02-text-numbers-dates.lua) */
        int mt = lua_gettop(L);
        lua_pushnil(L);
        if (lua_next(L, idx)) { lua_settop(L, top); return 0; }
        lua_pushliteral(L, "__name");
        int named = lua_rawget(L, mt) == LUA_TSTRING && lua_rawequal(L, -1, VIEW_NAME);
        lua_pop(L, 1);
        lua_pushliteral(L, "__index");
        if (!named || lua_rawget(L, mt) != LUA_TTABLE || lua_getmetatable(L, -1)) {
            lua_settop(L, top);
            return 0;
        }
        t = lua_gettop(L);
    }
    lua_getfield(L, CTX, "lang");
    int lang = lua_gettop(L);
    if (lua_rawlen(L, t) > 0 || !words_in(L, t, lang)) { lua_settop(L, top); return 0; }
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
    return 1;
}

/* result(outcome, reason) -> { outcome, reason, false, false } under RESULT, or nothing when
   the reason is not plain text or more arguments follow it (values to format). */
static int make_result(lua_State *L) {
    if (lua_gettop(L) > 2 || lua_type(L, 1) != LUA_TSTRING) return 0;
    lua_settop(L, 2);                        /* (no reason given: nil) */
    if (!plain_reason(L, 2)) return 0;       /* 3: the reason, or nil */
    lua_createtable(L, 4, 0);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, 1);
    if (!lua_isnil(L, 3)) {
        lua_pushvalue(L, 3);
        lua_rawseti(L, -2, 2);
    }
    lua_pushboolean(L, 0);
    lua_rawseti(L, -2, 3);
    lua_pushboolean(L, 0);
    lua_rawseti(L, -2, 4);
    lua_pushvalue(L, RESULT_MT);
    lua_setmetatable(L, -2);
    return 1;
}

/* KR_RESULT_MAKER(RESULT, CTX, "kr.view") -> make_result bound to them; once, by the prelude. */
int kr_result_maker_lua(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TSTRING);
    lua_settop(L, 3);
    lua_pushcclosure(L, make_result, 3);
    return 1;
}
