-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Parameters with effective dates
-------------------------------------------------------------------------------
local PARAMS = {}

-- A parameter's values: `values` (the default, for every programme) and `keyed[programme]`
-- (values for one regional programme, e.g. FELD = Fundusze Europejskie dla Łódzkiego 2021–2027).
-- A programme's own value applies from its date; before it, and for a programme with no values of
-- its own, the default applies.

-- The value of parameter `name` in force on `date` (default: the as-of date).
local PCACHE, PCACHE_DATE = {}, nil
-- Regional parameters and overrides keep their helpers in one table (the prelude is one chunk, and a
-- Lua chunk may have at most 200 locals).
local PX = { for_cache = {}, by_date = {}, ndates = 0 }
-- The values of one as-of date are kept while the batch goes on: a batch's records come with a
-- handful of dates, mixed (switching dates no longer starts the cache afresh).
function PX.use_date(d)
  local c = PX.by_date[d]
  if not c then
    if PX.ndates >= 512 then PX.by_date, PX.ndates = {}, 0 end
    c = { {}, {} }
    PX.by_date[d] = c
    PX.ndates = PX.ndates + 1
  end
  PCACHE, PCACHE_DATE, PX.for_cache = c[1], d, c[2]
end
-- parameters settle when loading finishes (overrides included): values looked up before are forgotten
function PX.forget()
  PCACHE, PCACHE_DATE, PX.for_cache, PX.by_date, PX.ndates = {}, nil, {}, {}, 0
end
local param_lookup
local function param(name, date)
  if date == nil then
    local d = CTX.as_of
    if d ~= PCACHE_DATE then PX.use_date(d) end
    local v = PCACHE[name]
    if v ~= nil then return v end
    v = param_lookup(name, d, 3)
    PCACHE[name] = v
    return v
  end
  return param_lookup(name, date, 3)
end

-- The value chosen from one dated list on `date`, or nil.
function PX.pick(vals, date)
  local chosen
  for i = 1, #vals do
    local v = vals[i]
    if v.from <= date then chosen = v else break end
  end
  return chosen
end

param_lookup = function(name, date, level, key)
  local p = PARAMS[name]
  if not p then error("unknown parameter '" .. tostring(name) .. "'", level) end
  local used = nil
  local chosen
  if key ~= nil and p.keyed and p.keyed[key] then
    chosen = PX.pick(p.keyed[key], date)
    if chosen then used = key end
  end
  if not chosen then
    local vals = p.values
    if #vals == 0 then
      error(sformat(L("parametr '%s' nie ma wartości domyślnej, a program '%s' nie ma własnej wartości obowiązującej %s",
        "parameter '%s' has no default value and programme '%s' has no value of its own in force on %s"),
        name, tostring(key), date), level)
    end
    chosen = PX.pick(vals, date)
    if not chosen then
      error(sformat(L("parametr '%s' nie ma wartości obowiązującej %s (pierwsza wartość obowiązuje od %s)",
        "parameter '%s' has no value in force on %s (its first value applies from %s)"),
        name, date, vals[1].from), level)
    end
  end
  if chosen["until"] and date > chosen["until"] then
    error(sformat(L("parametr '%s' nie ma wartości obowiązującej %s (ostatnia obowiązywała do %s)",
      "parameter '%s' has no value in force on %s (the last value applied until %s)"),
      name, date, chosen["until"]), level)
  end
  return chosen.value, used
end

-- The value of a regional parameter for `programme` (a code such as "FELD"; nil = the default) on
-- the as-of date. Returns the value and the programme whose own value was used (nil: the default).
function PX.param_for(name, programme)
  if programme ~= nil and type(programme) ~= "string" then
    error("param_for: the programme must be a text code such as \"FELD\", found " .. type(programme), 2)
  end
  local d = CTX.as_of
  if d ~= PCACHE_DATE then PX.use_date(d) end
  local ck = name .. "\0" .. tostring(programme)
  local hit = PX.for_cache[ck]
  if hit then return hit[1], hit[2] end
  local v, used = param_lookup(name, d, 3, programme)
  PX.for_cache[ck] = { v, used }
  return v, used
end
