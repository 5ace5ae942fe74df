-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Profile tables: reading an absent field raises a "missing" signal
-------------------------------------------------------------------------------
-- A signal is an empty table: what it says (the table, the key, the place) is kept here,
-- out of reach of a rule that catches it in a <close> handler.
local SIGNAL = setmetatable({}, { __mode = "k" })
local MISSING = { __metatable = false, __newindex = function() error("a signal is read-only", 2) end }
MISSING.__tostring = function(m) return "missing profile field '" .. tostring(SIGNAL[m] and SIGNAL[m].k) .. "'" end

local OBJ_MT = { __metatable = false }
local ARR_MT = { __metatable = false }
OBJ_MT.__index = function(t, k)
  local where
  if getinfo then
    -- the rule's line: the nearest Lua caller (a view's C __index may stand between)
    for level = 2, 4 do
      local info = getinfo(level, "Sl")
      if not info then break end
      if info.currentline and info.currentline > 0 then
        where = info.short_src .. ":" .. info.currentline
        break
      end
    end
  end
  local sig = setmetatable({}, MISSING)
  SIGNAL[sig] = { t = t, k = k, where = where }
  error(sig, 0)
end
K.OBJ_MT, K.ARR_MT = OBJ_MT, ARR_MT

local function is_missing(e) return type(e) == "table" and rawmt(e) == MISSING end
local function signal_of(e) return SIGNAL[e] end
-- A limit (instruction budget, memory) stops the whole rule: never caught below the guard.
-- The shim knows when one was hit, whatever the error object; a stock lua5.4 only has the text.
local is_limit
if KR_STOPPED then
  is_limit = KR_STOPPED
else
  is_limit = function(e)
    return type(e) == "string" and (e == "not enough memory" or sfind(e, "instruction budget exceeded", 1, true) ~= nil)
  end
end

-- Read-only views of profiles (KR_PROTECT in C; the same in Lua for a stock lua5.4).
local VIEW_NAME = "kr.view"
if not KR_PROTECT then
  local function refuse(_, k) error("the profile is read-only: a rule cannot change field '" .. tostring(k) .. "'", 2) end
  local function vlen(v) return rawlen(rawmt(v).__index) end
  local function vnext(v, k)
    local mt = type(v) == "table" and rawmt(v)
    local d = (mt and rawget(mt, "__name") == VIEW_NAME) and mt.__index or v
    return next(d, k)
  end
  local function vpairs(v) return vnext, v, nil end
  local function wrap(d)
    for k, x in next, d do
      if type(x) == "table" then rawset(d, k, wrap(x)) end
    end
    return setmetatable({}, { __index = d, __newindex = refuse, __len = vlen, __pairs = vpairs,
      __name = VIEW_NAME, __metatable = false })
  end
  KR_PROTECT = function(t) if type(t) ~= "table" then return t end return wrap(t) end
  KR_NEXT = vnext
end
-- The data behind a view (the prelude's own reads), or t itself.
local data_of = KR_DATA or function(t)
  local mt = type(t) == "table" and rawmt(t)
  if mt and rawget(mt, "__name") == VIEW_NAME then return rawget(mt, "__index") end
  return t
end

-- Gives plain decoded JSON (e.g. from lua-cjson) the profile metatables.
local function adopt(v)
  if type(v) ~= "table" then return v end
  local n = rawlen(v)
  if n > 0 or rawmt(v) == ARR_MT then
    -- lua-cjson cannot tell [] from {}: the baseline driver marks empty arrays (EMPTY_ARRAY_MARK)
    if n == 1 and v[1] == K.EMPTY_ARRAY_MARK then v[1] = nil; n = 0 end
    for i = 1, n do adopt(v[i]) end
    if rawmt(v) == nil then setmetatable(v, ARR_MT) end
  else
    for _, x in next, v do adopt(x) end
    if rawmt(v) == nil then setmetatable(v, OBJ_MT) end
  end
  return v
end
K.adopt = adopt

-- has(t, k): the field is there and not null; get(t, k, default): the field, or default when it
-- is absent or null. In C (KR_HAS, KR_GET: one call instead of three, and a table read out of a
-- profile comes out as its read-only view); the same in Lua for a stock lua5.4.
local has = KR_HAS or function(t, k)
  if type(t) ~= "table" then return false end
  local v = rawget(data_of(t), k)
  return v ~= nil and v ~= KR_NULL
end
local get = KR_GET or function(t, k, default)
  if type(t) ~= "table" then return default end
  local v = rawget(data_of(t), k)
  if v == nil or v == KR_NULL then return default end
  return v
end

-- The JSON path of table `target` inside `root` ("employees[1]"), or nil. Walked in C when the shim
-- has KR_PATH_IN (measured with callgrind: on applications, whose unknowns name missing fields, the
-- walk in Lua cost some 30 C calls a record); this walk makes a path too long for it.
local function path_in(root, target, prefix)
  if prefix == "" and KR_PATH_IN then
    local p = KR_PATH_IN(root, target, ARR_MT)
    if p ~= false then return p end
  end
  root = data_of(root)
  if rawequal(root, target) then return prefix end
  if type(root) ~= "table" then return nil end
  if rawmt(root) == ARR_MT then
    for i = 1, rawlen(root) do
      local p = path_in(rawget(root, i), target, prefix .. "[" .. (i - 1) .. "]")
      if p then return p end
    end
  else
    for k, v in next, root do
      if type(v) == "table" then
        local p = path_in(v, target, prefix == "" and tostring(k) or (prefix .. "." .. tostring(k)))
        if p then return p end
      end
    end
  end
  return nil
end
