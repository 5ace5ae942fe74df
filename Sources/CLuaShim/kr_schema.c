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
 *   [4] false; KR_VALID puts the compiled plan here (below)
 *   [5] flags: 1 has const, 2 format date, 4 additionalProperties false
 *   [6] const   [7] minimum  [8] maximum  [9] exclusiveMinimum  [10] exclusiveMaximum
 *   [11] minLength  [12] plan of items  [13] minItems  [14] maxItems
 *   [15] properties: name -> plan, or false   [16] required: array of names, or false
 *
 * The first call with a plan compiles it, and every plan it reaches, into nodes: C structs,
 * one userdata each, kept with every value they point to (names, the enum's values, the
 * const) in an array the call puts at plan[4]; [1] is the root's node. Dropping the plan
 * drops them all: the prelude drops its plans when a schema is added. A node holds the type
 * mask, the bounds, the enum's values and the const as C values, and the names of its
 * properties and required properties as fields. An object is checked field by field: the
 * name is pushed from that array (for the items of an array, once per array) and looked up
 * with lua_rawget, which costs less than walking the object with lua_next. Only a closed
 * object (additionalProperties false) is walked too, each key found among the fields by
 * the address of its text: Lua 5.4 interns short strings, so the same text has the same
 * address; a key not found so is compared by bytes (a long string). A string is looked up
 * among the enum's values the same way.
 */
#include <lua.h>
#include <lauxlib.h>
#include <stdint.h>
#include <string.h>

#include "kr_shim.h"

#define MAX_DEPTH 220
#define CHUNK 32  /* items of an array left on the stack before they are popped */
enum { T_STRING = 1, T_BOOL = 2, T_NUMBER = 4, T_INTEGER = 8, T_NULL = 16, T_ARRAY = 32, T_OBJECT = 64 };
enum { F_CONST = 1, F_DATE = 2, F_CLOSED = 4 };
/* which of a node's limits are set */
enum { H_MIN = 1, H_MAX = 2, H_XMIN = 4, H_XMAX = 8, H_MINLEN = 16, H_MINITEMS = 32, H_MAXITEMS = 64 };
enum { K_FLOAT = 100 };  /* kind of a number that is not an integer (the others are LUA_T*) */

/* A Lua value as C data: an enum's value, the const, or a value of the profile. Numbers
 * are compared the way Lua compares table keys and raw values: an integral float is
 * its integer. */
typedef struct cval {
    int kind;        /* LUA_T* type, or K_FLOAT */
    lua_Integer i;   /* LUA_TNUMBER (integral), LUA_TBOOLEAN */
    lua_Number n;    /* any number, as a float */
    const char *s;   /* LUA_TSTRING: the text; light userdata, tables, others: the address */
    size_t len;
} cval;

typedef struct node node;

/* A property or required name of an object node. */
typedef struct field {
    const char *name;  /* its text, or NULL when the name is not a string */
    size_t len;
    int key;           /* the name's index in the anchor table */
    node *plan;        /* NULL: a required name that is not among the properties */
    int required;
} field;

struct node {
    const void *plan;         /* the plan it was made from */
    node *next;               /* the next node made by the same compilation */
    int mask, flags, has;
    int needs;                /* a string's text or a boolean's value is read: enum, const, format or minLength */
    node *ref, *items;
    int only_ref;             /* "$ref" and nothing else: followed without reading the value */
    int only_type;            /* "type" string or boolean and nothing else: that Lua type, else 0 */
    int has_enum, nenum;
    cval *enums;
    const cval **enum_slots;  /* hash of the enum's strings by address */
    size_t enum_mask;
    cval cnst;
    lua_Number bound[4];      /* minimum, maximum, exclusiveMinimum, exclusiveMaximum */
    lua_Integer min_len, min_items, max_items;
    int nfields;
    field *fields;
    field **slots;            /* hash of the fields by the address of the name */
    size_t slot_mask;
};

typedef struct vctx {
    lua_State *L;
    const void *arr_mt;
    int anchor;         /* stack index of the anchor table */
    const node *named;  /* a node whose field names are on the stack (the items of an array), */
    int names;          /* from this index */
} vctx;

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

