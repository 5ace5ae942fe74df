-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Parameters with effective dates
-------------------------------------------------------------------------------
local PARAMS = {}

-- The value of parameter `name` in force on `date` (default: the as-of date).
local PCACHE, PCACHE_DATE = {}, nil
local param_lookup
local function param(name, date)
  if date == nil then
    local d = CTX.as_of
    if d ~= PCACHE_DATE then PCACHE, PCACHE_DATE = {}, d end
    local v = PCACHE[name]
    if v ~= nil then return v end
    v = param_lookup(name, d, 3)
    PCACHE[name] = v
    return v
  end
  return param_lookup(name, date, 3)
end
param_lookup = function(name, date, level)
  local p = PARAMS[name]
  if not p then error("unknown parameter '" .. tostring(name) .. "'", level) end
  local vals = p.values
  local chosen
  for i = 1, #vals do
    local v = vals[i]
    if v.from <= date then chosen = v else break end
  end
  if not chosen then
    error(sformat(L("parametr '%s' nie ma wartości obowiązującej %s (pierwsza wartość obowiązuje od %s)",
      "parameter '%s' has no value in force on %s (its first value applies from %s)"),
      name, date, vals[1].from), level)
  end
  if chosen["until"] and date > chosen["until"] then
    error(sformat(L("parametr '%s' nie ma wartości obowiązującej %s (ostatnia obowiązywała do %s)",
      "parameter '%s' has no value in force on %s (the last value applied until %s)"),
      name, date, chosen["until"]), level)
  end
  return chosen.value
end
