/*
 * kr_shim: the only C that talks to Lua. Everything that may raise a Lua
 * error (hooks, host functions, the JSON reader) lives here, so that no
 * longjmp ever crosses a Swift frame. Swift sees an opaque kr_state and
 * byte buffers: JSON in, JSON out.
 */
#ifndef KR_SHIM_H
#define KR_SHIM_H
#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer owned by C. */
typedef struct kr_buf {
    char *data;
    size_t len;
    size_t cap;
} kr_buf;

void kr_buf_init(kr_buf *b);
void kr_buf_free(kr_buf *b);
void kr_buf_reset(kr_buf *b);
/* Returns 0 on success, -1 when out of memory. */
int kr_buf_put(kr_buf *b, const void *p, size_t n);

/* Argument of kr_call: JSON text to decode, or a raw string. */
typedef struct kr_arg {
    const char *data;
    size_t len;
    int is_json;    /* KR_ARG_STRING, KR_ARG_JSON, KR_ARG_PROFILE or KR_ARG_OPTIONS */
} kr_arg;
enum {
    KR_ARG_STRING = 0,   /* pushed as a Lua string */
    KR_ARG_JSON = 1,     /* decoded */
    KR_ARG_PROFILE = 2,  /* a profile: decoded with its kind's schema applied while read (KR_PREVALID) */
    KR_ARG_OPTIONS = 3   /* decoded, and kept: the same bytes as the state's last options give the same
                            table (which the prelude only reads) */
};

/* Status codes of kr_call and kr_exec. */
enum {
    KR_OK = 0,       /* out holds the JSON of the returned value */
    KR_FLAGGED = 1,  /* like KR_OK, and the function returned true as its second value */
    KR_EJSON = 2,    /* an argument is not valid JSON: out holds "line L, column C: message", then
                        KR_JSON_PL_SEP and the same in Polish, "wiersz L, kolumna C: …" */
    KR_ERUN = 3,     /* a Lua error: out holds the message */
    KR_EMEM = 4,     /* the memory limit was hit outside a guarded call */
    KR_EBUDGET = 5   /* the instruction budget was exhausted outside a guarded call */
};

typedef struct kr_state kr_state;

/* A new sandboxed state with a memory cap (bytes) and an instruction budget per guarded call. */
kr_state *kr_open(size_t memory_limit, int64_t instruction_budget);
void kr_close(kr_state *s);
/* Bytes currently allocated by the state. */
size_t kr_memory_used(kr_state *s);
/* True once the memory cap was hit: the state should be replaced before the next record. */
int kr_tainted(kr_state *s);

/* Runs trusted Lua source (the prelude) with the full standard library. */
int kr_exec(kr_state *s, const char *src, size_t len, const char *chunkname, kr_buf *out);

/* Calls the global table __kr's function `fn` with the arguments, writes its first
   result as JSON into out (a Lua string result is written as is, not quoted). */
int kr_call(kr_state *s, const char *fn, const kr_arg *args, int nargs, kr_buf *out);

/* ---- JSON <-> Lua (kr_json.c) ---- */
/* Between the English and the Polish message of a JSON error in kr_call's out (KR_EJSON). */
#define KR_JSON_PL_SEP "\x1f"
struct lua_State;
/* Decodes JSON text and pushes the value. On error pushes nothing, writes a message
   "line L, column C: ..." into err (NUL-terminated, at most errlen bytes), the same in Polish
   ("wiersz L, kolumna C: ...") into err_pl (NULL: not wanted), and returns -1.
   Objects get the metatable at registry index obj_mt_ref, arrays the one at arr_mt_ref
   (LUA_NOREF: none); null is pushed as a light userdata NULL. May raise Lua memory errors. */
int kr_json_decode(struct lua_State *L, const char *text, size_t len, int obj_mt_ref, int arr_mt_ref,
                   char *err, size_t errlen, char *err_pl, size_t errlen_pl);
/* Appends the JSON of the value at index idx to out. Returns 0, or -1 with a message
   in err (cycle, unsupported type, too deep). Does not raise. */
int kr_json_encode(struct lua_State *L, int idx, int arr_mt_ref, kr_buf *out, char *err, size_t errlen);
/* Like kr_json_decode, for a profile: the schema registered for the profile's kind (KR_FUSE,
   kr_schema.c) is applied while reading. *plan is the plan the profile is valid against, or
   NULL when that is not known (the caller validates as before); *extra whether the valid
   profile has a top-level key its schema does not name. */
int kr_json_decode_profile(struct lua_State *L, const char *text, size_t len, int obj_mt_ref, int arr_mt_ref,
                           char *err, size_t errlen, char *err_pl, size_t errlen_pl, const void **plan, int *extra);
/* Validation fused into decoding: the compiled schema as the reader sees it (kr_schema.c). */
int kr_fuse_register_lua(struct lua_State *L);
const void *kr_fuse_root(struct lua_State *L, const char *kind, size_t len, const void **plan);
const void *kr_fuse_container(const void *node, int is_array, int *depth);
int kr_fuse_closed(const void *node);
int kr_fuse_nfields(const void *node);
int kr_fuse_field(const void *node, const char *key, size_t len, const void **plan);
int kr_fuse_object_done(const void *node, uint64_t seen);
const void *kr_fuse_items(const void *node);
int kr_fuse_array_done(const void *node, long long n);
int kr_fuse_value(const void *node, int type, const char *s, size_t len, long long iv, double nv, int isint, int depth);
/* KR_STATIC_ORDER(mt) as a Lua C function: mt's __order is compiled once for the state (the
   metatable must live as long as the state and never change). */
int kr_json_static_order_lua(struct lua_State *L);

#endif
