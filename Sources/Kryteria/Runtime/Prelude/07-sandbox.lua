-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

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
  local q, lits = 0, 0
  local i, n = 1, #p
  while i <= n do
    local c = sbyte(p, i)
    if c == 37 then                      -- '%x' escape
      if sbyte(p, i + 1) == 98 then      -- '%bxy' scans to the end of the subject from each start
        q = q + 1; i = i + 2
      else lits = lits + 1 end
      i = i + 1
    elseif c == 42 or c == 43 or c == 45 or c == 63 then q = q + 1 -- * + - ?
    else lits = lits + 1 end
    i = i + 1
  end
  -- worst case of a backtracking match: n start positions (1 when anchored with ^), each
  -- comparing every literal item, times n for every repetition item
  local len = #s + 1
  local cost = sbyte(p, 1) == 94 and 1 or len
  if q == 0 then cost = cost * (lits + 1) end
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
-- C functions run where no hook fires: each call pays the budget up front for the bytes
-- (and table lengths) it is given, so no loop of cheap-looking calls outruns the budget.
if KR_CHARGED then
  for _, name in ipairs({ "find", "match", "gmatch", "gsub" }) do string[name] = KR_CHARGED(string[name], 32, true) end
  for _, name in ipairs({ "byte", "sub", "upper", "lower", "reverse", "format", "rep", "char", "pack", "unpack", "len" }) do
    string[name] = KR_CHARGED(string[name], 32)
  end
  for _, name in ipairs({ "len", "codepoint", "offset", "codes", "char" }) do utf8[name] = KR_CHARGED(utf8[name], 32) end
  for _, name in ipairs({ "concat", "sort", "unpack", "insert", "remove", "move" }) do table[name] = KR_CHARGED(table[name], 32) end
end
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
local GIVEN_MT = setmetatable({}, { __mode = "k" })   -- tables a rule file gave a metatable
local function safe_setmetatable(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("finalizers (__gc) are not allowed in rules", 2)
  end
  if type(t) == "table" then GIVEN_MT[t] = true end
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
  assert = assert, error = error, ipairs = ipairs, pcall = safe_pcall,   -- pairs and next: below
  select = select, tonumber = tonumber, tostring = tostring, type = type, rawequal = rawequal,
  setmetatable = safe_setmetatable, getmetatable = safe_getmetatable, _VERSION = _VERSION,
  string = readonly(string, "string"), table = readonly(table, "table"), math = readonly(DETERMINISTIC_MATH, "math"),
  utf8 = readonly(utf8, "utf8"),
  null = KR_NULL,
  -- declarations
  rule = declare_rule, criterion = declare_criterion, parameter = declare_parameter,
  override = PX.declare_override,
  shared_criterion = declare_shared,
  -- results
  pass = pass, fail = fail, unknown = unknown, not_applicable = not_applicable, points = points,
  verdict = verdict,
  -- comparisons that explain themselves
  at_least = at_least, at_most = at_most, share_at_least = share_at_least,
  either = either, both = both,
  -- lists
  oneof = oneof, member = member, count = count, sum = sum, filter = filter, any = any, all = all,
  share = share, tally = NW.tally,
  -- profiles
  has = has, get = get, missing = function(t, ...) return NW.missing(t, ...) end,
  -- numbers and text
  num = num, money = money, pct = pct, round2 = round2, L = L, text = text, fmt = sformat,
  -- dates
  age = age, days_between = days_between, add_days = add_days, add_months = add_months,
  add_years = add_years, months_between = months_between, year_of = year_of,
  march31_next_year = march31_next_year, is_date = is_date, date_of = fmt_date,
  as_of = function() return CTX.as_of end,
  -- parameters and other rules
  param = param, param_for = PX.param_for,
  check_rule = function(id, subject) return ro_view(check_rule(id, subject)) end, requires_rule = requires_rule, requires_each = requires_each,
}
-- pairs and next for rules, in the same order every time. Lua seeds its table hash anew in every
-- run, so a plain pairs or next walks string keys in a different order from run to run (and from
-- worker to worker), and a reason built while walking would change for the same case. Keys come
-- sorted: numbers, then strings (byte order), then booleans; keys of other types (tables,
-- functions) last, as the table gives them. A table's own __pairs (a profile's view, a frozen
-- table, a rule result) still gives the keys and values; only their order is fixed.
BASE.pairs, BASE.next = (function()
  local RANK = { number = 1, string = 2, boolean = 3 }
  local function before(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return (RANK[ta] or 4) < (RANK[tb] or 4) end
    if ta == "number" or ta == "string" then return a < b end
    if ta == "boolean" then return b and not a end
    return false
  end
  -- the keys of t, sorted, and its values by key (through its __pairs, as pairs gives them)
  local function walk(t, name)
    if type(t) ~= "table" then   -- (the error names the rule's line, as the plain functions did)
      error("bad argument #1 to '" .. name .. "' (table expected, got " .. type(t) .. ")", 3)
    end
    local f, s, c = pairs(t)
    local ks, vs, n = {}, {}, 0
    for k, v in f, s, c do n = n + 1; ks[n] = k; vs[k] = v end
    -- one type of key (the common case): the built-in comparison, in C
    if n > 1 and not pcall(tsort, ks) then tsort(ks, before) end
    return ks, vs, n
  end
  local function sorted_pairs(t)
    local ks, vs = walk(t, "pairs")
    local i = 0
    return function()
      i = i + 1
      local k = ks[i]
      if k ~= nil then return k, vs[k] end
    end, t, nil
  end
  -- next(t, k): the key after k in that order. A walk from the start (k = nil) takes a fresh
  -- snapshot of the keys; a field set to nil since is passed over, as Lua's next does.
  local SNAP = setmetatable({}, { __mode = "k" })
  local function sorted_next(t, k)
    local snap = k ~= nil and SNAP[t]
    if not snap then
      local ks, vs, n = walk(t, "next")
      local at = {}
      for i = 1, n do at[ks[i]] = i end
      snap = { ks = ks, vs = vs, at = at, n = n, views = rawmt(t) ~= nil }
      SNAP[t] = snap
    end
    local i = 0
    if k ~= nil then
      i = snap.at[k]
      if i == nil then error("invalid key to 'next'", 2) end
    end
    local ks = snap.ks
    for j = i + 1, snap.n do
      local key = ks[j]
      -- the value now: a plain table's own, or what its view gives
      local v
      if snap.views then v = snap.vs[key] else v = rawget(t, key) end
      if v ~= nil then return key, v end
    end
    return nil
  end
  return sorted_pairs, sorted_next
end)()
local BASE_RO = readonly(BASE, "the rule environment")
K.BASE = BASE

-- A fresh environment for one rule file: its own globals, the base read-only.
-- After loading, new globals are refused (a rule must not keep state between cases).
-- Its __index is BASE itself, not BASE_RO: a rule reads the base through it, and every global
-- a rule names (pass, param, oneof...) is one table lookup instead of two (the metatable is
-- hidden, and a write to the environment lands in the environment, never in BASE).
local function file_env()
  return setmetatable({}, { __index = BASE, __metatable = false })
end
