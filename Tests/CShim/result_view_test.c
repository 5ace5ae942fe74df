/*
 * Tests of kr_result.c (check results made in C) and of KR_PATH_IN (kr_view.c), in a plain Lua
 * state, built by scripts/test-json.sh plain and under AddressSanitizer/UBSan. The cases are Lua:
 * each compares what the C function gives with what the prelude's own Lua would give.
 */
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>

#include "kr_shim.h"

void kr_view_init(lua_State *L);          /* kr_view.c: KR_PROTECT, KR_PATH_IN, ... */
int kr_result_maker_lua(lua_State *L);    /* kr_result.c */

static const char *CASES =
    "local fails = 0\n"
    "local function check(name, got, want)\n"
    "  if got ~= want then\n"
    "    fails = fails + 1\n"
    "    io.stderr:write(string.format('FAIL %s: got %s, want %s\\n', name, tostring(got), tostring(want)))\n"
    "  end\n"
    "end\n"
    "local RESULT = { __metatable = false }\n"
    "local CTX = { lang = 'pl' }\n"
    "local plain = KR_RESULT_MAKER(RESULT, CTX, 'kr.view', string.format)\n"
    "local function same(name, r, outcome, reason)\n"
    "  check(name .. ' made', r ~= nil, true)\n"
    "  if r == nil then return end\n"
    "  check(name .. ' metatable', debug.getmetatable(r), RESULT)\n"
    "  check(name .. ' outcome', r[1], outcome)\n"
    "  check(name .. ' reason', r[2], reason)\n"
    "  check(name .. ' missing', r[3], false)\n"
    "  check(name .. ' points', r[4], false)\n"
    "end\n"
    "-- made in C\n"
    "same('string', plain('pass', 'tak'), 'pass', 'tak')\n"
    "same('no reason', plain('fail'), 'fail', nil)\n"
    "same('nil reason', plain('fail', nil), 'fail', nil)\n"
    "same('words pl', plain('pass', { pl = 'tak', en = 'yes' }), 'pass', 'tak')\n"
    "CTX.lang = 'en'\n"
    "same('words en', plain('pass', { pl = 'tak', en = 'yes' }), 'pass', 'yes')\n"
    "same('only pl in en', plain('pass', { pl = 'tak' }), 'pass', 'tak')\n"
    "CTX.lang = 'pl'\n"
    "same('only en in pl', plain('pass', { en = 'yes' }), 'pass', 'yes')\n"
    "same('values given', plain('pass', '%d z %d', 2, 3), 'pass', '2 z 3')\n"
    "same('words and values', plain('fail', { pl = '%s i %s', en = '%s and %s' }, 'a', 'b'), 'fail', 'a i b')\n"
    "same('values of its own', plain('pass', { pl = '%d z %d', en = '%d of %d', 4, 5 }), 'pass', '4 z 5')\n"
    "same('nil value', plain('pass', 'x %s', nil), 'pass', 'x nil')\n"
    "local many = { pl = string.rep('%d', 200) }\n"
    "for i = 1, 200 do many[i] = i % 10 end\n"
    "local r = plain('pass', many)\n"
    "check('two hundred values', r and #r[2], 200)\n"
    "local words = { pl = 'zachowane', en = 'kept' }\n"
    "local frozen = setmetatable({}, { __name = 'kr.view', __index = words, __metatable = false })\n"
    "same('kept at file level', plain('pass', frozen), 'pass', 'zachowane')\n"
    "-- left to the prelude: nothing returned\n"
    "check('not text', plain('pass', 5), nil)\n"
    "check('pl false', plain('pass', { pl = false, en = 'x' }), nil)\n"
    "check('pl a number', plain('pass', { pl = 5 }), nil)\n"
    "check('no words', plain('pass', {}), nil)\n"
    "check('both kinds of values', plain('pass', { pl = '%s', 'a' }, 'b'), nil)\n"
    "check('a format that fails', plain('pass', '%d', 'abc'), nil)\n"
    "check('nil with values', plain('pass', nil, 1), nil)\n"
    "check('another metatable', plain('pass', setmetatable({ pl = 'x' }, {})), nil)\n"
    "check('a view of a profile', plain('pass', KR_PROTECT({ pl = 'x' })), nil)\n"
    "check('outcome not a string', plain(1, 'x'), nil)\n"
    "-- KR_PATH_IN: the path of a table inside a profile, through views\n"
    "local ARR, OBJ = {}, {}\n"
    "local function arr(t) return setmetatable(t, ARR) end\n"
    "local function obj(t) return setmetatable(t, OBJ) end\n"
    "local target = obj({ x = 1 })\n"
    "local deep = obj({ age = 3 })\n"
    "local root = obj({ kind = 'k', groups = arr({ obj({ members = arr({}) }), obj({ members = arr({ obj({}), obj({ who = deep }) }) }) }),\n"
    "  one = obj({ two = target }) })\n"
    "check('root', KR_PATH_IN(root, root, ARR), '')\n"
    "check('nested object', KR_PATH_IN(root, target, ARR), 'one.two')\n"
    "check('arrays in arrays', KR_PATH_IN(root, deep, ARR), 'groups[1].members[1].who')\n"
    "check('not there', KR_PATH_IN(root, obj({}), ARR), nil)\n"
    "local view = KR_PROTECT(root)\n"
    "local g = view.groups[2]   -- views made on the way, stored in the data\n"
    "check('through views', KR_PATH_IN(view, deep, ARR), 'groups[1].members[1].who')\n"
    "local key = string.rep('k', 700)\n"
    "local far = obj({})\n"
    "local long = obj({ [key] = obj({ [key .. '2'] = far }) })\n"
    "check('too long for C', KR_PATH_IN(long, far, ARR), false)\n"
    "local chain, node = obj({}), nil\n"
    "node = chain\n"
    "for i = 1, 150 do local n = obj({}); node['a'] = n; node = n end\n"
    "check('a path of 150 fields', #KR_PATH_IN(chain, node, ARR), 150 * 2 - 1)\n"
    "return fails\n";

int main(void) {
    lua_State *L = luaL_newstate();
    if (!L) { fprintf(stderr, "no Lua state\n"); return 1; }
    luaL_openlibs(L);
    kr_view_init(L);
    lua_pushcfunction(L, kr_result_maker_lua);
    lua_setglobal(L, "KR_RESULT_MAKER");
    if (luaL_loadstring(L, CASES) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
        fprintf(stderr, "error: %s\n", lua_tostring(L, -1));
        lua_close(L);
        return 1;
    }
    int fails = (int)lua_tointeger(L, -1);
    lua_close(L);
    if (fails) { fprintf(stderr, "result_view_test: %d failed\n", fails); return 1; }
    printf("result_view_test: all passed\n");
    return 0;
}