/* The number at i as C data: an integral float is its integer, as a table key. */
static void number_of(lua_State *L, int i, cval *x) {
    if (lua_isinteger(L, i)) {
        x->kind = LUA_TNUMBER;
        x->i = lua_tointeger(L, i);
        x->n = (lua_Number)x->i;
        return;
    }
    x->n = lua_tonumber(L, i);
    x->kind = lua_numbertointeger(x->n, &x->i) && (lua_Number)x->i == x->n ? LUA_TNUMBER : K_FLOAT;
}

static int same(const cval *a, const cval *b) {
    if (a->kind != b->kind) return 0;
    switch (a->kind) {
    case LUA_TSTRING: return a->s == b->s || (a->len == b->len && memcmp(a->s, b->s, a->len) == 0);
    case LUA_TNUMBER: case LUA_TBOOLEAN: return a->i == b->i;
    case K_FLOAT: return a->n == b->n;
    case LUA_TNIL: return 0;
    }
    return a->s == b->s;
}

static size_t hash_name(const char *s) { return (size_t)(((uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15ull) >> 32); }

/* Whether x is one of the enum's values. */
static int in_enum(const node *p, const cval *x) {
    if (x->kind == LUA_TSTRING)
        for (size_t h = hash_name(x->s) & p->enum_mask; p->enum_slots[h]; h = (h + 1) & p->enum_mask)
            if (p->enum_slots[h]->s == x->s) return 1;
    for (int i = 0; i < p->nenum; i++)  /* a long string, or not a string */
        if (same(&p->enums[i], x)) return 1;
    return 0;
}

/* The field of p named k (n bytes), or NULL. */
static const field *find(const node *p, const char *k, size_t n) {
    for (size_t h = hash_name(k) & p->slot_mask; p->slots[h]; h = (h + 1) & p->slot_mask)
        if (p->slots[h]->name == k) return p->slots[h];
    for (int i = 0; i < p->nfields; i++) {  /* the same text elsewhere: a long string */
        const field *f = &p->fields[i];
        if (f->name && f->len == n && memcmp(f->name, k, n) == 0) return f;
    }
    return NULL;
}

/* ---- compiling a plan ---- */

typedef struct cctx {
    lua_State *L;
    int anchor;  /* stack index of the anchor table */
    int kept;    /* values kept in it so far, at [1..kept]: nodes and names */
    node *made;  /* the nodes made so far */
} cctx;

/* Keeps the value at the top (popped) in the anchor; returns its index there. */
static int keep(cctx *k) {
    lua_rawseti(k->L, k->anchor, ++k->kept);
    return k->kept;
}

/* plan[i] as an integer, and whether it is a number (as the plan's reader always did). */
static lua_Integer int_slot(lua_State *L, int plan, int i, int *present) {
    lua_Integer x = 0;
    *present = lua_rawgeti(L, plan, i) == LUA_TNUMBER;
    if (*present) x = lua_tointeger(L, -1);
    lua_pop(L, 1);
    return x;
}

static int count_keys(lua_State *L, int t) {
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) { n++; lua_pop(L, 1); }
    return n;
}

/* The value at i as an enum's value or a const. */
static void constant_of(lua_State *L, int i, cval *x) {
    x->kind = lua_type(L, i);
    switch (x->kind) {
    case LUA_TSTRING: x->s = lua_tolstring(L, i, &x->len); break;
    case LUA_TBOOLEAN: x->i = lua_toboolean(L, i); break;
    case LUA_TNUMBER: number_of(L, i, x); break;
    default: x->s = (const char *)lua_topointer(L, i); break;
    }
}

static node *compile(cctx *k, int plan);

/* The node of the plan at the top, which is popped. */
static node *compile_top(cctx *k) {
    node *n = compile(k, lua_gettop(k->L));
    lua_pop(k->L, 1);
    return n;
}

/* The field of the name at the top (popped), added unless a string name is there already. */
static field *add_field(cctx *k, node *p) {
    lua_State *L = k->L;
    size_t len = 0;
    const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    for (int i = 0; name && i < p->nfields; i++)
        if (p->fields[i].name && p->fields[i].len == len && memcmp(p->fields[i].name, name, len) == 0) {
            lua_pop(L, 1);
            return &p->fields[i];
        }
    field *f = &p->fields[p->nfields++];
    f->name = name;
    f->len = len;
    f->key = keep(k);
    return f;
}

