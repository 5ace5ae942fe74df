/*
 * kr_schema.c: the fast path of profile validation. KR_VALID(value, plan, array_mt) answers
 * true when the decoded profile satisfies the schema. It only says yes or no: when the
 * answer is no, the prelude's own validator runs and words every problem, so the messages
 * have one source. Tests/KryteriaTests/SchemaFastPathTests checks that the two agree.
 *
 * The prelude turns each schema node into a plan, an array read here by index:
 *   [1] type mask (string 1, boolean 2, number 4, integer 8, null 16, array 32, object 64; 0: any)
 *   [2] plan of the node a "$ref" points to, or false
 *   [3] set of the enum's values, or false
 *   [5] flags: 1 has const, 2 format date, 4 additionalProperties false
 *   [6] const   [7] minimum  [8] maximum  [9] exclusiveMinimum  [10] exclusiveMaximum
 *   [11] minLength  [12] plan of items  [13] minItems  [14] maxItems
 *   [15] properties: name -> plan, or false   [16] required: array of names, or false
 */
#include <lua.h>
#include <lauxlib.h>
#include <stdint.h>
#include <string.h>

#include "kr_shim.h"

#define MAX_DEPTH 220
enum { T_STRING = 1, T_BOOL = 2, T_NUMBER = 4, T_INTEGER = 8, T_NULL = 16, T_ARRAY = 32, T_OBJECT = 64 };
enum { F_CONST = 1, F_DATE = 2, F_CLOSED = 4 };

typedef struct vctx {
    lua_State *L;
    const void *arr_mt;
} vctx;

/* plan[i], pushed; returns its type. */
static int slot(lua_State *L, int plan, int i) { return lua_rawgeti(L, plan, i); }

static int is_array(vctx *c, int v) {
    int r = 0;
    if (lua_getmetatable(c->L, v)) {
        r = lua_topointer(c->L, -1) == c->arr_mt;
        lua_pop(c->L, 1);
    }
    return r;
}

static int leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int is_date(const char *s, size_t n) {
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (n != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) continue;
        if (s[i] < '0' || s[i] > '9') return 0;
    }
    long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1) return 0;
    int md = mdays[m - 1] + (m == 2 && leap(y));
    return d <= md;
}

static size_t utf8_len(const char *s, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) k++;
    return k;
}

/* The type mask of the value at v. */
static int type_bits(vctx *c, int v) {
    lua_State *L = c->L;
    switch (lua_type(L, v)) {
    case LUA_TSTRING: return T_STRING;
    case LUA_TBOOLEAN: return T_BOOL;
    case LUA_TNUMBER:
        if (lua_isinteger(L, v)) return T_NUMBER | T_INTEGER;
        { lua_Number x = lua_tonumber(L, v);
          return x == (lua_Number)(int64_t)x ? (T_NUMBER | T_INTEGER) : T_NUMBER; }
    case LUA_TLIGHTUSERDATA: return lua_touserdata(L, v) == NULL ? T_NULL : 0;
    case LUA_TTABLE: return is_array(c, v) ? T_ARRAY : T_OBJECT;
    }
    return 0;
}

static lua_Integer int_slot(lua_State *L, int plan, int i, int *present) {
    lua_Integer x = 0;
    *present = slot(L, plan, i) == LUA_TNUMBER;
    if (*present) x = lua_tointeger(L, -1);
    lua_pop(L, 1);
    return x;
}

static int valid(vctx *c, int v, int p, int depth);

static int check_number(vctx *c, int v, int p) {
    lua_State *L = c->L;
    lua_Number x = lua_tonumber(L, v);
    for (int k = 7; k <= 10; k++) {
        if (slot(L, p, k) == LUA_TNUMBER) {
            lua_Number b = lua_tonumber(L, -1);
            int bad = (k == 7 && x < b) || (k == 8 && x > b) || (k == 9 && x <= b) || (k == 10 && x >= b);
            if (bad) { lua_pop(L, 1); return 0; }
        }
        lua_pop(L, 1);
    }
    return 1;
}

