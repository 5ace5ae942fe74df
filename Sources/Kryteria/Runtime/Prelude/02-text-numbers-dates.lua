-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Evaluation context
-------------------------------------------------------------------------------
local CTX = { lang = "pl", as_of = nil, root = nil, ruleset = "", today = nil }
local function L(pl, en) if CTX.lang == "en" then return en else return pl end end

-- Text given as a string or as { pl = ..., en = ... }. A text with values,
-- { pl = "złożono %s", en = "filed on %s", date }, is formatted with them (string.format) in the
-- language of the evaluation only: the other language's text is never made.
-- A text a rule file keeps at file level was frozen when the file loaded: its words are in the
-- plain table behind its read-only view. That table, or nil for any other table.
local function frozen_words(x)
  local mt = rawmt(x)
  local h = mt and rawget(mt, "__name") == VIEW_NAME and rawget(mt, "__index")
  if type(h) == "table" and rawmt(h) == nil then return h end
  return nil
end
local function text(x)
  if type(x) == "table" then
    local s = rawget(x, CTX.lang)
    if s == nil then
      s = rawget(x, "pl") or rawget(x, "en")
      local h = s == nil and frozen_words(x)
      if h then
        x = h
        s = rawget(x, CTX.lang)
        if s == nil then s = rawget(x, "pl") or rawget(x, "en") end
      end
    end
    if s ~= nil and #x > 0 then return sformat(s, tunpack(x)) end
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
  if n <= 6 then   -- most amounts: one separator, no table
    return (neg and "-" or "") .. ssub(s, 1, n - 3) .. sep .. ssub(s, n - 2)
  end
  local head = n % 3
  local parts = {}
  if head > 0 then parts[1] = ssub(s, 1, head) end
  for i = head + 1, n, 3 do parts[#parts + 1] = ssub(s, i, i + 2) end
  return (neg and "-" or "") .. tconcat(parts, sep)
end

-- A number for people: 1 240,5 (pl) or 1,240.5 (en); at most `decimals` decimals.
-- Numbers written in words repeat across records (parameters, thresholds): the texts of the
-- last few thousand are kept, per language and number of decimals.
-- NW.text[lang][kind][decimals or false]: number -> text ("n" numbers, "m" money).
-- (NW holds the words of numbers and dates: the prelude is one chunk, at most 200 locals)
local NW = { int = {}, two = {}, dates = {}, ndates = 0 }
function NW.new() return { pl = { n = {}, m = {} }, en = { n = {}, m = {} }, count = 0 } end
NW.text = NW.new()
local function remembered(kind, x, decimals)
  local byl = NW.text[CTX.lang]
  local t = byl and byl[kind][decimals or false]
  return t and t[x]
end
local function remember(kind, x, decimals, s)
  local byl = NW.text[CTX.lang]
  if not byl or x ~= x then return s end   -- NaN is no key
  if NW.text.count >= 4096 then NW.text = NW.new(); byl = NW.text[CTX.lang] end
  local byk = byl[kind]
  local t = byk[decimals or false]
  if not t then t = {}; byk[decimals or false] = t end
  t[x] = s
  NW.text.count = NW.text.count + 1
  return s
end
-- Whole numbers from -999 to 999 as text, made once (counts, days, years in reasons).
for i = -999, 999 do NW.int[i] = sformat("%d", i) end
-- "00".."99": grosze; "000".."999": the groups after a thousands separator.
for i = 0, 99 do NW.two[i] = sformat("%02d", i) end
NW.three = {}
for i = 0, 999 do NW.three[i] = sformat("%03d", i) end
-- A whole number >= 0 with thousands separated by sep, from the tables above below a million
-- (amounts, salaries: no string.format, no string functions), else by group().
function NW.grouped(ip, sep)
  if ip < 1000 then return NW.int[ip] end
  if ip < 1000000 then return NW.int[ip // 1000] .. sep .. NW.three[ip % 1000] end
  if ip >= 9e18 then return group(sformat("%.0f", ip), sep) end   -- beyond Lua's integers: no %d
  return group(sformat("%d", ip), sep)
end

local function num(x, decimals)
  -- most numbers in reasons are small whole numbers (counts, days, years): found before any check
  local small = NW.int[x]
  if small then return small end
  if type(x) ~= "number" then return tostring(x) end
  if x == floor(x) and x > -1000 and x < 1000 then return NW.int[x] end
  local hit = remembered("n", x, decimals)
  if hit then return hit end
  local x0, d0 = x, decimals
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
  local s = NW.grouped(ip, en and "," or " ")
  if fs ~= "" then s = s .. (en and "." or ",") .. fs end
  return remember("n", x0, d0, (neg and "-" or "") .. s)
end

-- Money: "1 240,00 zł" / "PLN 1,240.00".
local function money(x)
  if type(x) ~= "number" then return tostring(x) end
  local hit = remembered("m", x)
  if hit then return hit end
  local x0 = x
  local neg = x < 0
  local v = floor(abs(x) * 100 + 0.5)
  local ip, gr = v // 100, v % 100
  local en = CTX.lang == "en"
  local s = NW.grouped(ip, en and "," or " ") .. (en and "." or ",") .. NW.two[gr]
  s = (neg and "-" or "") .. s
  if en then return remember("m", x0, nil, "PLN " .. s) end
  return remember("m", x0, nil, s .. " zł")
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
  local hit = DATES[s]   -- (only strings are remembered: a hit needs no type check)
  if hit then return hit[1], hit[2], hit[3] end
  if type(s) ~= "string" then return nil end
  if hit == false then return nil end
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
  local hit = DATES[s]   -- (parse_date's remembered dates, read here first: one call less)
  if hit then return hit[1], hit[2], hit[3] end
  local y, m, d = parse_date(s)
  if not y then error((what or "date") .. ": expected a date YYYY-MM-DD, found " .. tostring(s), 3) end
  return y, m, d
end
-- Dates written by the prelude (deadlines, dates plus days) repeat across records: remembered.
local function fmt_date(y, m, d)
  if not (m >= 1 and m <= 12 and d >= 1 and d <= 31) then return sformat("%04d-%02d-%02d", y, m, d) end
  local k = (y * 100 + m) * 100 + d
  local s = NW.dates[k]
  if s then return s end
  s = sformat("%04d-%02d-%02d", y, m, d)
  if NW.ndates > 20000 then NW.dates, NW.ndates = {}, 0 end
  NW.ndates = NW.ndates + 1
  NW.dates[k] = s
  return s
end

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
  -- born on 29 February: in a year without that day the birthday is 28 February (as art. 112 k.c.
  -- ends a term of years in a month without its day: on the last day of that month)
  if m1 == 2 and d1 == 29 and not leap(y2) then d1 = 28 end
  if m2 < m1 or (m2 == m1 and d2 < d1) then a = a - 1 end
  if a < 0 then   -- born after the day: no age to reason with (a typo in the year, most likely)
    error(sformat(L("data urodzenia %s jest późniejsza niż dzień oceny %s", "the birth date %s is after the day of the evaluation %s"),
      birth, at), 2)
  end
  return a
end
local function year_of(s)
  local hit = DATES[s]
  if hit then return hit[1] end
  local y = need_date(s)
  return y
end
-- 31 March of the year after `s`'s year: the deadline for an annual report.
local function march31_next_year(s) return fmt_date(year_of(s) + 1, 3, 31) end
local function is_date(s) return parse_date(s) ~= nil end