/* The node of the plan at index plan, made once per compilation. */
static node *compile(cctx *k, int plan) {
    lua_State *L = k->L;
    int has, nenum = 0, nprops = 0, nreq = 0;
    const void *id = lua_topointer(L, plan);
    for (node *done = k->made; done; done = done->next)
        if (done->plan == id) return done;
    luaL_checkstack(L, 8, "schema nested too deeply");
    if (lua_rawgeti(L, plan, 3) == LUA_TTABLE) nenum = count_keys(L, lua_gettop(L));
    lua_pop(L, 1);
    if (lua_rawgeti(L, plan, 15) == LUA_TTABLE) nprops = count_keys(L, lua_gettop(L));
    lua_pop(L, 1);
    if (lua_rawgeti(L, plan, 16) == LUA_TTABLE) nreq = (int)lua_rawlen(L, -1);
    lua_pop(L, 1);
    size_t nfields = (size_t)(nprops + nreq), nslots = 1, neslots = 1;
    while (nslots < 2 * nfields) nslots *= 2;
    while (neslots < 2 * (size_t)nenum) neslots *= 2;
    size_t size = sizeof(node) + (size_t)nenum * sizeof(cval) + neslots * sizeof(cval *) +
                  nfields * sizeof(field) + nslots * sizeof(field *);
    node *p = (node *)lua_newuserdatauv(L, size, 0);
    memset(p, 0, size);
    p->enums = (cval *)(p + 1);
    p->enum_slots = (const cval **)(p->enums + nenum);
    p->enum_mask = neslots - 1;
    p->fields = (field *)(p->enum_slots + neslots);
    p->slots = (field **)(p->fields + nfields);
    p->slot_mask = nslots - 1;
    p->plan = id;
    p->next = k->made;
    k->made = p;  /* before the plans it reaches: a "$ref" back to it finds it */
    keep(k);      /* the userdata */

    p->mask = (int)int_slot(L, plan, 1, &has);
    p->flags = (int)int_slot(L, plan, 5, &has);
    if (p->flags & F_CONST) {
        lua_rawgeti(L, plan, 6);
        constant_of(L, -1, &p->cnst);
        keep(k);
    }
    for (int i = 0; i < 4; i++) {
        if (lua_rawgeti(L, plan, 7 + i) == LUA_TNUMBER) { p->has |= H_MIN << i; p->bound[i] = lua_tonumber(L, -1); }
        lua_pop(L, 1);
    }
    p->min_len = int_slot(L, plan, 11, &has);
    if (has) p->has |= H_MINLEN;
    p->min_items = int_slot(L, plan, 13, &has);
    if (has) p->has |= H_MINITEMS;
    p->max_items = int_slot(L, plan, 14, &has);
    if (has) p->has |= H_MAXITEMS;
    if (lua_rawgeti(L, plan, 2) == LUA_TTABLE) p->ref = compile_top(k);
    else lua_pop(L, 1);
    if (lua_rawgeti(L, plan, 12) == LUA_TTABLE) p->items = compile_top(k);
    else lua_pop(L, 1);
    if (lua_rawgeti(L, plan, 3) == LUA_TTABLE) {  /* the enum's values are the set's keys */
        p->has_enum = 1;
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            cval *e = &p->enums[p->nenum++];
            constant_of(L, -2, e);
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            keep(k);
            if (e->kind != LUA_TSTRING) continue;
            size_t h = hash_name(e->s) & p->enum_mask;
            while (p->enum_slots[h]) h = (h + 1) & p->enum_mask;
            p->enum_slots[h] = e;
        }
    }
    lua_pop(L, 1);
    if (lua_rawgeti(L, plan, 15) == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TTABLE) {
                node *sub = compile_top(k);
                lua_pushvalue(L, -1);
                add_field(k, p)->plan = sub;
            } else lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    if (lua_rawgeti(L, plan, 16) == LUA_TTABLE) {
        for (int i = 1; i <= nreq; i++) {
            lua_rawgeti(L, -1, i);
            add_field(k, p)->required = 1;
        }
    }
    lua_pop(L, 1);
    for (int i = 0; i < p->nfields; i++) {
        if (!p->fields[i].name) continue;
        size_t h = hash_name(p->fields[i].name) & p->slot_mask;
        while (p->slots[h]) h = (h + 1) & p->slot_mask;
        p->slots[h] = &p->fields[i];
    }
    p->needs = p->has_enum || (p->flags & (F_CONST | F_DATE)) || (p->has & H_MINLEN);
    if (!p->flags && !p->has && !p->has_enum && !p->items && !p->nfields) {
        p->only_ref = p->ref && !p->mask;
        p->only_type = p->ref ? 0 : p->mask == T_STRING ? LUA_TSTRING : p->mask == T_BOOL ? LUA_TBOOLEAN : 0;
    }
    return p;
}