static int check_array(vctx *c, int v, int p, int depth) {
    lua_State *L = c->L;
    lua_Integer n = (lua_Integer)lua_rawlen(L, v);
    int has;
    lua_Integer lim = int_slot(L, p, 13, &has);
    if (has && n < lim) return 0;
    lim = int_slot(L, p, 14, &has);
    if (has && n > lim) return 0;
    if (slot(L, p, 12) == LUA_TTABLE) {
        int items = lua_gettop(L);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, v, i);
            int ok = valid(c, lua_gettop(L), items, depth + 1);
            lua_pop(L, 1);
            if (!ok) { lua_pop(L, 1); return 0; }
        }
    }
    lua_pop(L, 1);
    return 1;
}

static int check_object(vctx *c, int v, int p, int flags, int depth) {
    lua_State *L = c->L;
    int top = lua_gettop(L);
    if (slot(L, p, 16) == LUA_TTABLE) {
        int req = lua_gettop(L);
        lua_Integer n = (lua_Integer)lua_rawlen(L, req);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, req, i);
            int present = lua_rawget(L, v) != LUA_TNIL;
            lua_pop(L, 1);
            if (!present) { lua_settop(L, top); return 0; }
        }
    }
    lua_settop(L, top);
    int props = 0;
    if (slot(L, p, 15) == LUA_TTABLE) props = lua_gettop(L);
    if (!props && !(flags & F_CLOSED)) { lua_settop(L, top); return 1; }
    lua_pushnil(L);
    while (lua_next(L, v)) {
        int has = 0;
        if (props) {
            lua_pushvalue(L, -2);
            has = lua_rawget(L, props) == LUA_TTABLE;
            if (has && !valid(c, lua_gettop(L) - 1, lua_gettop(L), depth + 1)) { lua_settop(L, top); return 0; }
            lua_pop(L, 1);
        }
        if (!has && (flags & F_CLOSED)) { lua_settop(L, top); return 0; }
        lua_pop(L, 1);
    }
    lua_settop(L, top);
    return 1;
}

/* The value at v against the plan at p. */
static int valid(vctx *c, int v, int p, int depth) {
    lua_State *L = c->L;
    int top = lua_gettop(L), ok = 1, has;
    if (depth > MAX_DEPTH || !lua_checkstack(L, 12)) return 0; /* the slow path will say why */
    if (slot(L, p, 2) == LUA_TTABLE) ok = valid(c, v, lua_gettop(L), depth + 1);
    lua_settop(L, top);
    if (!ok) return 0;
    int mask = (int)int_slot(L, p, 1, &has);
    int bits = type_bits(c, v);
    if (mask && !(mask & bits)) return 0;
    if (slot(L, p, 3) == LUA_TTABLE) {
        if (lua_isnil(L, v)) ok = 0;
        else { lua_pushvalue(L, v); ok = lua_rawget(L, -2) != LUA_TNIL; }
    }
    lua_settop(L, top);
    if (!ok) return 0;
    int flags = (int)int_slot(L, p, 5, &has);
    if (flags & F_CONST) {
        slot(L, p, 6);
        ok = lua_rawequal(L, v, -1);
        lua_settop(L, top);
        if (!ok) return 0;
    }
    if (bits & T_STRING) {
        size_t n;
        const char *str = lua_tolstring(L, v, &n);
        if ((flags & F_DATE) && !is_date(str, n)) return 0;
        lua_Integer min = int_slot(L, p, 11, &has);
        if (has && (lua_Integer)utf8_len(str, n) < min) return 0;
    } else if (bits & T_NUMBER) {
        ok = check_number(c, v, p);
    } else if (bits & T_ARRAY) {
        ok = check_array(c, v, p, depth);
    } else if (bits & T_OBJECT) {
        ok = check_object(c, v, p, flags, depth);
    }
    lua_settop(L, top);
    return ok;
}

/* KR_VALID(value, plan, array_metatable) -> boolean */
int kr_valid_lua(lua_State *L) {
    vctx c;
    luaL_checktype(L, 2, LUA_TTABLE);
    c.L = L;
    c.arr_mt = lua_topointer(L, 3);
    lua_settop(L, 3);
    lua_pushboolean(L, valid(&c, 1, 2, 0));
    return 1;
}
