/* Lua 5.4 from Debian's liblua5.4-dev, with the macros Swift cannot import. */
#ifndef KRYTERIA_CLUA_H
#define KRYTERIA_CLUA_H
#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>
#endif