/* ---- validating ---- */

static int valid(vctx *c, int v, int type, const node *p, int depth);

static int check_number(const node *p, lua_Number x) {
    if ((p->has & H_MIN) && x < p->bound[0]) return 0;
    if ((p->has & H_MAX) && x > p->bound[1]) return 0;
    if ((p->has & H_XMIN) && x <= p->bound[2]) return 0;
    if ((p->has & H_XMAX) && x >= p->bound[3]) return 0;
    return 1;
}

static int check_array(vctx *c, int v, const node *p, int depth) {
    lua_State *L = c->L;
    lua_Integer n = (lua_Integer)lua_rawlen(L, v);
    if ((p->has & H_MINITEMS) && n < p->min_items) return 0;
    if ((p->has & H_MAXITEMS) && n > p->max_items) return 0;
    if (!p->items || n == 0) return 1;
    const node *q = p->items, *named = c->named;
    int top = lua_gettop(L), names = c->names, ok = 1;
    for (int k = 0; q->only_ref && k < MAX_DEPTH; k++) q = q->ref;
    if (!lua_checkstack(L, q->nfields + CHUNK + 4)) return 0;
    if (n > 1 && q->nfields) {  /* objects alike: their field names pushed once */
        for (int i = 0; i < q->nfields; i++) lua_rawgeti(L, c->anchor, q->fields[i].key);
        c->named = q;
        c->names = top + 1;
    }
    int item = lua_gettop(L) + 1;
    for (lua_Integer i = 1; ok && i <= n; i++) {  /* the items are popped CHUNK at a time */
        int at = item + (int)((i - 1) % CHUNK);
        if (at == item) lua_settop(L, item - 1);
        ok = valid(c, at, lua_rawgeti(L, v, i), p->items, depth + 1);
    }
    c->named = named;
    c->names = names;
    lua_settop(L, top);
    return ok;
}

/* Each field of the node looked up in the object (a value is left on the stack for each),
 * then, when the object is closed, each key of the object looked up among the fields. */
static int check_object(vctx *c, int v, const node *p, int depth) {
    lua_State *L = c->L;
    int closed = p->flags & F_CLOSED, ok = 1;
    if (!p->nfields && !closed) return 1;
    int top = lua_gettop(L);
    if (!lua_checkstack(L, p->nfields + 4)) return 0;
    int names = p == c->named ? c->names : 0;
    for (int i = 0; ok && i < p->nfields; i++) {
        const field *f = &p->fields[i];
        if (names) lua_pushvalue(L, names + i);
        else lua_rawgeti(L, c->anchor, f->key);
        int type = lua_rawget(L, v);
        if (type == LUA_TNIL) ok = !f->required;
        else if (!f->plan) continue;
        else if (f->plan->only_type) ok = type == f->plan->only_type && depth + 1 <= MAX_DEPTH;  /* valid, in short */
        else ok = valid(c, top + i + 1, type, f->plan, depth + 1);
    }
    lua_settop(L, top);
    if (!ok || !closed) return ok;
    lua_pushnil(L);
    while (ok && lua_next(L, v)) {
        const field *f = NULL;
        if (lua_type(L, top + 1) == LUA_TSTRING) {
            size_t n;
            const char *k = lua_tolstring(L, top + 1, &n);
            f = find(p, k, n);
        }
        ok = f && f->plan;
        lua_settop(L, top + 1);
    }
    lua_settop(L, top);
    return ok;
}

