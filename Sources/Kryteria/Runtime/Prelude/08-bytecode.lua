-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Reading a rule file's compiled code (string.dump, Lua 5.4 format) for load-time checks:
-- what a function assigns to a file-level variable, which globals it reads, which fields it
-- reads from its first parameter. Knowable before any profile arrives, so reported at load.
-------------------------------------------------------------------------------
local scan_chunk
do
local OP_SETUPVAL, OP_GETTABUP, OP_SETTABUP, OP_GETFIELD = 10, 11, 15, 14
local OP_LOADI, OP_LOADF, OP_LOADK, OP_RETURN1 = 1, 2, 3, 72

local function read_dump(bin)
  local pos = 1
  local function byte() local b = sbyte(bin, pos); pos = pos + 1; return b end
  local function size()
    local x = 0
    repeat
      local b = byte()
      x = x * 128 + (b & 0x7f)
    until b >= 0x80
    return x
  end
  local function str()
    local n = size()
    if n == 0 then return nil end
    local s = ssub(bin, pos, pos + n - 2)
    pos = pos + n - 1
    return s
  end
  -- header: signature 4, version, format, LUAC_DATA 6, sizes 3, LUAC_INT 8, LUAC_NUM 8
  pos = 4 + 1 + 1 + 6 + 3 + 8 + 8 + 1
  pos = pos + 1   -- number of upvalues of the main closure
  local function func()
    local f = {}
    str()
    f.line = size(); f.last = size()
    f.nparams = byte(); byte(); byte()
    local ncode = size()
    f.code = {}
    for i = 1, ncode do f.code[i] = sunpack("<I4", bin, pos); pos = pos + 4 end
    f.k, f.kt = {}, {}
    for i = 1, size() do
      local t = byte()
      if t == 3 or t == 19 then pos = pos + 8; f.k[i] = false; f.kt[i] = "number"
      elseif t == 4 or t == 20 then f.k[i] = str() or ""; f.kt[i] = "string"
      else f.k[i] = false end
    end
    f.up = {}
    for i = 1, size() do f.up[i] = { instack = byte(), idx = byte() }; byte() end
    f.protos = {}
    for i = 1, size() do f.protos[i] = func() end
    local nline = size()
    f.lineinfo = { sbyte(bin, pos, pos + nline - 1) }
    pos = pos + nline
    f.abs = {}
    for _ = 1, size() do local pc = size(); f.abs[pc] = size() end
    f.locals = {}
    for i = 1, size() do f.locals[i] = { name = str(), from = size(), to = size() } end
    for i = 1, size() do if f.up[i] then f.up[i].name = str() else str() end end
    return f
  end
  return func()
end

-- Line of each instruction (ldebug.c: deltas from the line defined, absolute entries at -128).
local function lines_of(f)
  local lines, line = {}, f.line
  for pc = 1, #f.code do
    local d = f.lineinfo[pc] or 0
    if d >= 128 then d = d - 256 end
    if d == -128 then line = f.abs[pc - 1] or line else line = line + d end
    lines[pc] = line
  end
  return lines
end

-- Walks a file's compiled code. `visit(kind, name, line, f)` is called for:
--   "set_file_local"  an assignment, inside a function, to a variable of the file's top level
--   "set_global"      an assignment to a global inside a function
--   "define_global"   an assignment to a global at the file's top level
--   "global"          a global read anywhere
--   "param_field"     a field read from the first parameter of a function (f.line tells which)
--   "return_constant" a function returns a number or text constant (name: "number" or "string")
-- With `closure` set, fn is a function that already exists when its file has loaded (a
-- criterion's check, a helper it captured, a function a factory returned): every variable it
-- captures was made at load time, so an assignment to any of them, by it or by a function it
-- makes, is reported as "set_file_local" (state that would carry from one profile to the next).
scan_chunk = function(fn, visit, closure)
  local ok, bin = pcall(sdump, fn)
  if not ok then return end
  local ok2, main = pcall(read_dump, bin)
  if not ok2 then return end
  local function walk(f, filelocal, depth)
    local lines = lines_of(f)
    -- which of this function's upvalues are file-level locals (or _ENV)
    local isfile, isenv = {}, {}
    for i, u in ipairs(f.up) do
      if u.name == "_ENV" then isenv[i - 1] = true
      elseif closure and depth == 1 then isfile[i - 1] = u.name or "?"
      elseif depth == 1 and u.instack == 1 then isfile[i - 1] = u.name or "?"
      elseif depth > 1 and u.instack == 0 and filelocal[u.idx] then isfile[i - 1] = filelocal[u.idx] end
    end
    for pc, ins in ipairs(f.code) do
      local op = ins & 0x7f
      local a, b, c = (ins >> 7) & 0xff, (ins >> 16) & 0xff, (ins >> 24) & 0xff
      local kflag = (ins >> 15) & 1
      if op == OP_SETUPVAL and depth > 0 and isfile[b] then
        visit("set_file_local", isfile[b], lines[pc], f)
      elseif op == OP_GETTABUP and isenv[b] and type(f.k[c + 1]) == "string" then
        visit("global", f.k[c + 1], lines[pc], f)
      elseif op == OP_SETTABUP and isenv[a] and type(f.k[b + 1]) == "string" then
        visit(depth > 0 and "set_global" or "define_global", f.k[b + 1], lines[pc], f)
      elseif op == OP_GETFIELD and depth > 0 and b == 0 and f.nparams >= 1 and type(f.k[c + 1]) == "string" then
        -- register 0 is the first parameter until the function assigns to it; good enough for a hint
        visit("param_field", f.k[c + 1], lines[pc], f)
      end
      local _ = kflag
      if op == OP_RETURN1 and pc > 1 then
        local prev = f.code[pc - 1]
        local pop, pa = prev & 0x7f, (prev >> 7) & 0xff
        if pa == a then
          if pop == OP_LOADI or pop == OP_LOADF then visit("return_constant", "number", lines[pc], f)
          elseif pop == OP_LOADK then
            local kt = f.kt[((prev >> 15) & 0x1ffff) + 1]
            if kt then visit("return_constant", kt, lines[pc], f) end
          end
        end
      end
    end
    for _, p in ipairs(f.protos) do
      -- a nested function's upvalues name this function's upvalues by index (instack == 0)
      local map = {}
      if depth >= 1 then for i, _ in ipairs(f.up) do map[i - 1] = isfile[i - 1] end end
      walk(p, map, depth + 1)
    end
  end
  if closure then walk(main, {}, 1) else walk(main, {}, 0) end
end
end
