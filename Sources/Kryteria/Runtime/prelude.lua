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
  local mt = rawmt(v)
  if n > 0 or mt == ARR_MT or (mt ~= nil and mt == K.FOREIGN_ARRAY_MT) then
    if n == 1 and v[1] == K.EMPTY_ARRAY_MARK then v[1] = nil; n = 0 end
    for i = 1, n do adopt(v[i]) end
    if mt ~= ARR_MT then
      if mt ~= nil and dsetmetatable then dsetmetatable(v, ARR_MT) else setmetatable(v, ARR_MT) end
    end
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

-------------------------------------------------------------------------------
-- Evaluation context
-------------------------------------------------------------------------------
local CTX = { lang = "pl", as_of = nil, root = nil, ruleset = "", today = nil }
local function L(pl, en) if CTX.lang == "en" then return en else return pl end end

-- Text given as a string or as { pl = ..., en = ... }.
local function text(x)
  if type(x) == "table" then
    local s = rawget(x, CTX.lang)
    if s == nil then s = rawget(x, "pl") or rawget(x, "en") end
    return s
  end
  return x
end

-------------------------------------------------------------------------------
-- Numbers, money, dates
-------------------------------------------------------------------------------
local function group(intpart, sep)
  local s = tostring(intpart)
  local neg = sbyte(s, 1) == 45
  if neg then s = ssub(s, 2) end
  local n = #s
  if n <= 3 then return neg and ("-" .. s) or s end
  local head = n % 3
  local parts = {}
  if head > 0 then parts[1] = ssub(s, 1, head) end
  for i = head + 1, n, 3 do parts[#parts + 1] = ssub(s, i, i + 2) end
  return (neg and "-" or "") .. tconcat(parts, sep)
end

-- A number for people: 1 240,5 (pl) or 1,240.5 (en); at most `decimals` decimals.
local function num(x, decimals)
  if type(x) ~= "number" then return tostring(x) end
  -- most numbers in reasons are small whole numbers (counts, days, years)
  if x == floor(x) and x > -1000 and x < 1000 then return sformat("%d", x) end
  decimals = decimals or 2
  local neg = x < 0
  local v = abs(x)
  local scale = 10 ^ decimals
  v = floor(v * scale + 0.5) / scale
  local ip = floor(v)
  local frac = v - ip
  local fs = ""
  if frac > 0 then
    fs = sgsub(ssub(sformat("%." .. decimals .. "f", frac), 3), "0+$", "")
  end
  local en = CTX.lang == "en"
  local s = group(sformat("%d", ip), en and "," or " ")
  if fs ~= "" then s = s .. (en and "." or ",") .. fs end
  return (neg and "-" or "") .. s
end

-- Money: "1 240,00 zł" / "PLN 1,240.00".
local function money(x)
  if type(x) ~= "number" then return tostring(x) end
  local neg = x < 0
  local v = floor(abs(x) * 100 + 0.5)
  local ip, gr = v // 100, v % 100
  local en = CTX.lang == "en"
  local s = group(sformat("%d", ip), en and "," or " ") .. (en and "." or ",") .. sformat("%02d", gr)
  s = (neg and "-" or "") .. s
  if en then return "PLN " .. s end
  return s .. " zł"
end

local function pct(x, decimals)
  -- x is a share (0.3 -> "30%")
  return num(x * 100, decimals or 1) .. "%"
end

local function round2(x) return floor(x * 100 + 0.5) / 100 end

local function days_from_civil(y, m, d)
  y = (m <= 2) and (y - 1) or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end
local function civil_from_days(z)
  z = z + 719468
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m, d
end
local MDAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
local function leap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end
local function month_days(y, m) if m == 2 and leap(y) then return 29 end return MDAYS[m] end

-- Parses "YYYY-MM-DD"; returns y, m, d or nil when it is not a real date.
-- Dates repeat across a batch (as-of dates, deadlines): parsed ones are remembered, up to a bound.
local DATES, NDATES = {}, 0
local function parse_date(s)
  if type(s) ~= "string" then return nil end
  local hit = DATES[s]
  if hit then
    if hit == false then return nil end
    return hit[1], hit[2], hit[3]
  end
  local y, m, d
  if #s == 10 then y, m, d = smatch(s, "^(%d%d%d%d)%-(%d%d)%-(%d%d)$") end
  local ok = false
  if y then
    y, m, d = tonumber(y), tonumber(m), tonumber(d)
    ok = m >= 1 and m <= 12 and d >= 1 and d <= month_days(y, m)
  end
  if NDATES > 20000 then DATES, NDATES = {}, 0 end
  NDATES = NDATES + 1
  DATES[s] = ok and { y, m, d } or false
  if not ok then return nil end
  return y, m, d
end
local function need_date(s, what)
  local y, m, d = parse_date(s)
  if not y then error((what or "date") .. ": expected a date YYYY-MM-DD, found " .. tostring(s), 3) end
  return y, m, d
end
local function fmt_date(y, m, d) return sformat("%04d-%02d-%02d", y, m, d) end

local function days_between(a, b)
  local y1, m1, d1 = need_date(a)
  local y2, m2, d2 = need_date(b)
  return days_from_civil(y2, m2, d2) - days_from_civil(y1, m1, d1)
end
local function add_days(s, n)
  local y, m, d = need_date(s)
  return fmt_date(civil_from_days(days_from_civil(y, m, d) + n))
end
local function add_months(s, n)
  local y, m, d = need_date(s)
  local t = y * 12 + (m - 1) + n
  y, m = t // 12, t % 12 + 1
  local md = month_days(y, m)
  if d > md then d = md end
  return fmt_date(y, m, d)
end
local function add_years(s, n) return add_months(s, 12 * n) end
-- Whole months from a to b (b >= a): 2024-01-31 -> 2024-02-29 is 0 months.
local function months_between(a, b)
  local y1, m1, d1 = need_date(a)
  local y2, m2, d2 = need_date(b)
  local n = (y2 - y1) * 12 + (m2 - m1)
  if d2 < d1 and not (d2 == month_days(y2, m2) and d1 > d2) then n = n - 1 end
  return n
end
-- Age in whole years at date `at` (default: the as-of date).
local function age(birth, at)
  at = at or CTX.as_of
  local y1, m1, d1 = need_date(birth, "birth date")
  local y2, m2, d2 = need_date(at)
  local a = y2 - y1
  if m2 < m1 or (m2 == m1 and d2 < d1) then a = a - 1 end
  return a
end
local function year_of(s) local y = need_date(s) return y end
-- 31 March of the year after `s`'s year: the deadline for an annual report.
local function march31_next_year(s) return fmt_date(year_of(s) + 1, 3, 31) end
local function is_date(s) return parse_date(s) ~= nil end

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
    error(sformat("parameter '%s' has no value in force on %s (its first value applies from %s)",
      name, date, vals[1].from), level)
  end
  if chosen["until"] and date > chosen["until"] then
    error(sformat("parameter '%s' has no value in force on %s (the last value applied until %s)",
      name, date, chosen["until"]), level)
  end
  return chosen.value
end

-------------------------------------------------------------------------------
-- Criterion results and the helpers that explain themselves
-------------------------------------------------------------------------------
local RESULT = {}      -- metatable of check results
local function mk(outcome, reason, extra)
  local r = setmetatable({ outcome = outcome, reason = text(reason) }, RESULT)
  if extra then for k, v in pairs(extra) do r[k] = v end end
  return r
end
local function reason_of(x, ...)
  if select("#", ...) == 0 then return text(x) end
  if type(x) == "string" then return sformat(x, ...) end
  local s = text(x)
  return s and sformat(s, ...)
end
local function pass(r, ...) return mk("pass", reason_of(r, ...)) end
local function fail(r, ...) return mk("fail", reason_of(r, ...)) end
local function not_applicable(r, ...) return mk("not_applicable", reason_of(r, ...)) end
local function unknown(r, ...)
  local res = mk("unknown", reason_of(r))
  local m = {}
  for i = 1, select("#", ...) do m[#m + 1] = select(i, ...) end
  res.missing = m
  return res
end
-- A pass that adds `n` points to the rule's score.
local function points(n, r, ...)
  local res = mk("pass", reason_of(r, ...))
  res.points = n
  return res
end
local function verdict(ok, r_pass, r_fail)
  if ok then return pass(r_pass) end
  return fail(r_fail or r_pass)
end

local function fmtv(v, unit)
  if unit == "zł" or unit == "PLN" then return money(v) end
  if unit == "%" then return pct(v) end
  local s = num(v)
  if unit and unit ~= "" then s = s .. " " .. unit end
  return s
end
-- A gap that rounds to nothing is still a gap: "less than 1 grosz", not "0,00 zł".
local function fmtgap(gap, unit)
  if (unit == "zł" or unit == "PLN") and gap > 0 and gap < 0.005 then
    return L("mniej niż 1 grosz", "less than PLN 0.01")
  end
  if unit ~= "zł" and unit ~= "PLN" and unit ~= "%" and gap > 0 and num(gap) == "0" then
    return L("mniej niż 0,01", "less than 0.01") .. ((unit and unit ~= "") and (" " .. unit) or "")
  end
  return fmtv(gap, unit)
end

-- value >= min. what = { pl = "...", en = "..." } names the quantity.
local function at_least(value, min, what, unit)
  local w = text(what) or L("wartość", "value")
  if value >= min then
    return pass(L("%s: %s, wymagane co najmniej %s", "%s: %s, at least %s required"),
      w, fmtv(value, unit), fmtv(min, unit))
  end
  return fail(L("%s: %s, wymagane co najmniej %s (brakuje %s)", "%s: %s, at least %s required (%s short)"),
    w, fmtv(value, unit), fmtv(min, unit), fmtgap(min - value, unit))
end
-- value <= max.
local function at_most(value, max, what, unit)
  local w = text(what) or L("wartość", "value")
  if value <= max then
    return pass(L("%s: %s, nie przekracza limitu %s", "%s: %s, within the limit of %s"),
      w, fmtv(value, unit), fmtv(max, unit))
  end
  return fail(L("%s: %s, przekracza limit %s o %s", "%s: %s, exceeds the limit of %s by %s"),
    w, fmtv(value, unit), fmtv(max, unit), fmtgap(value - max, unit))
end
-- part / total >= min_share.
local function share_at_least(part, total, min_share, what)
  local w = text(what) or L("udział", "share")
  if total == 0 then
    return fail(L("%s: brak osób w podstawie (0 z 0), wymagane %s", "%s: nobody counted (0 of 0), %s required"),
      w, pct(min_share))
  end
  local s = part / total
  -- compare in integers where possible to avoid 0.3 * 10 rounding surprises
  local ok = part >= min_share * total - 1e-9
  if ok then
    return pass(L("%s: %s (%s z %s), wymagane co najmniej %s", "%s: %s (%s of %s), at least %s required"),
      w, pct(s), num(part), num(total), pct(min_share))
  end
  return fail(L("%s: %s (%s z %s), wymagane co najmniej %s", "%s: %s (%s of %s), at least %s required"),
    w, pct(s), num(part), num(total), pct(min_share))
end

local function oneof(v, a, b, c, ...)
  if v == nil then return false end
  if v == a or v == b or v == c then return true end
  for i = 1, select("#", ...) do if v == select(i, ...) then return true end end
  return false
end
local function member(v, list)
  if type(list) ~= "table" then return false end
  for i = 1, #list do if list[i] == v then return true end end
  return false
end
local function count(list, pred)
  local n = 0
  for i = 1, #list do if pred == nil or pred(list[i]) then n = n + 1 end end
  return n
end
local function sum(list, f)
  local s = 0
  for i = 1, #list do s = s + (f and f(list[i]) or list[i]) end
  return s
end
local function filter(list, pred)
  local out = setmetatable({}, ARR_MT)
  for i = 1, #list do if pred(list[i]) then out[#out + 1] = list[i] end end
  return out
end
local function any(list, pred)
  for i = 1, #list do if pred(list[i]) then return true end end
  return false
end
local function all(list, pred)
  for i = 1, #list do if not pred(list[i]) then return false end end
  return true
end
local function share(list, pred)
  if #list == 0 then return 0 end
  return count(list, pred) / #list
end

-- Three-valued alternatives: each argument is a function returning a check
-- result or a boolean (a boolean needs a label: { label, function }).
-- Passes when any passes; unknown when none passes and some are unknown.
local function run_alt(a)
  local f, label = a, nil
  if type(a) == "table" and getmetatable(a) ~= RESULT then f, label = a[2] or a.check, a[1] or a.label end
  local ok, r = pcall(f)
  if not ok then
    if is_missing(r) then return "unknown", nil, r end
    if is_limit(r) then error(r, 0) end
    return "error", r
  end
  if r == true then return "pass", text(label) end
  if r == false or r == nil then return "fail", text(label) end
  return r.outcome, r.reason, nil, r
end
local function either(...)
  local unknowns, fails, missing = {}, {}, {}
  local first_error
  for i = 1, select("#", ...) do
    local o, why, miss, res = run_alt(select(i, ...))
    if o == "pass" then return res or pass(why) end
    if o == "error" then
      -- an alternative that throws only matters when no other one passes
      if first_error == nil then first_error = why end
    elseif o == "unknown" then
      if miss then missing[#missing + 1] = miss end
      if res and res.missing then for _, m in ipairs(res.missing) do missing[#missing + 1] = m end end
      if why then unknowns[#unknowns + 1] = why end
    elseif why then
      fails[#fails + 1] = why
    end
  end
  if first_error ~= nil then error(first_error, 0) end
  if #missing > 0 or #unknowns > 0 then
    local r = mk("unknown", #unknowns > 0 and tconcat(unknowns, "; ") or nil)
    r.missing = missing
    r.fails = fails
    return r
  end
  return fail(#fails > 0 and tconcat(fails, "; ") or L("żaden z warunków nie jest spełniony", "none of the conditions holds"))
end
-- Passes when every part passes; fails when any fails; else unknown.
local function both(...)
  local reasons, missing, unknown_seen = {}, {}, false
  for i = 1, select("#", ...) do
    local o, why, miss, res = run_alt(select(i, ...))
    if o == "error" then error(why, 0) end
    if o == "fail" then return res or fail(why) end
    if o == "unknown" then
      unknown_seen = true
      if miss then missing[#missing + 1] = miss end
      if res and res.missing then for _, m in ipairs(res.missing) do missing[#missing + 1] = m end end
    elseif why then reasons[#reasons + 1] = why end
  end
  if unknown_seen then
    local r = mk("unknown", nil)
    r.missing = missing
    return r
  end
  return pass(tconcat(reasons, "; "))
end

-------------------------------------------------------------------------------
-- Declarations: rule, criterion, parameter
-------------------------------------------------------------------------------
local RULES = {}        -- id -> rule
local RULE_ORDER = {}   -- ids in load order
local LOADING = nil     -- the file being loaded: { file, rules = {}, params = {}, current }

local RULE_KEYS = { applies_to = true, title = true, basis = true, amount = true, score = true, scoring = true,
  programs = true, description = true, example = true, assumptions = true, unit = true }
local CRIT_KEYS = { basis = true, pl = true, en = true, check = true, applies = true, note = true,
  assumption = true, na = true, confidence = true, uses = true, with = true }
local SHARED_KEYS = { pl = true, en = true, check = true, applies = true, note = true, assumption = true,
  na = true, confidence = true, basis = true }
local SHARED = {}        -- name -> shared criterion (a template several rules use)
local PARAM_KEYS = { unit = true, basis = true, description = true, confidence = true, note = true,
  pl = true, en = true }
local VALUE_KEYS = { from = true, ["until"] = true, value = true, basis = true, note = true, confidence = true }
local KINDS = { person = true, enterprise = true, application = true }

local function edit_distance(a, b)
  local la, lb = #a, #b
  if abs(la - lb) > 3 then return 99 end
  local prev = {}
  for j = 0, lb do prev[j] = j end
  for i = 1, la do
    local cur = { [0] = i }
    local ca = sbyte(a, i)
    for j = 1, lb do
      local cost = (ca == sbyte(b, j)) and 0 or 1
      local x = prev[j] + 1
      if cur[j - 1] + 1 < x then x = cur[j - 1] + 1 end
      if prev[j - 1] + cost < x then x = prev[j - 1] + cost end
      cur[j] = x
    end
    prev = cur
  end
  return prev[lb]
end
local function suggest(word, known)
  local best, bd = nil, 3
  for k in pairs(known) do
    local d = edit_distance(word, k)
    if d < bd then best, bd = k, d end
  end
  if best then return " (did you mean '" .. best .. "'?)" end
  return ""
end

-- The file:line of the nearest caller outside the prelude (the rule file).
local function caller_location()
  if not getinfo then return nil end
  for level = 2, 20 do
    local info = getinfo(level, "Sl")
    if not info then break end
    if info.source ~= "=prelude" and info.what ~= "C" then
      return info.short_src .. ":" .. (info.currentline or 0)
    end
  end
  return nil
end

-- Raised by declarations with the rule file's file:line.
local function decl_error(msg)
  local where = caller_location()
  error(where and (where .. ": " .. msg) or msg, 0)
end
-- The line of `key = ` in the file being loaded, at or after the declaration's line.
local function key_line(key)
  local where = caller_location()
  if not (LOADING and LOADING.source and where) then return nil end
  local file, from = smatch(where, "^(.*):(%d+)$")
  from = tonumber(from)
  local n = 0
  for line in sgmatch(LOADING.source .. "\n", "([^\n]*)\n") do
    n = n + 1
    if n >= from and (sfind(line, "^%s*" .. key .. "%s*=") or sfind(line, "[{,;]%s*" .. key .. "%s*=")) then
      return file .. ":" .. n
    end
  end
  return nil
end

local function check_keys(t, allowed, what)
  for k in pairs(t) do
    if type(k) == "string" and not allowed[k] then
      local msg = sformat("unknown key '%s' in %s%s", k, what, suggest(k, allowed))
      local at = smatch(k, "^[%a_][%w_]*$") and key_line(k)
      if at then error(at .. ": " .. msg, 0) end
      decl_error(msg)
    end
  end
end
local where_declared = caller_location

local function declare_rule(id)
  if type(id) ~= "string" or not smatch(id, "^[a-z0-9]+[a-z0-9%-]*$") then
    decl_error("rule id must be a kebab-case string, found " .. tostring(id))
  end
  return function(spec)
    if type(spec) ~= "table" then decl_error("rule '" .. id .. "' needs a table { ... }") end
    check_keys(spec, RULE_KEYS, "rule '" .. id .. "'")
    local at = where_declared()
    if RULES[id] or (LOADING and LOADING.rules[id]) then
      local prev = RULES[id] or LOADING.rules[id]
      decl_error(sformat("duplicate rule id '%s' (first declared at %s)", id, prev.at or "?"))
    end
    if not KINDS[spec.applies_to] then
      decl_error(sformat("rule '%s': applies_to must be person, enterprise or application, found %s",
        id, tostring(spec.applies_to)))
    end
    if type(spec.title) ~= "table" or type(spec.title.pl) ~= "string" then
      decl_error(sformat("rule '%s': title = { pl = \"...\", en = \"...\" } is required", id))
    end
    if type(spec.basis) ~= "string" then
      decl_error(sformat("rule '%s': basis (the legal basis) is required", id))
    end
    for _, k in ipairs({ "amount", "score" }) do
      if spec[k] ~= nil and type(spec[k]) ~= "function" then
        decl_error(sformat("rule '%s': %s must be a function", id, k))
      end
    end
    local r = { id = id, applies_to = spec.applies_to, title = spec.title, basis = spec.basis,
      amount = spec.amount, score = spec.score, programs = spec.programs, example = spec.example,
      unit = spec.unit, scoring = spec.scoring and true or false, criteria = {}, crit_by_id = {}, at = at, file = LOADING and LOADING.file }
    if LOADING then
      LOADING.rules[id] = r
      LOADING.order[#LOADING.order + 1] = id
      LOADING.current = r
    end
    return r
  end
end

local function declare_criterion(id)
  if type(id) ~= "string" or id == "" then decl_error("criterion id must be a string") end
  return function(spec)
    local r = LOADING and LOADING.current
    if not r then decl_error("criterion '" .. id .. "' comes before any rule in this file") end
    if type(spec) ~= "table" then decl_error("criterion '" .. id .. "' needs a table { ... }") end
    check_keys(spec, CRIT_KEYS, "criterion '" .. id .. "'")
    if r.crit_by_id[id] then
      decl_error(sformat("duplicate criterion id '%s' in rule '%s' (first at %s)", id, r.id, r.crit_by_id[id].at))
    end
    if spec.uses ~= nil and type(spec.uses) ~= "string" then
      decl_error("criterion '" .. id .. "': uses must name a shared criterion")
    end
    if spec.uses == nil and type(spec.check) ~= "function" then
      decl_error("criterion '" .. id .. "': check = function(x) ... end is required")
    end
    if spec.applies ~= nil and type(spec.applies) ~= "function" then
      decl_error("criterion '" .. id .. "': applies must be a function")
    end
    if type(spec.basis) ~= "string" then decl_error("criterion '" .. id .. "': basis (the legal basis) is required") end
    if spec.uses == nil and type(spec.pl) ~= "string" then
      decl_error("criterion '" .. id .. "': pl (the Polish label) is required")
    end
    local c = { id = id, basis = spec.basis, pl = spec.pl, en = spec.en or spec.pl, check = spec.check,
      applies = spec.applies, na = spec.na, assumption = spec.assumption, at = where_declared(),
      uses = spec.uses, with = spec.with }
    r.criteria[#r.criteria + 1] = c
    r.crit_by_id[id] = c
    return c
  end
end

-- A criterion several rules share (e.g. "the applicant holds PS status" for three PUP
-- instruments): declared once, used with criterion "ID" { uses = "name", basis = "..." }.
-- Its check receives the subject and the using criterion (whose `with` table can carry
-- the differences).
local function declare_shared(name)
  if type(name) ~= "string" or name == "" then decl_error("shared criterion name must be a string") end
  return function(spec)
    if type(spec) ~= "table" then decl_error("shared criterion '" .. name .. "' needs a table { ... }") end
    check_keys(spec, SHARED_KEYS, "shared criterion '" .. name .. "'")
    if type(spec.check) ~= "function" then decl_error("shared criterion '" .. name .. "': check is required") end
    if type(spec.pl) ~= "string" then decl_error("shared criterion '" .. name .. "': pl (the Polish label) is required") end
    if SHARED[name] or (LOADING and LOADING.shared[name]) then
      decl_error(sformat("duplicate shared criterion '%s' (first declared at %s)", name, (SHARED[name] or LOADING.shared[name]).at))
    end
    local t = { name = name, pl = spec.pl, en = spec.en, check = spec.check, applies = spec.applies, na = spec.na,
      assumption = spec.assumption, at = where_declared() }
    if LOADING then LOADING.shared[name] = t else SHARED[name] = t end
    return t
  end
end

-- Fills the criteria that use a shared one (after every file has loaded: order does not matter).
local function resolve_shared(problems)
  for _, id in ipairs(RULE_ORDER) do
    for _, c in ipairs(RULES[id].criteria) do
      if c.uses and not c.resolved then
        local t = SHARED[c.uses]
        if not t then
          problems[#problems + 1] = sformat("%s: unknown shared criterion '%s'%s", c.at or id, c.uses, suggest(c.uses, SHARED))
          c.check = function() error("unknown shared criterion '" .. c.uses .. "'", 0) end
        else
          c.pl = c.pl or t.pl
          c.en = (c.en ~= c.pl and c.en) or t.en or c.pl
          c.assumption = c.assumption or t.assumption
          c.applies = c.applies or t.applies
          c.na = c.na or t.na
          if not c.check then
            local f = t.check
            c.check = function(subject) return f(subject, c) end
          end
        end
        c.resolved = true
      end
    end
  end
end

local function declare_parameter(name)
  if type(name) ~= "string" or name == "" then decl_error("parameter name must be a string") end
  return function(spec)
    if type(spec) ~= "table" then decl_error("parameter '" .. name .. "' needs a table { ... }") end
    for k in pairs(spec) do
      if type(k) == "string" and not PARAM_KEYS[k] then
        decl_error(sformat("unknown key '%s' in parameter '%s'%s", k, name, suggest(k, PARAM_KEYS)))
      end
    end
    if PARAMS[name] or (LOADING and LOADING.params[name]) then
      local prev = PARAMS[name] or LOADING.params[name]
      decl_error(sformat("duplicate parameter '%s' (first declared at %s)", name, prev.at or "?"))
    end
    if type(spec.basis) ~= "string" then decl_error("parameter '" .. name .. "': basis (the legal reference) is required") end
    local values = {}
    for i, v in ipairs(spec) do
      if type(v) ~= "table" then decl_error(sformat("parameter '%s': value %d must be { from = ..., value = ... }", name, i)) end
      for k in pairs(v) do
        if not VALUE_KEYS[k] then
          decl_error(sformat("unknown key '%s' in value %d of parameter '%s'%s", tostring(k), i, name, suggest(tostring(k), VALUE_KEYS)))
        end
      end
      if not is_date(v.from) then decl_error(sformat("parameter '%s': value %d needs from = \"YYYY-MM-DD\", found %s", name, i, tostring(v.from))) end
      if v["until"] ~= nil and not is_date(v["until"]) then decl_error(sformat("parameter '%s': value %d: until must be a date", name, i)) end
      if v.value == nil then decl_error(sformat("parameter '%s': value %d has no value", name, i)) end
      if i > 1 and v.from <= values[i - 1].from then
        decl_error(sformat("parameter '%s': values must be in date order (%s after %s)", name, v.from, values[i - 1].from))
      end
      values[i] = { from = v.from, ["until"] = v["until"], value = v.value, basis = v.basis or spec.basis, confidence = v.confidence }
    end
    if #values == 0 then decl_error("parameter '" .. name .. "' has no values") end
    local p = { name = name, unit = spec.unit, basis = spec.basis, values = values, at = where_declared(),
      confidence = spec.confidence, description = spec.description or spec.pl }
    if LOADING then LOADING.params[name] = p else PARAMS[name] = p end
    return p
  end
end

-------------------------------------------------------------------------------
-- Rules calling rules
-------------------------------------------------------------------------------
local run_rule, run_rule_body  -- forward

-- Evaluates rule `id` on `subject` and returns its result table
-- (outcome, criteria, amount, score). The caller decides what it means.
local CHAIN, CHAIN_N = {}, 0   -- the rules being evaluated, outermost first
local function check_rule(id, subject)
  local r = RULES[id]
  if not r then error("unknown rule '" .. tostring(id) .. "'", 2) end
  if type(subject) ~= "table" then error("check_rule: the subject must be a profile table", 2) end
  for i = 1, CHAIN_N do
    if CHAIN[i] == id then
      local names = {}
      for j = i, CHAIN_N do names[#names + 1] = CHAIN[j] end
      names[#names + 1] = id
      local where = caller_location()
      error((where and (where .. ": ") or "") .. sformat("rule '%s' calls itself (%s)", id, tconcat(names, " → ")), 0)
    end
  end
  return run_rule(r, subject)
end

-- A criterion result from another rule's outcome: eligible -> pass, ineligible -> fail.
local OUTCOME_PL = { eligible = "SPEŁNIA", ineligible = "NIE SPEŁNIA", undetermined = "NIEUSTALONE" }
local OUTCOME_EN = { eligible = "ELIGIBLE", ineligible = "NOT ELIGIBLE", undetermined = "UNDETERMINED" }
local function requires_rule(id, subject, who)
  local res = check_rule(id, subject)
  local r = RULES[id]
  -- an error inside the called rule (e.g. a parameter not in force) is an error here too
  if res.outcome ~= "ineligible" then
    for _, c in ipairs(res.criteria) do
      if c.outcome == "error" then error(id .. " " .. c.id .. ": " .. tostring(c.reason), 0) end
    end
  end
  local words = CTX.lang == "en" and OUTCOME_EN or OUTCOME_PL
  local head = (who and (text(who) .. ": ") or "") .. text(r.title) .. ": " .. words[res.outcome]
  local details = {}
  for _, c in ipairs(res.criteria) do
    if c.outcome == "pass" and res.outcome == "eligible" then details[#details + 1] = c.id .. " " .. (c.reason or "") end
    if c.outcome == "fail" and res.outcome == "ineligible" then details[#details + 1] = c.id .. " " .. (c.reason or "") end
  end
  local reason = head
  if #details > 0 then reason = reason .. " (" .. tconcat(details, "; ") .. ")" end
  if res.outcome == "eligible" then return pass(reason) end
  if res.outcome == "ineligible" then return fail(reason) end
  local u = mk("unknown", reason)
  local miss = {}
  for _, c in ipairs(res.criteria) do
    if c.missing then for _, m in ipairs(c.missing) do miss[#miss + 1] = m end end
  end
  u.missing = miss
  return u
end

-- Every item must meet rule `id`: pick(item) gives the profile to check (default: the item),
-- who(i, item) names it in reasons. Fails if any fails, unknown if any is undetermined.
local function requires_each(id, list, pick, who)
  if #list == 0 then return fail(L("brak pozycji do sprawdzenia", "nothing to check")) end
  local fails, opens, missing, oks = {}, {}, {}, {}
  local passed = 0
  for i = 1, #list do
    local item = list[i]
    local label = who and who(i, item) or (L("pozycja ", "item ") .. i)
    local ok, r = pcall(function() return requires_rule(id, pick and pick(item) or item, label) end)
    if not ok then
      if not is_missing(r) then error(r, 0) end
      missing[#missing + 1] = r
      opens[#opens + 1] = label .. ": " .. L("brak danych", "missing data")
    elseif r.outcome == "fail" then fails[#fails + 1] = r.reason
    elseif r.outcome == "unknown" then
      opens[#opens + 1] = r.reason
      for _, m in ipairs(r.missing or {}) do missing[#missing + 1] = m end
    else passed = passed + 1; oks[#oks + 1] = r.reason end
  end
  local head = sformat(L("spełnia %d z %d", "%d of %d meet it"), passed, #list)
  if #fails > 0 then return fail(head .. "; " .. tconcat(fails, "; ")) end
  if #opens > 0 then
    local u = mk("unknown", head .. "; " .. tconcat(opens, "; "))
    u.missing = missing
    return u
  end
  return pass(head .. ": " .. tconcat(oks, "; "))
end

-------------------------------------------------------------------------------
-- The sandbox: what a rule file sees
-------------------------------------------------------------------------------
local function readonly(t, name)
  return setmetatable({}, {
    __index = t,
    __newindex = function(_, k) error(sformat("%s is read-only: cannot set %s.%s", name, name, tostring(k)), 2) end,
    __metatable = false,
  })
end

-- Pattern functions and rep run in C where no hook fires: bound their cost.
local PATTERN_BUDGET = 5e7   -- backtracking steps: about 0.15 s here
local REP_LIMIT = 1 << 20
local function pattern_guard(s, p, fname)
  if type(s) ~= "string" or type(p) ~= "string" then return end
  local q = 0
  local i, n = 1, #p
  while i <= n do
    local c = sbyte(p, i)
    if c == 37 then i = i + 1            -- '%x' escape: skip the next char
    elseif c == 42 or c == 43 or c == 45 or c == 63 then q = q + 1 end -- * + - ?
    i = i + 1
  end
  -- worst case of a backtracking match: n start positions (1 when anchored with ^) times
  -- n for every repetition item
  local len = #s + 1
  local cost = sbyte(p, 1) == 94 and 1 or len
  for _ = 1, q do cost = cost * len; if cost > PATTERN_BUDGET then break end end
  if cost > PATTERN_BUDGET then
    error(sformat("string.%s: pattern with %d repetition items on a %d-byte string is too costly for a rule",
      fname, q, #s), 3)
  end
end
local real = { find = string.find, match = string.match, gmatch = string.gmatch, gsub = string.gsub, rep = string.rep }
local function guarded(fname)
  local f = real[fname]
  return function(s, p, ...)
    if type(s) == "number" then s = tostring(s) end
    if type(p) == "number" then p = tostring(p) end
    local plain = fname == "find" and select(2, ...)
    if not plain then pattern_guard(s, p, fname) end
    return f(s, p, ...)
  end
end
local function guarded_rep(s, n, sep)
  local len = #tostring(s) * (tonumber(n) or 0) + (sep and #tostring(sep) * ((tonumber(n) or 1) - 1) or 0)
  if len > REP_LIMIT then
    error(sformat("string.rep: result of %d bytes is larger than the %d allowed in rules", len, REP_LIMIT), 2)
  end
  return real.rep(s, n, sep)
end
-- Install the guards in the real string table, so method calls ("x"):rep() are guarded too.
string.find, string.match, string.gmatch, string.gsub, string.rep =
  guarded("find"), guarded("match"), guarded("gmatch"), guarded("gsub"), guarded_rep
string.dump = nil
do
  local smt = getmetatable("")
  if smt then smt.__metatable = false end
end

-- pcall for rules: never swallows a missing-field signal or a limit.
local function safe_pcall(f, ...)
  local res = { pcall(f, ...) }
  if not res[1] then
    local e = res[2]
    if is_missing(e) then error(e, 0) end
    if is_limit(e) then error(e, 0) end
  end
  return tunpack(res, 1, res.n or #res)
end
local function safe_setmetatable(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("finalizers (__gc) are not allowed in rules", 2)
  end
  return setmetatable(t, mt)
end
local function safe_getmetatable(t)
  if type(t) ~= "table" then return nil end
  return getmetatable(t)
end

-- math without random numbers: the same case must always get the same decision
local DETERMINISTIC_MATH = {}
for k, v in pairs(math) do
  if k ~= "random" and k ~= "randomseed" then DETERMINISTIC_MATH[k] = v end
end

local BASE = {
  -- safe base library
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = safe_pcall,
  select = select, tonumber = tonumber, tostring = tostring, type = type, rawequal = rawequal,
  setmetatable = safe_setmetatable, getmetatable = safe_getmetatable, _VERSION = _VERSION,
  string = readonly(string, "string"), table = readonly(table, "table"), math = readonly(DETERMINISTIC_MATH, "math"),
  utf8 = readonly(utf8, "utf8"),
  null = KR_NULL,
  -- declarations
  rule = declare_rule, criterion = declare_criterion, parameter = declare_parameter,
  shared_criterion = declare_shared,
  -- results
  pass = pass, fail = fail, unknown = unknown, not_applicable = not_applicable, points = points,
  verdict = verdict,
  -- comparisons that explain themselves
  at_least = at_least, at_most = at_most, share_at_least = share_at_least,
  either = either, both = both,
  -- lists
  oneof = oneof, member = member, count = count, sum = sum, filter = filter, any = any, all = all,
  share = share,
  -- profiles
  has = has, get = get,
  -- numbers and text
  num = num, money = money, pct = pct, round2 = round2, L = L, text = text, fmt = sformat,
  -- dates
  age = age, days_between = days_between, add_days = add_days, add_months = add_months,
  add_years = add_years, months_between = months_between, year_of = year_of,
  march31_next_year = march31_next_year, is_date = is_date,
  as_of = function() return CTX.as_of end,
  -- parameters and other rules
  param = param, check_rule = check_rule, requires_rule = requires_rule, requires_each = requires_each,
}
local BASE_RO = readonly(BASE, "the rule environment")
K.BASE = BASE

-- A fresh environment for one rule file: its own globals, the base read-only.
-- After loading, new globals are refused (a rule must not keep state between cases).
local function file_env()
  return setmetatable({}, { __index = BASE_RO, __metatable = false })
end
-------------------------------------------------------------------------------
-- Loading rule and parameter files
-------------------------------------------------------------------------------
-- Loads one file (text only). Returns true, or false and a message "file:line: ...".
function K.load_file(source, chunkname)
  local env = file_env()
  local fn, err = load(source, "@" .. chunkname, "t", env)
  if not fn then return { ok = false, error = err } end
  LOADING = { file = chunkname, source = source, rules = {}, order = {}, params = {}, shared = {}, current = nil }
  local ok, e = KR_GUARD(fn)
  local staged = LOADING
  LOADING = nil
  if not ok then
    if is_missing(e) then e = chunkname .. ": reads a profile field at load time: " .. tostring(e) end
    return { ok = false, error = tostring(e) }
  end
  for id, r in pairs(staged.rules) do
    if #r.criteria == 0 then
      return { ok = false, error = sformat("%s: rule '%s' has no criteria", r.at or chunkname, id) }
    end
  end
  for id, r in pairs(staged.rules) do RULES[id] = r end
  for _, id in ipairs(staged.order) do RULE_ORDER[#RULE_ORDER + 1] = id end
  for name, p in pairs(staged.params) do PARAMS[name] = p end
  for name, t in pairs(staged.shared) do SHARED[name] = t end
  K.SEAL[#K.SEAL + 1] = env
  K.SOURCES[#K.SOURCES + 1] = { chunkname, source }
  return { ok = true, rules = staged.order }
end
K.SEAL = {}
K.SOURCES = {}

-- After every file has loaded: refuse new globals from now on, check references.
function K.finish_loading()
  for _, env in ipairs(K.SEAL) do
    -- env's metatable is protected from rules but the prelude holds the real one via debug
    local mt = dgetmetatable and dgetmetatable(env)
    if mt then
      mt.__newindex = function(_, k)
        error("rules cannot set global variables while evaluating ('" .. tostring(k) .. "'); use local", 2)
      end
    end
  end
  K.SEAL = {}
  tsort(RULE_ORDER)
  -- every param "name" written in a rule file must name a declared parameter: a typo is
  -- reported now, with its file:line, not when a case reaches that line
  local problems = {}
  resolve_shared(problems)
  for _, f in ipairs(K.SOURCES) do
    local chunkname, source = f[1], f[2]
    local n = 0
    for line in sgmatch(source .. "\n", "([^\n]*)\n") do
      n = n + 1
      local code = sgsub(line, "%-%-.*$", "")
      for name in sgmatch(code, "param%s*%(?%s*[\"']([^\"']+)[\"']") do
        if not PARAMS[name] then
          problems[#problems + 1] = sformat("%s:%d: unknown parameter '%s'%s", chunkname, n, name, suggest(name, PARAMS))
        end
      end
      for fn, id in sgmatch(code, "([%w_]*_rule)%s*%(%s*[\"']([^\"']+)[\"']") do
        if (fn == "check_rule" or fn == "requires_rule") and not RULES[id] then
          problems[#problems + 1] = sformat("%s:%d: unknown rule '%s'%s", chunkname, n, id, suggest(id, RULES))
        end
      end
      for id in sgmatch(code, "requires_each%s*%(%s*[\"']([^\"']+)[\"']") do
        if not RULES[id] then
          problems[#problems + 1] = sformat("%s:%d: unknown rule '%s'%s", chunkname, n, id, suggest(id, RULES))
        end
      end
    end
  end
  K.SOURCES = {}
  return { rules = #RULE_ORDER, problems = problems }
end

-------------------------------------------------------------------------------
-- JSON Schema (the subset the contract uses) and validation
-------------------------------------------------------------------------------
local SCHEMAS = {}      -- file name -> schema table
local SCHEMA_BY_KIND = {}
local SCHEMA_KEYS = { ["$schema"] = true, ["$id"] = true, ["$defs"] = true, ["$ref"] = true, ["$comment"] = true,
  title = true, description = true, type = true, enum = true, const = true, properties = true,
  required = true, additionalProperties = true, items = true, minimum = true, maximum = true,
  exclusiveMinimum = true, exclusiveMaximum = true, minItems = true, maxItems = true, minLength = true,
  maxLength = true, format = true, examples = true, default = true, uniqueItems = true, deprecated = true }

local function check_schema(s, path, file)
  if type(s) ~= "table" then return end
  for k, v in next, s do
    if type(k) == "string" and not SCHEMA_KEYS[k] and ssub(k, 1, 2) ~= "x-" then
      error(sformat("%s: %s: unsupported schema keyword '%s'%s", file, path, k, suggest(k, SCHEMA_KEYS)), 0)
    end
  end
  if type(s.properties) == "table" then
    for k, v in next, s.properties do check_schema(v, path .. "/properties/" .. k, file) end
  end
  if type(s["$defs"]) == "table" then
    for k, v in next, s["$defs"] do check_schema(v, path .. "/$defs/" .. k, file) end
  end
  if type(s.items) == "table" then check_schema(s.items, path .. "/items", file) end
  if type(s.format) == "string" and s.format ~= "date" then
    error(sformat("%s: %s: unsupported format '%s' (only date)", file, path, s.format), 0)
  end
end

-- Decoded JSON as plain tables (no missing-field signals): for data the prelude reads itself.
local function plain(v)
  if type(v) ~= "table" then return v end
  for _, x in next, v do plain(x) end
  if rawmt(v) == OBJ_MT and dsetmetatable then dsetmetatable(v, nil) end
  return v
end
K.plain = plain

function K.add_schema(file, schema)
  schema = plain(schema)
  check_schema(schema, "#", file)
  SCHEMAS[file] = schema
  -- the kind it describes: properties.kind.const
  local props = schema.properties
  local kind = props and props.kind and type(props.kind) == "table" and props.kind.const
  if kind then SCHEMA_BY_KIND[kind] = file end
  return { ok = true, kind = kind }
end

local function resolve_ref(ref, file)
  local f, frag = smatch(ref, "^([^#]*)#?(.*)$")
  if f == "" then f = file end
  local s = SCHEMAS[f]
  if not s then error("schema reference to unknown file '" .. f .. "'", 0) end
  if frag ~= "" then
    for part in sgmatch(frag, "[^/]+") do
      s = s[part]
      if s == nil then error("schema reference '" .. ref .. "' points nowhere", 0) end
    end
  end
  return s, f
end

local function json_type(v)
  local t = type(v)
  if t == "string" then return "string" end
  if t == "boolean" then return "boolean" end
  if t == "number" then return mtype(v) == "integer" and "integer" or (v == floor(v) and "integer_float" or "number") end
  if v == KR_NULL then return "null" end
  if t == "table" then return rawmt(v) == ARR_MT and "array" or "object" end
  return t
end

local function show(v)
  local t = json_type(v)
  if t == "string" then
    local s = v
    if #s > 40 then s = ssub(s, 1, 37) .. "..." end
    return '"' .. s .. '"'
  end
  if t == "null" then return "null" end
  if t == "array" then return L("tablica", "an array") end
  if t == "object" then return L("obiekt", "an object") end
  return tostring(v)
end

local TYPE_WORDS = {
  pl = { string = "tekst", integer = "liczba całkowita", number = "liczba", boolean = "true albo false",
    array = "tablica", object = "obiekt", null = "null" },
  en = { string = "a string", integer = "an integer", number = "a number", boolean = "true or false",
    array = "an array", object = "an object", null = "null" },
}
local function expected_of(s)
  local words = TYPE_WORDS[CTX.lang] or TYPE_WORDS.pl
  if s.enum then
    local vals = {}
    for i = 1, #s.enum do vals[i] = tostring(s.enum[i] == KR_NULL and "null" or s.enum[i]) end
    return L("jedna z wartości: ", "one of: ") .. tconcat(vals, ", ")
  end
  if s.const ~= nil then return L("wartość ", "the value ") .. tostring(s.const) end
  if s.format == "date" then return L("data RRRR-MM-DD", "a date YYYY-MM-DD") end
  local ty = s.type
  local tnames = {}
  if type(ty) == "table" then for i = 1, #ty do tnames[i] = words[ty[i]] or ty[i] end
  elseif ty then tnames[1] = words[ty] or ty end
  local e = tconcat(tnames, L(" albo ", " or "))
  local lo, hi = s.minimum or s.exclusiveMinimum, s.maximum or s.exclusiveMaximum
  if s.exclusiveMinimum and hi then
    e = e .. L(" większa niż ", " greater than ") .. num(lo, 4) .. L(", najwyżej ", ", at most ") .. num(hi, 4)
  elseif lo and hi then e = e .. L(" od ", " from ") .. num(lo, 4) .. L(" do ", " to ") .. num(hi, 4)
  elseif lo then e = e .. (s.exclusiveMinimum and L(" większa niż ", " greater than ") or L(" co najmniej ", " at least ")) .. num(lo, 4)
  elseif hi then e = e .. L(" nie większa niż ", " at most ") .. num(hi, 4) end
  return e
end


-- Schemas are compiled once into closures. The path of a value is kept as a stack of
-- keys and turned into text only when a problem is found.
local PATH, DEPTH = {}, 0
local function path_text()
  local parts = { "$" }
  for i = 1, DEPTH do
    local k = PATH[i]
    if mtype(k) == "integer" then parts[#parts + 1] = "[" .. (k - 1) .. "]"
    else parts[#parts + 1] = "." .. tostring(k) end
  end
  return tconcat(parts)
end
local PROBLEMS
local function problem(expected, found)
  if #PROBLEMS < 20 then
    PROBLEMS[#PROBLEMS + 1] = { path = path_text(), expected = expected, found = found }
  end
end

local COMPILED = {}     -- schema node -> validator(v)
local compile
compile = function(s, file)
  local done = COMPILED[s]
  if done then return done end
  -- a forwarder first, so recursive references terminate
  local impl
  local function fwd(v) return impl(v) end
  COMPILED[s] = fwd
  local checks = {}
  if s["$ref"] then
    local target, tf = resolve_ref(s["$ref"], file)
    checks[#checks + 1] = compile(target, tf)
  end
  local ty = s.type
  if ty then
    local preds = {}
    for _, t in ipairs(type(ty) == "table" and ty or { ty }) do
      if t == "string" or t == "boolean" then
        preds[#preds + 1] = function(v) return type(v) == t end
      elseif t == "number" then
        preds[#preds + 1] = function(v) return type(v) == "number" end
      elseif t == "integer" then
        preds[#preds + 1] = function(v) return mtype(v) == "integer" or (type(v) == "number" and v == floor(v)) end
      elseif t == "null" then
        preds[#preds + 1] = function(v) return v == KR_NULL end
      elseif t == "array" then
        preds[#preds + 1] = function(v) return type(v) == "table" and rawmt(v) == ARR_MT end
      elseif t == "object" then
        preds[#preds + 1] = function(v) return type(v) == "table" and rawmt(v) ~= ARR_MT end
      else
        error(sformat("%s: unsupported type '%s'", file, tostring(t)), 0)
      end
    end
    local p1, p2 = preds[1], preds[2]
    if #preds == 1 then
      checks[#checks + 1] = function(v) if not p1(v) then problem(expected_of(s), show(v)) return false end end
    else
      checks[#checks + 1] = function(v)
        if p1(v) or p2(v) then return end
        for i = 3, #preds do if preds[i](v) then return end end
        problem(expected_of(s), show(v))
        return false
      end
    end
  end
  if s.enum then
    local set = {}
    for i = 1, #s.enum do set[s.enum[i]] = true end
    checks[#checks + 1] = function(v)
      if v == nil or not set[v] then problem(expected_of(s), show(v)) return false end
    end
  end
  if s.const ~= nil then
    local c = s.const
    checks[#checks + 1] = function(v) if v ~= c then problem(expected_of(s), show(v)) return false end end
  end
  if s.format == "date" then
    checks[#checks + 1] = function(v)
      if type(v) == "string" and not is_date(v) then
        problem(expected_of(s), show(v) ..
          (smatch(v, "^%d%d%d%d%-%d%d%-%d%d$") and L(" (taki dzień nie istnieje)", " (no such day)") or ""))
      end
    end
  end
  if s.minLength then
    local m = s.minLength
    checks[#checks + 1] = function(v)
      if type(v) == "string" and (utf8.len(v) or 0) < m then
        problem(L("tekst o długości co najmniej ", "a string of at least ") .. m, show(v))
      end
    end
  end
  local lo, hi, xlo, xhi = s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum
  if lo or hi or xlo or xhi then
    checks[#checks + 1] = function(v)
      if type(v) == "number" and ((lo and v < lo) or (hi and v > hi) or (xlo and v <= xlo) or (xhi and v >= xhi)) then
        problem(expected_of(s), show(v))
      end
    end
  end
  if s.items or s.minItems or s.maxItems then
    local item = type(s.items) == "table" and compile(s.items, file)
    local mn, mx = s.minItems, s.maxItems
    checks[#checks + 1] = function(v)
      if type(v) ~= "table" or rawmt(v) ~= ARR_MT then return end
      local n = rawlen(v)
      if mn and n < mn then problem(L("co najmniej ", "at least ") .. mn .. L(" elementów", " items"), tostring(n)) end
      if mx and n > mx then problem(L("najwyżej ", "at most ") .. mx .. L(" elementów", " items"), tostring(n)) end
      if item then
        local d = DEPTH + 1
        DEPTH = d
        for i = 1, n do PATH[d] = i; item(rawget(v, i)) end
        DEPTH = d - 1
      end
    end
  end
  if s.properties or s.required or s.additionalProperties == false then
    local props = {}
    for k, sub in pairs(s.properties or {}) do props[k] = compile(sub, file) end
    local required = s.required or {}
    local closed = s.additionalProperties == false
    checks[#checks + 1] = function(v)
      if type(v) ~= "table" or rawmt(v) == ARR_MT then return end
      local d = DEPTH + 1
      DEPTH = d
      for i = 1, #required do
        local k = required[i]
        if rawget(v, k) == nil then
          PATH[d] = k
          problem(L("pole wymagane", "a required field"), L("brak", "nothing"))
        end
      end
      for k, x in next, v do
        local f = props[k]
        if f then
          PATH[d] = k
          f(x)
        elseif closed then
          PATH[d] = k
          problem(L("pole znane ze schematu", "a field the schema knows") .. suggest(tostring(k), s.properties or {}), show(x))
        end
      end
      DEPTH = d - 1
    end
  end
  local n = #checks
  local c1, c2, c3 = checks[1], checks[2], checks[3]
  if n == 0 then impl = function() end
  elseif n == 1 then impl = c1
  elseif n == 2 then impl = function(v) if c1(v) ~= false then c2(v) end end
  elseif n == 3 then impl = function(v) if c1(v) ~= false and c2(v) ~= false then c3(v) end end
  else
    impl = function(v)
      for i = 1, n do if checks[i](v) == false then return end end
    end
  end
  -- later references get the function itself; recursive ones already hold the forwarder
  COMPILED[s] = impl
  return impl
end

-- The plan of a schema node for KR_VALID, the C fast path: an array read by index
-- (see kr_schema.c for the layout), so C never looks up keys by name.
local PLANS = {}
local TYPE_BITS = { string = 1, boolean = 2, number = 4, integer = 8, null = 16, array = 32, object = 64 }
local plan_of
plan_of = function(s, file)
  local plan = PLANS[s]
  if plan then return plan end
  plan = {}
  PLANS[s] = plan
  local mask = 0
  local ty = s.type
  for _, t in ipairs(type(ty) == "table" and ty or { ty }) do mask = mask | (TYPE_BITS[t] or 0) end
  plan[1] = mask
  if s["$ref"] then
    local target, tf = resolve_ref(s["$ref"], file)
    plan[2] = plan_of(target, tf)
  else plan[2] = false end
  if s.enum then
    local set = {}
    for i = 1, #s.enum do set[s.enum[i]] = true end
    plan[3] = set
  else plan[3] = false end
  local flags = 0
  if s.const ~= nil then flags = flags | 1; plan[6] = s.const else plan[6] = false end
  if s.format == "date" then flags = flags | 2 end
  if s.additionalProperties == false then flags = flags | 4 end
  plan[4] = false
  plan[5] = flags
  plan[7] = s.minimum or false
  plan[8] = s.maximum or false
  plan[9] = s.exclusiveMinimum or false
  plan[10] = s.exclusiveMaximum or false
  plan[11] = s.minLength or false
  plan[12] = type(s.items) == "table" and plan_of(s.items, file) or false
  plan[13] = s.minItems or false
  plan[14] = s.maxItems or false
  if s.properties then
    local props = {}
    for k, sub in pairs(s.properties) do props[k] = plan_of(sub, file) end
    plan[15] = props
  else plan[15] = false end
  plan[16] = s.required or false
  return plan
end

local function validate(v, s, file, slow_only)
  local check = compile(s, file)
  -- the C fast path answers yes or no; only a no needs the words of the slow path
  if KR_VALID and not slow_only and KR_VALID(v, plan_of(s, file), ARR_MT) then return {} end
  PROBLEMS, DEPTH = {}, 0
  check(v)
  local out = PROBLEMS
  PROBLEMS = nil
  return out
end

-- Known property names of the schema node at a profile path (for "unknown field" errors).
local function schema_props_at(kind, path)
  local file = SCHEMA_BY_KIND[kind]
  if not file then return nil end
  local s = SCHEMAS[file]
  local function deref(x)
    local guard = 0
    while x and x["$ref"] and guard < 10 do x, file = resolve_ref(x["$ref"], file); guard = guard + 1 end
    return x
  end
  s = deref(s)
  if path ~= "" then
    for seg in sgmatch(path, "[^%.]+") do
      local name, rest = smatch(seg, "^([^%[]*)(.*)$")
      if name ~= "" then
        s = s and s.properties and deref(s.properties[name])
      end
      for _ in sgmatch(rest, "%[%d+%]") do s = s and deref(s.items) end
      if not s then return nil end
    end
  end
  return s and s.properties
end

-------------------------------------------------------------------------------
-- Evaluation
-------------------------------------------------------------------------------
local CRIT_ORDER = { __order = { "id", "label", "outcome", "reason", "legal_basis", "missing", "points", "assumption", "error" } }
local RULE_RES_ORDER = { __order = { "rule", "title", "outcome", "legal_basis", "amount", "score", "criteria", "error" } }
local EVAL_ORDER = { __order = { "line", "id", "kind", "as_of", "as_of_source", "ruleset", "lang", "warnings", "results", "error" } }
local ERR_ORDER = { __order = { "code", "message", "problems" } }
local PROB_ORDER = { __order = { "path", "expected", "found" } }

local function empty_array() return setmetatable({}, ARR_MT) end
-- Shared by every criterion with nothing missing; read-only by convention (only the writer reads it).
local NONE = setmetatable({}, ARR_MT)

local function missing_path(sig)
  local p = path_in(CTX.root, sig.t, "")
  local k = tostring(sig.k)
  if p == nil then return k, nil end
  return (p == "" and k or (p .. "." .. k)), p
end

-- Turns a missing-field signal into the criterion's fields; an unknown field is an error.
local function on_missing(sig, cres)
  local full, parent = missing_path(sig)
  local kind = CTX.root and rawget(CTX.root, "kind")
  local props = parent and kind and schema_props_at(kind, parent)
  if props and type(sig.k) == "string" and props[sig.k] == nil then
    cres.outcome = "error"
    cres.reason = (sig.where and (sig.where .. ": ") or "") ..
      sformat(L("nieznane pole profilu '%s'%s", "unknown profile field '%s'%s"), sig.k, suggest(sig.k, props))
    return
  end
  cres.outcome = "unknown"
  cres.missing = setmetatable({ full }, ARR_MT)
  cres.reason = sformat(L("brak danych: %s", "missing data: %s"), full)
end

local function run_criterion(c, subject)
  -- every field the result will have, in one constructor: no rehash as they are filled in
  local cres = setmetatable({ id = c.id, label = CTX.lang == "en" and c.en or c.pl, outcome = false,
    reason = false, legal_basis = c.basis, missing = NONE }, CRIT_ORDER)
  if c.assumption then cres.assumption = text(c.assumption) end
  if c.applies then
    local ok, a = pcall(c.applies, subject)
    if not ok then
      if is_limit(a) then error(a, 0) end
      if is_missing(a) then on_missing(a, cres) return cres end
      cres.outcome, cres.reason = "error", tostring(a)
      return cres
    end
    if not a then
      cres.outcome = "not_applicable"
      cres.reason = text(c.na) or L("nie dotyczy", "not applicable")
      cres.missing = NONE
      return cres
    end
  end
  local ok, r = pcall(c.check, subject)
  if not ok then
    if is_limit(r) then error(r, 0) end
    if is_missing(r) then on_missing(r, cres) return cres end
    cres.outcome, cres.reason = "error", tostring(r)
    if cres.missing == nil then cres.missing = NONE end
    return cres
  end
  if r == true then
    cres.outcome, cres.reason = "pass", cres.label
  elseif r == false then
    cres.outcome, cres.reason = "fail", cres.label
  elseif type(r) == "table" and getmetatable(r) == RESULT then
    cres.outcome = r.outcome
    cres.reason = r.reason or cres.label
    cres.points = r.points
    if r.missing then
      local m, seen = empty_array(), {}
      for _, sig in ipairs(r.missing) do
        local path = is_missing(sig) and missing_path(sig) or tostring(sig)
        if not seen[path] then seen[path] = true; m[#m + 1] = path end
      end
      cres.missing = m
      -- an unknown without its own reason (either/both) says which data is missing
      if r.outcome == "unknown" and #m > 0 then
        local md = sformat(L("brak danych: %s", "missing data: %s"), tconcat(m, ", "))
        if r.reason == nil then cres.reason = md
        elseif not sfind(r.reason, md, 1, true) then cres.reason = r.reason .. " — " .. md end
      end
    end
  else
    cres.outcome = "error"
    cres.reason = sformat("%s: check returned %s; return pass(...), fail(...), unknown(...) or a boolean",
      c.at or c.id, type(r))
  end
  if cres.missing == nil then cres.missing = NONE end
  return cres
end

run_rule = function(rule, subject)
  CHAIN_N = CHAIN_N + 1
  CHAIN[CHAIN_N] = rule.id
  local res = run_rule_body(rule, subject)
  CHAIN_N = CHAIN_N - 1
  return res
end

run_rule_body = function(rule, subject)
  local crits = empty_array()
  local any_fail, any_open = false, false
  local pts
  for i = 1, #rule.criteria do
    local cres = run_criterion(rule.criteria[i], subject)
    crits[i] = cres
    -- in a scoring rule a criterion that awards no points is "fail", and failing does not
    -- make the case ineligible: the rule only adds up points
    if rule.scoring and cres.outcome == "pass" and (cres.points or 0) == 0 then cres.outcome = "fail" end
    local o = cres.outcome
    if o == "fail" then any_fail = true
    elseif o == "unknown" or o == "error" then any_open = true end
    if cres.points then pts = (pts or 0) + cres.points end
  end
  local res = setmetatable({ rule = rule.id, title = text(rule.title), legal_basis = rule.basis, criteria = crits }, RULE_RES_ORDER)
  if rule.scoring then any_fail = false end
  res.outcome = any_fail and "ineligible" or (any_open and "undetermined" or "eligible")
  if rule.amount and not any_fail then
    local ok, a = pcall(rule.amount, subject, crits)
    if not ok and is_limit(a) then error(a, 0) end
    if ok and type(a) == "number" then res.amount = round2(a)
    elseif not ok and not is_missing(a) then
      res.error = tostring(a)
      if res.outcome == "eligible" then res.outcome = "undetermined" end
    end
  end
  if rule.score then
    local ok, s = pcall(rule.score, subject, crits)
    if not ok and is_limit(s) then error(s, 0) end
    if ok and type(s) == "number" then pts = (pts or 0) + s
    elseif not ok and not is_missing(s) then res.error = tostring(s) end
  end
  if pts then res.score = pts end
  return res
end

local function rule_applies(rule, kind, profile)
  if rule.applies_to ~= kind then return false end
  if kind == "application" then
    local program = rawget(profile, "program")
    if program == rule.id then return true end
    if rule.programs then
      for _, p in ipairs(rule.programs) do if p == program then return true end end
    end
    return false
  end
  return true
end

local function error_rule_result(rule, msg)
  local res = setmetatable({ rule = rule.id, title = text(rule.title), legal_basis = rule.basis,
    outcome = "undetermined", criteria = empty_array() }, RULE_RES_ORDER)
  res.error = msg
  return res
end

local STATS = { records = 0, invalid = 0, rules = {} }
local SELECTION = {}   -- "id\0id" -> rule ids, in ruleset order

local function invalid(ev, code, message, problems)
  ev.error = setmetatable({ code = code, message = message, problems = problems }, ERR_ORDER)
  ev.results = nil
  STATS.invalid = STATS.invalid + 1
  return ev, true
end

-- Evaluates a decoded profile. opts: as_of, lang, rules (ids), line.
-- Returns the evaluation table, and true when the profile was invalid.
function K.evaluate(profile, opts)
  STATS.records = STATS.records + 1
  opts = opts or {}
  local lang = rawget(opts, "lang")
  CTX.lang = (lang == "en") and "en" or "pl"
  local ev = setmetatable({ ruleset = CTX.ruleset, lang = CTX.lang }, EVAL_ORDER)
  local line = rawget(opts, "line")
  if line then ev.line = line end
  if type(profile) ~= "table" or rawmt(profile) == ARR_MT then
    return invalid(ev, "invalid_profile", L("profil musi być obiektem JSON", "a profile must be a JSON object"),
      setmetatable({ setmetatable({ path = "$", expected = L("obiekt", "an object"), found = show(profile) }, PROB_ORDER) }, ARR_MT))
  end
  local id = rawget(profile, "id")
  if id ~= nil then ev.id = id end
  local kind = rawget(profile, "kind")
  ev.kind = kind
  local sfile = SCHEMA_BY_KIND[kind]
  if not sfile then
    local kinds = {}
    for k in pairs(SCHEMA_BY_KIND) do kinds[#kinds + 1] = k end
    tsort(kinds)
    return invalid(ev, "invalid_profile", L("nieznany rodzaj profilu", "unknown profile kind"),
      setmetatable({ setmetatable({ path = "$.kind", expected = L("jedna z wartości: ", "one of: ") .. tconcat(kinds, ", "),
        found = kind == nil and L("brak", "nothing") or show(kind) }, PROB_ORDER) }, ARR_MT))
  end
  local problems = validate(profile, SCHEMAS[sfile], sfile)
  if #problems > 0 then
    local arr = empty_array()
    for i, p in ipairs(problems) do arr[i] = setmetatable(p, PROB_ORDER) end
    local first = problems[1]
    return invalid(ev, "invalid_profile",
      sformat("%s: %s %s, %s %s", first.path, L("oczekiwano:", "expected"), first.expected, L("jest", "found"), first.found), arr)
  end
  -- the as-of date: --as-of, else the profile's own, else today
  local as_of, src = rawget(opts, "as_of"), "option"
  if not as_of then
    as_of = rawget(profile, kind == "application" and "submitted_on" or "as_of")
    src = kind == "application" and "submitted_on" or "profile"
    if as_of == nil or as_of == KR_NULL then as_of, src = CTX.today, "today" end
  end
  if not is_date(as_of) then
    return invalid(ev, "invalid_option", L("niepoprawna data oceny: ", "invalid as-of date: ") .. tostring(as_of), empty_array())
  end
  CTX.as_of = as_of
  ev.as_of, ev.as_of_source = as_of, src
  -- a top-level field the schema does not know, but close to one it does, is probably a typo:
  -- its data would be ignored, so say so (other extra fields are the caller's own and welcome)
  local props = SCHEMAS[sfile].properties
  if props then
    local warnings
    for k in next, profile do
      if type(k) == "string" and props[k] == nil then
        local hint = suggest(k, props)
        if hint ~= "" then
          warnings = warnings or empty_array()
          warnings[#warnings + 1] = sformat(L("nieznane pole '%s'%s — jego wartość nie jest brana pod uwagę",
            "unknown field '%s'%s — its value is not used"), k, hint)
        end
      end
    end
    if warnings then tsort(warnings); ev.warnings = warnings end
  end
  CTX.root = profile
  local wanted = rawget(opts, "rules")
  local results = empty_array()
  local candidates = RULE_ORDER
  if wanted then
    -- the selected rules, in ruleset order; cached for a batch that repeats the same selection
    local key = tconcat(wanted, "\0")
    candidates = SELECTION[key]
    if not candidates then
      for _, rid in ipairs(wanted) do
        if not RULES[rid] then
          return invalid(ev, "unknown_rule", L("nieznana reguła: ", "unknown rule: ") .. tostring(rid) .. suggest(tostring(rid), RULES), empty_array())
        end
      end
      candidates = {}
      for i = 1, #RULE_ORDER do
        if member(RULE_ORDER[i], wanted) then candidates[#candidates + 1] = RULE_ORDER[i] end
      end
      SELECTION[key] = candidates
    end
  end
  local stats = STATS.rules
  for i = 1, #candidates do
    local rule = RULES[candidates[i]]
    if rule_applies(rule, kind, profile) or (wanted and rule.applies_to == kind) then
      CHAIN_N = 0   -- a rule stopped by a limit leaves its chain behind
      local ok, res = KR_GUARD(run_rule, rule, profile)
      if not ok then res = error_rule_result(rule, tostring(res)) end
      results[#results + 1] = res
      local st = stats[rule.id]
      if not st then st = { eligible = 0, ineligible = 0, undetermined = 0 }; stats[rule.id] = st end
      st[res.outcome] = st[res.outcome] + 1
    end
  end
  CTX.root = nil
  ev.results = results
  return ev, false
end

function K.configure(cfg)
  if rawget(cfg, "ruleset") then CTX.ruleset = rawget(cfg, "ruleset") end
  if rawget(cfg, "today") then CTX.today = rawget(cfg, "today") end
  return true
end

function K.stats()
  local out = { records = STATS.records, invalid = STATS.invalid, rules = STATS.rules }
  STATS = { records = 0, invalid = 0, rules = {} }
  return out
end

-- The ruleset as data: rules, criteria, parameters (for listings, completion, coverage).
function K.describe()
  local rules = empty_array()
  for _, id in ipairs(RULE_ORDER) do
    local r = RULES[id]
    local cs = empty_array()
    for i, c in ipairs(r.criteria) do
      cs[i] = setmetatable({ id = c.id, label = c.pl, label_en = c.en, legal_basis = c.basis, at = c.at },
        { __order = { "id", "label", "label_en", "legal_basis", "at" } })
    end
    rules[#rules + 1] = setmetatable({ id = id, applies_to = r.applies_to, title = r.title.pl, title_en = r.title.en or r.title.pl,
      legal_basis = r.basis, file = r.file, example = r.example and true or nil, programs = r.programs, criteria = cs },
      { __order = { "id", "applies_to", "title", "title_en", "legal_basis", "file", "example", "programs", "criteria" } })
  end
  local params = empty_array()
  local names = {}
  for n in pairs(PARAMS) do names[#names + 1] = n end
  tsort(names)
  for _, n in ipairs(names) do
    local p = PARAMS[n]
    local vals = empty_array()
    for i, v in ipairs(p.values) do vals[i] = { from = v.from, ["until"] = v["until"], value = v.value } end
    params[#params + 1] = { name = n, unit = p.unit, basis = p.basis, values = vals }
  end
  local kinds = empty_array()
  for k in pairs(SCHEMA_BY_KIND) do kinds[#kinds + 1] = k end
  tsort(kinds)
  return { rules = rules, parameters = params, kinds = kinds }
end

-- Validates a profile against the schema of its kind: an array of problems (empty when valid).
function K.validate(profile, opts)
  CTX.lang = opts and rawget(opts, "lang") == "en" and "en" or "pl"
  local arr = empty_array()
  local kind = type(profile) == "table" and rawget(profile, "kind")
  local sfile = SCHEMA_BY_KIND[kind]
  if not sfile then
    arr[1] = setmetatable({ path = "$.kind", expected = L("rodzaj profilu", "a profile kind"), found = kind == nil and L("brak", "nothing") or show(kind) }, PROB_ORDER)
    return arr
  end
  local problems = validate(profile, SCHEMAS[sfile], sfile, opts and rawget(opts, "slow_only"))
  for i, p in ipairs(problems) do arr[i] = setmetatable(p, PROB_ORDER) end
  return arr
end

-------------------------------------------------------------------------------
-- The REPL: a Lua expression with the profile in scope
-------------------------------------------------------------------------------
local function render(v, depth, seen)
  depth = depth or 0
  local t = type(v)
  if v == KR_NULL then return "null" end
  if t == "string" then return sformat("%q", v) end
  if t ~= "table" then return tostring(v) end
  if getmetatable(v) == RESULT then
    return v.outcome .. (v.reason and (": " .. v.reason) or "")
  end
  if depth > 3 then return "{...}" end
  seen = seen or {}
  if seen[v] then return "{<cycle>}" end
  seen[v] = true
  local parts = {}
  local n = rawlen(v)
  for i = 1, n do parts[#parts + 1] = render(rawget(v, i), depth + 1, seen) end
  local keys = {}
  for k in next, v do if not (mtype(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end end
  tsort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, k in ipairs(keys) do
    parts[#parts + 1] = (type(k) == "string" and smatch(k, "^[%a_][%w_]*$") and k or ("[" .. render(k) .. "]")) ..
      " = " .. render(rawget(v, k), depth + 1, seen)
  end
  if #parts > 20 then parts = { tconcat(parts, ", ", 1, 20), "..." } end
  return "{ " .. tconcat(parts, ", ") .. " }"
end

function K.repl_eval(src, profile, opts)
  opts = opts or {}
  CTX.lang = rawget(opts, "lang") == "en" and "en" or "pl"
  CTX.as_of = rawget(opts, "as_of") or CTX.today
  CTX.root = profile
  local env = setmetatable({ p = profile, profile = profile }, { __index = BASE_RO })
  local fn, err = load("return " .. src, "=repl", "t", env)
  if not fn then fn, err = load(src, "=repl", "t", env) end
  if not fn then return { ok = false, error = err } end
  local res = { KR_GUARD(fn) }
  CTX.root = nil
  if not res[1] then
    local e = res[2]
    if is_missing(e) then
      local full = missing_path(e)
      return { ok = false, error = L("brak pola w profilu: ", "the profile has no field ") .. full }
    end
    return { ok = false, error = tostring(e) }
  end
  local out = {}
  for i = 2, #res do out[#out + 1] = render(res[i]) end
  if #out == 0 then out[1] = "nil" end
  return { ok = true, value = tconcat(out, ", ") }
end

K.VERSION = "1"