/* The value at v, of Lua type type, against the node p. */
static int valid(vctx *c, int v, int type, const node *p, int depth) {
    lua_State *L = c->L;
    cval x;
    int bits = 0;
    for (; p->only_ref; p = p->ref)
        if (depth++ > MAX_DEPTH) return 0;
    if (depth > MAX_DEPTH) return 0; /* the slow path will say why */
    if (p->ref && !valid(c, v, type, p->ref, depth + 1)) return 0;
    x.kind = type;
    switch (type) {
    case LUA_TSTRING:
        bits = T_STRING;
        if (p->needs) x.s = lua_tolstring(L, v, &x.len);
        break;
    case LUA_TBOOLEAN:
        bits = T_BOOL;
        if (p->needs) x.i = lua_toboolean(L, v);
        break;
    case LUA_TNUMBER:
        number_of(L, v, &x);
        bits = x.kind == LUA_TNUMBER || x.n == (lua_Number)(int64_t)x.n ? (T_NUMBER | T_INTEGER) : T_NUMBER;
        break;
    case LUA_TLIGHTUSERDATA:
        x.s = (const char *)lua_touserdata(L, v);
        bits = x.s == NULL ? T_NULL : 0;
        break;
    case LUA_TTABLE:
        bits = is_array(c, v) ? T_ARRAY : T_OBJECT;
        break;
    case LUA_TNIL: case LUA_TNONE:
        x.kind = LUA_TNIL;
        break;
    default:
        x.s = (const char *)lua_topointer(L, v);
    }
    if (p->mask && !(p->mask & bits)) return 0;
    if (p->has_enum || (p->flags & F_CONST)) {
        if (type == LUA_TTABLE) x.s = (const char *)lua_topointer(L, v);  /* equal only to itself */
        if (p->has_enum && !in_enum(p, &x)) return 0;
        if ((p->flags & F_CONST) && !same(&p->cnst, &x)) return 0;
    }
    switch (bits & (T_STRING | T_NUMBER | T_ARRAY | T_OBJECT)) {
    case T_STRING:
        if ((p->flags & F_DATE) && !is_date(x.s, x.len)) return 0;
        return !(p->has & H_MINLEN) || (lua_Integer)utf8_len(x.s, x.len) >= p->min_len;
    case T_NUMBER: return check_number(p, x.n);
    case T_ARRAY: return check_array(c, v, p, depth);
    case T_OBJECT: return check_object(c, v, p, depth);
    }
    return 1;
}

/* KR_VALID(value, plan, array_metatable) -> valid [, extra]: extra (for a valid object whose schema
   names properties) says whether it has a key they do not name */
int kr_valid_lua(lua_State *L) {
    vctx c;
    node *root = NULL;
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 3);
    if (lua_rawgeti(L, 2, 4) == LUA_TTABLE && lua_rawgeti(L, 4, 1) == LUA_TUSERDATA)
        root = (node *)lua_touserdata(L, 5);
    if (!root) {
        cctx k = { L, 4, 0, NULL };
        lua_settop(L, 3);
        lua_createtable(L, 64, 0);  /* the anchor, at 4; [1] is the root's node, the first value kept */
        root = compile(&k, 2);
        lua_pushvalue(L, 4);
        lua_rawseti(L, 2, 4);
    }
    lua_settop(L, 4);
    c.L = L;
    c.arr_mt = lua_topointer(L, 3);
    c.anchor = 4;
    c.named = NULL;
    c.names = 0;
    int ok = valid(&c, 1, lua_type(L, 1), root, 0);
    lua_pushboolean(L, ok);
    if (!ok || root->nfields == 0 || lua_type(L, 1) != LUA_TTABLE) return 1;
    /* a valid object: whether it has a key its schema's own properties do not name (the
       prelude then looks for a typo among them; most profiles have none, and this walk in C
       costs a tenth of the prelude's) */
    int extra = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        size_t n;
        if (lua_type(L, -1) == LUA_TSTRING) {
            const char *k = lua_tolstring(L, -1, &n);
            if (!find(root, k, n)) { extra = 1; lua_pop(L, 1); break; }
        }
    }
    lua_pushboolean(L, extra);
    return 2;
}

