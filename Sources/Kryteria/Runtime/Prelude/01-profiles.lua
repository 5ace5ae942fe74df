-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Profile tables: reading an absent field raises a "missing" signal
-------------------------------------------------------------------------------
local MISSING = {}     -- metatable of missing-field signals
MISSING.__tostring = function(m) return "missing profile field '" .. tostring(m.k) .. "'" end

local OBJ_MT = { __metatable = false }
local ARR_MT = { __metatable = false }
OBJ_MT.__index = function(t, k)
  local where
  if getinfo then
    local info = getinfo(2, "Sl")
    if info and info.currentline and info.currentline > 0 then
      where = info.short_src .. ":" .. info.currentline
    end
  end
  error(setmetatable({ t = t, k = k, where = where }, MISSING), 0)
end
K.OBJ_MT, K.ARR_MT = OBJ_MT, ARR_MT

local function is_missing(e) return type(e) == "table" and getmetatable(e) == MISSING end
-- A limit (instruction budget, memory) stops the whole rule: never caught below the guard.
local function is_limit(e)
  return type(e) == "string" and (e == "not enough memory" or sfind(e, "instruction budget exceeded", 1, true) ~= nil)
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

local function has(t, k)
  if type(t) ~= "table" then return false end
  local v = rawget(t, k)
  return v ~= nil and v ~= KR_NULL
end
local function get(t, k, default)
  if type(t) ~= "table" then return default end
  local v = rawget(t, k)
  if v == nil or v == KR_NULL then return default end
  return v
end

-- The JSON path of table `target` inside `root` ("employees[1]"), or nil.
local function path_in(root, target, prefix)
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
