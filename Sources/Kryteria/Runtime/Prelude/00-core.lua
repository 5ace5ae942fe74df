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
local type, pairs, ipairs, next, select, tostring, tonumber, error, pcall =
      type, pairs, ipairs, next, select, tostring, tonumber, error, pcall
local setmetatable, getmetatable, rawget, rawset, rawequal, rawlen =
      setmetatable, getmetatable, rawget, rawset, rawequal, rawlen
local load, assert = load, assert
local sfind, sformat, sgsub, smatch, srep, ssub, sbyte, schar, slower, supper, sgmatch =
      string.find, string.format, string.gsub, string.match, string.rep, string.sub,
      string.byte, string.char, string.lower, string.upper, string.gmatch
local tconcat, tsort, tinsert, tunpack = table.concat, table.sort, table.insert, table.unpack
local floor, huge, mtype, abs = math.floor, math.huge, math.type, math.abs
local getinfo = debug and debug.getinfo
local dgetmetatable = debug and debug.getmetatable
local dsetmetatable = debug and debug.setmetatable
local rawmt = dgetmetatable or getmetatable

local K = {}           -- the host interface, published as __kr
__kr = K