/* ---- validation fused into decoding ----
 * The JSON reader (kr_json.c) can apply the compiled schema of a profile's kind while it reads
 * the profile (kr_json_decode_profile): the same checks as valid(), value by value, so the
 * prelude need not walk the tables again (callgrind, ps-status: KR_VALID's walk cost some
 * 27 000 instructions a record). It only ever says "valid" or "not known": any doubt (a check
 * failed, a "$ref" beside other keywords, an enum or const on an object or array, more than 64
 * fields, the kind not the first key) gives up, and the prelude validates as before. A debug
 * build checks every "valid" against KR_VALID (see validate in the prelude).
 * KR_FUSE(kind, plan) registers the compiled plan of a kind (after KR_VALID compiled it). */

static char FUSE_KEY;
#define FUSE_KINDS 16
typedef struct fuse_reg {
    int n;
    struct { const char *kind; size_t len; const node *root; const void *plan; } e[FUSE_KINDS];
} fuse_reg;

/* KR_FUSE(kind, plan): the root node of plan (compiled by KR_VALID) is used for profiles whose
   first key is "kind" with this value. The plan (and with it its nodes) and the kind's text
   are kept in the registry until the kind is registered again. */
int kr_fuse_register_lua(lua_State *L) {
    luaL_checktype(L, 1, LUA_TSTRING);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_rawgeti(L, 2, 4) != LUA_TTABLE || lua_rawgeti(L, 3, 1) != LUA_TUSERDATA)
        return luaL_error(L, "KR_FUSE: the plan is not compiled (KR_VALID compiles it)");
    const node *root = (const node *)lua_touserdata(L, 4);
    lua_settop(L, 2);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &FUSE_KEY) != LUA_TUSERDATA) {
        lua_pop(L, 1);
        fuse_reg *r = (fuse_reg *)lua_newuserdatauv(L, sizeof(fuse_reg), 1);
        r->n = 0;
        lua_newtable(L);                     /* kind -> plan: keeps both alive */
        lua_setiuservalue(L, -2, 1);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &FUSE_KEY);
    }
    fuse_reg *r = (fuse_reg *)lua_touserdata(L, 3);
    lua_getiuservalue(L, 3, 1);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_rawset(L, -3);                       /* the kind's text (the key) and the plan stay alive */
    size_t len;
    const char *kind = lua_tolstring(L, 1, &len);
    int i = 0;
    while (i < r->n && !(r->e[i].len == len && memcmp(r->e[i].kind, kind, len) == 0)) i++;
    if (i == r->n) {
        if (r->n == FUSE_KINDS) return 0;    /* more kinds than slots: the others are validated as before */
        r->n++;
    }
    r->e[i].kind = kind;                     /* the key's text in the table above */
    r->e[i].len = len;
    r->e[i].root = root;
    r->e[i].plan = lua_topointer(L, 2);
    return 0;
}

/* The root node registered for kind, or NULL; *plan: the plan it was compiled from. */
const void *kr_fuse_root(lua_State *L, const char *kind, size_t len, const void **plan) {
    const void *root = NULL;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &FUSE_KEY) == LUA_TUSERDATA) {
        const fuse_reg *r = (const fuse_reg *)lua_touserdata(L, -1);
        for (int i = 0; i < r->n; i++)
            if (r->e[i].len == len && memcmp(r->e[i].kind, kind, len) == 0) {
                root = r->e[i].root;
                *plan = r->e[i].plan;
                break;
            }
    }
    lua_pop(L, 1);
    return root;
}

/* The node that applies to an object or array at depth under np (its "$ref"-only chain
   followed, as valid() does), or NULL when the value cannot be valid there or the node asks for
   what the fused path does not do. *depth is advanced like valid()'s. */
