-- Kryteria prelude: the rule language, its helpers, the sandbox and the evaluator.
--
-- Trusted code. It runs once per Lua state with the standard library at hand, keeps
-- what it needs in locals, and hands rule files only a sandboxed environment.
-- The host (C shim or a stock lua5.4 driver) provides before it runs:
--   KR_GUARD(f, ...)  -> true, ... | false, message   (a pcall with the instruction
--                        budget and memory cap armed; nested calls do not re-arm)
--   KR_NULL           the value JSON null decodes to (a light userdata NULL)
-- It defines the global table __kr, whose functions the host calls.

local KR_GUARD, KR_NULL = KR_GUARD, KR_NULL
local KR_VALID = KR_VALID   -- optional: the C fast path of validation (absent in a stock lua5.4)
-- Optional in a stock lua5.4 (the baseline driver); the shim provides them in C:
--   KR_PROTECT(t) -> a read-only view of a decoded profile (tables inside replaced by views)
--   KR_NEXT(t, k) -> next() that walks a view's data
--   KR_CHARGED(f, unit, search) -> f charging the budget for the bytes of its arguments
--   KR_STOPPED(e) -> true when a limit was hit (the error object does not matter)
--   KR_DATA(t) -> the data behind a view, or t
--   KR_HAS(t, k), KR_GET(t, k, default) -> has and get of 01-profiles.lua
local KR_PROTECT, KR_NEXT, KR_CHARGED, KR_STOPPED, KR_DATA = KR_PROTECT, KR_NEXT, KR_CHARGED, KR_STOPPED, KR_DATA
local type, pairs, ipairs, next, select, tostring, tonumber, error, pcall =
      type, pairs, ipairs, next, select, tostring, tonumber, error, pcall
local setmetatable, getmetatable, rawget, rawset, rawequal, rawlen =
      setmetatable, getmetatable, rawget, rawset, rawequal, rawlen
local load, assert = load, assert
local sfind, sformat, sgsub, smatch, ssub, sbyte, sgmatch =
      string.find, string.format, string.gsub, string.match, string.sub, string.byte, string.gmatch
local tconcat, tsort, tunpack = table.concat, table.sort, table.unpack
local floor, huge, mtype, abs = math.floor, math.huge, math.type, math.abs
local getinfo = debug and debug.getinfo
local dgetupvalue = debug and debug.getupvalue
local sdump, sunpack = string.dump, string.unpack
local dgetmetatable = debug and debug.getmetatable
local dsetmetatable = debug and debug.setmetatable
local rawmt = dgetmetatable or getmetatable

local K = {}           -- the host interface, published as __kr
__kr = K
