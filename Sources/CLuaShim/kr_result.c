/*
 * kr_result.c: the common check results made in one C call. pass { pl = ..., en = ... } in Lua
 * costs three Lua calls (pass, reason_of, text, mk) and five C calls (type three times, select,
 * rawget, setmetatable); most criteria make one such result in every record. KR_RESULT_MAKER
 * hands the prelude a C function that makes the result at once when the reason is text (a string,
 * nothing, or a table of words), formatted with the values given or the table's own, and returns
 * nothing otherwise: the prelude then makes it as before, so a reason that is not text, and a
 * format that fails, keep their one place (04-results-and-comparisons.lua) and their words.
 */
#include <lua.h>
#include <lauxlib.h>
#include <string.h>

#include "kr_shim.h"

#define RESULT_MT lua_upvalueindex(1)   /* the metatable of results (RESULT) */
#define CTX lua_upvalueindex(2)         /* the prelude's CTX: lang */
#define VIEW_NAME lua_upvalueindex(3)   /* "kr.view": the __name of a table kept at file level */
#define FORMAT lua_upvalueindex(4)      /* string.format */

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

/* string.format(fmt, values) pushed as the text, 1; or 0 with nothing pushed when it raised (the
   prelude formats it again and raises with its own words). The values: n of them from first on,
   or, when items > 0, the array items 1..items of the table at first. */
static int format_text(lua_State *L, int fmt, int first, int n, lua_Integer items) {
    int top = lua_gettop(L);
    int count = items > 0 ? (int)items : n;
    if (items > 100000 || !lua_checkstack(L, count + 4)) return 0;
    lua_pushvalue(L, FORMAT);
    lua_pushvalue(L, fmt);
    if (items > 0) for (lua_Integer i = 1; i <= items; i++) lua_rawgeti(L, first, i);
    else for (int i = 0; i < n; i++) lua_pushvalue(L, first + i);
    if (lua_pcall(L, count + 1, 1, 0) != LUA_OK) { lua_settop(L, top); return 0; }
    return 1;
}

/* The reason at idx as text, pushed (nil when there is none), returning 1; or 0 with nothing pushed
   when the prelude must make it (a reason that is not text, or one both with values of its own and
   values given). n values to format follow it from idx + 1 on. As text() and reason_of() of the
   prelude make it. */
static int reason_text(lua_State *L, int idx, int n) {
    int ty = lua_type(L, idx);
    if (ty == LUA_TNIL) { if (n > 0) return 0; lua_pushnil(L); return 1; }
    if (ty == LUA_TSTRING) {
        if (n > 0) return format_text(L, idx, idx + 1, n, 0);
        lua_pushvalue(L, idx);
        return 1;
    }
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
    lua_Integer items = (lua_Integer)lua_rawlen(L, t);
    if ((items > 0 && n > 0) || !words_in(L, t, lang)) { lua_settop(L, top); return 0; }
    int words = lua_gettop(L);
    if (items > 0 || n > 0) {
        if (!format_text(L, words, items > 0 ? t : idx + 1, n, items)) { lua_settop(L, top); return 0; }
    }
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
    return 1;
}

/* result(outcome, reason, ...) -> { outcome, reason, false, false } under RESULT, the reason made
   text with the values that follow it; or nothing when the prelude must make it. */
static int make_result(lua_State *L) {
    int n = lua_gettop(L) - 2;
    if (lua_type(L, 1) != LUA_TSTRING) return 0;
    if (n < 0) { lua_settop(L, 2); n = 0; }   /* (no reason given: nil) */
    if (!reason_text(L, 2, n)) return 0;     /* at the top: the reason, or nil */
    lua_createtable(L, 4, 0);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, 1);
    if (!lua_isnil(L, -2)) {
        lua_pushvalue(L, -2);
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

/* KR_RESULT_MAKER(RESULT, CTX, "kr.view", string.format) -> make_result bound to them; once, by
   the prelude. */
int kr_result_maker_lua(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TSTRING);
    luaL_checktype(L, 4, LUA_TFUNCTION);
    lua_settop(L, 4);
    lua_pushcclosure(L, make_result, 4);
    return 1;
}