const void *kr_fuse_container(const void *np, int is_array, int *depth) {
    const node *p = (const node *)np;
    for (; p->only_ref; p = p->ref)
        if ((*depth)++ > MAX_DEPTH) return NULL;
    if (*depth > MAX_DEPTH) return NULL;
    if (p->ref || p->has_enum || (p->flags & F_CONST)) return NULL;
    if (p->mask && !(p->mask & (is_array ? T_ARRAY : T_OBJECT))) return NULL;
    if (!is_array && p->nfields > 64) return NULL;
    return p;
}

/* Whether the object node p is closed (additionalProperties false), and how many fields it has. */
int kr_fuse_closed(const void *np) { return (((const node *)np)->flags & F_CLOSED) != 0; }
int kr_fuse_nfields(const void *np) { return ((const node *)np)->nfields; }

/* The field of object node p named key (len bytes; key the text of an interned Lua string when
   possible): its index, or -1 when p does not name it. *plan: its node, NULL when anything goes. */
int kr_fuse_field(const void *np, const char *key, size_t len, const void **plan) {
    const node *p = (const node *)np;
    const field *f = find(p, key, len);
    if (!f) return -1;
    *plan = f->plan;
    return (int)(f - p->fields);
}

/* Whether an object of node p with the fields seen (a bit per field index) has every required one. */
int kr_fuse_object_done(const void *np, uint64_t seen) {
    const node *p = (const node *)np;
    for (int i = 0; i < p->nfields; i++)
        if (p->fields[i].required && !((seen >> i) & 1)) return 0;
    return 1;
}

/* The node of an array's items (NULL: anything goes), and whether n items are allowed. */
const void *kr_fuse_items(const void *np) { return ((const node *)np)->items; }
int kr_fuse_array_done(const void *np, long long n) {
    const node *p = (const node *)np;
    if ((p->has & H_MINITEMS) && n < p->min_items) return 0;
    if ((p->has & H_MAXITEMS) && n > p->max_items) return 0;
    return 1;
}

/* valid() of a string, number, boolean or null as the reader has it, without asking Lua: type
   is its LUA_T* type (LUA_TLIGHTUSERDATA: null); a string's bytes s (len; the text of the
   interned Lua string when the reader has it, else compared by bytes); a number's value iv
   (isint) or nv; a boolean's iv. The same steps as valid(), in the same order. */
int kr_fuse_value(const void *np, int type, const char *s, size_t len, long long iv, double nv, int isint, int depth) {
    const node *p = (const node *)np;
    cval x;
    int bits = 0;
    for (; p->only_ref; p = p->ref)
        if (depth++ > MAX_DEPTH) return 0;
    if (depth > MAX_DEPTH) return 0;
    if (p->ref && !kr_fuse_value(p->ref, type, s, len, iv, nv, isint, depth + 1)) return 0;
    x.kind = type;
    switch (type) {
    case LUA_TSTRING:
        bits = T_STRING;
        x.s = s;
        x.len = len;
        break;
    case LUA_TBOOLEAN:
        bits = T_BOOL;
        x.i = (lua_Integer)iv;
        break;
    case LUA_TNUMBER:
        if (isint) {
            x.i = (lua_Integer)iv;
            x.n = (lua_Number)x.i;
        } else {
            x.n = nv;
            x.kind = lua_numbertointeger(x.n, &x.i) && (lua_Number)x.i == x.n ? LUA_TNUMBER : K_FLOAT;
        }
        bits = x.kind == LUA_TNUMBER || x.n == (lua_Number)(int64_t)x.n ? (T_NUMBER | T_INTEGER) : T_NUMBER;
        break;
    case LUA_TLIGHTUSERDATA:
        x.s = NULL;
        bits = T_NULL;
        break;
    default:
        return 0;
    }
    if (p->mask && !(p->mask & bits)) return 0;
    if (p->has_enum && !in_enum(p, &x)) return 0;
    if ((p->flags & F_CONST) && !same(&p->cnst, &x)) return 0;
    switch (bits & (T_STRING | T_NUMBER)) {
    case T_STRING:
        if ((p->flags & F_DATE) && !is_date(x.s, x.len)) return 0;
        return !(p->has & H_MINLEN) || (lua_Integer)utf8_len(x.s, x.len) >= p->min_len;
    case T_NUMBER: return check_number(p, x.n);
    }
    return 1;
}
