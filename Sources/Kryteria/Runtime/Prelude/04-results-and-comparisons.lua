-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Criterion results and the helpers that explain themselves
-------------------------------------------------------------------------------
-- The metatable of check results (hidden from rules). A result is an array: [1] outcome,
-- [2] reason, [3] missing, [4] points, false when there are none (an array costs some 700
-- instructions less to make than a table of named fields, and every criterion makes one; its
-- four slots are always there, so the engine's reads never reach __index). A rule reads and
-- writes it by those names, through __index and __newindex, and pairs walks it by name.
local RESULT = { __metatable = false }
do
  local FIELD = { outcome = 1, reason = 2, missing = 3, points = 4, "outcome", "reason", "missing", "points" }
  RESULT.__index = function(t, k)
    local i = FIELD[k]
    if i and type(k) == "string" then return t[i] or nil end
  end
  RESULT.__newindex = function(t, k, v)
    local i = type(k) == "string" and FIELD[k]
    rawset(t, i or k, v)
  end
  RESULT.__pairs = function(t)
    return function(_, k)
      local i = (k == nil) and 0 or FIELD[k]
      if i then
        for j = i + 1, 4 do
          local v = rawget(t, j)
          if v ~= nil and v ~= false then return FIELD[j], v end
        end
        k = nil
      end
      repeat   -- then the named fields of its own (either's fails)
        k = next(t, k)
      until k == nil or type(k) == "string"
      if k ~= nil then return k, rawget(t, k) end
    end, t, nil
  end
end
-- A reason is text: a string, or { pl = ..., en = ... }. Anything else is this criterion's error.
local function check_reason(r)
  if r == nil or type(r) == "string" then return r end
  if type(r) == "table" then
    local t = r
    if rawmt(r) ~= nil then t = frozen_words(r) end   -- a text kept at file level (see text)
    if t and (type(rawget(t, "pl")) == "string" or type(rawget(t, "en")) == "string") then return r end
  end
  error(sformat(L("powód (reason) musi być tekstem, a jest: %s", "the reason must be text, got a %s"), type(r)), 3)
end
-- A read-only view of an engine-owned table (a rule result handed to a rule): reads go
-- through, tables inside come out as views too, writes are refused. The table is not changed.
local ro_view
do
local RO_VIEWS = setmetatable({}, { __mode = "k" })
local function ro_refuse(_, k) error(sformat(L("wynik reguły jest tylko do odczytu (pole '%s')", "a rule result is read-only (field '%s')"), tostring(k)), 2) end
-- One metatable for every view; the table behind a view is found in VIEW_OF (measured with
-- callgrind on applications: a metatable and three closures made for each view cost some 2 %).
local VIEW_OF = setmetatable({}, { __mode = "k" })
local RO_MT = {
  __index = function(v, k) return ro_view(rawget(VIEW_OF[v], k)) end,
  __newindex = ro_refuse,
  __len = function(v) return rawlen(VIEW_OF[v]) end,
  __pairs = function(v)
    local t = VIEW_OF[v]
    return function(_, k) local nk, nv = next(t, k); return nk, ro_view(nv) end, v, nil
  end,
  __metatable = false,
}
function ro_view(t)
  if type(t) ~= "table" then return t end
  local v = RO_VIEWS[t]
  if v then return v end
  local mt = rawmt(t)
  if mt and mt.__view then
    -- the criteria of a rule as the engine keeps them (flat, see 10-evaluation): their own view
    v = mt.__view(t, ro_refuse)
    RO_VIEWS[t] = v
    return v
  end
  v = setmetatable({}, RO_MT)
  VIEW_OF[v] = t
  RO_VIEWS[t] = v
  return v
end
end

local function mk(outcome, reason)
  if reason ~= nil and type(reason) ~= "string" then reason = text(check_reason(reason)) end
  return setmetatable({ outcome, reason, false, false }, RESULT)
end
-- A reason's format filled with its values; one that does not fit them is the criterion's error, in
-- words about the reason (not about the prelude's string.format), at the rule's line when the rule's
-- call is still on the stack (`return fail(...)` is a tail call: then no line, never the prelude's).
local reason_of
do
  local function format_reason(f, ...)
    local ok, s = pcall(sformat, f, ...)
    if ok then return s end
    local vals = {}
    for i = 1, select("#", ...) do vals[i] = tostring((select(i, ...))) end
    local msg = sformat(L("format powodu %q nie pasuje do wartości: %s", "the reason's format %q does not fit its values: %s"),
      f, tconcat(vals, ", "))
    local found = false
    for level = 3, 5 do   -- (1 here, 2 reason_of, 3 pass/fail/unknown/points or the rule)
      local info = getinfo and getinfo(level, "Sl")
      if not info then break end
      if info.source ~= "=prelude" and info.currentline and info.currentline > 0 then
        msg = info.short_src .. ":" .. info.currentline .. ": " .. msg
        found = true
        break
      end
    end
    if not found then NW.unplaced = true end   -- (the runner names the criterion's declaration)
    error(msg, 0)
  end
  reason_of = function(x, ...)
    if select("#", ...) == 0 then return text(x) end
    local s = x
    if type(x) ~= "string" then s = text(x) end
    if s == nil then return nil end
    local r = format_reason(s, ...)   -- (not a tail call: format_reason counts the levels above it)
    return r
  end
end
-- A result whose reason is text (a string, none, or words, with values to format or without) is
-- made in one C call (kr_result.c: measured with callgrind, pass { pl = ..., en = ... } cost three
-- Lua and five C calls); any other, and one whose format fails, is made here, by mk, which also
-- refuses a reason that is not text.
local pass, fail, not_applicable, unknown, points
do
local plain = KR_RESULT_MAKER and KR_RESULT_MAKER(RESULT, CTX, VIEW_NAME, sformat) or function() return nil end
-- (mk in a tail call: a reason that is not text is reported at the rule's line, two levels up)
local function outcome_of(outcome)
  return function(r, ...)
    local res = plain(outcome, r, ...)
    if res then return res end
    return mk(outcome, reason_of(r, ...))
  end
end
pass, fail, not_applicable = outcome_of("pass"), outcome_of("fail"), outcome_of("not_applicable")
function unknown(r, ...)
  local res = plain("unknown", r) or mk("unknown", reason_of(r))
  local m = {}
  for i = 1, select("#", ...) do m[#m + 1] = select(i, ...) end
  res[3] = m
  return res
end
-- A pass that adds `n` points to the rule's score.
function points(n, r, ...)
  local res = plain("pass", r, ...) or mk("pass", reason_of(r, ...))
  res[4] = n
  return res
end
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
-- (The reasons of these three are joined with .., not string.format: they run for most criteria,
-- and a format costs several times a join. Their results are made here, not by mk: the reason is
-- known to be text.)
-- A count over a list some of whose items cannot be told (`tally`): how many are known to count,
-- how many cannot be told, and what those miss. `at_least` and `share_at_least` take one in place
-- of a number, and decide when the known items already decide (3 of 4 employees known to qualify
-- meet "at least 3" whatever the fourth is), else answer unknown naming what is missing.
NW.TALLY = { __metatable = false }
function NW.tally_unknown(t, what, pl, en, ...)
  local w = text(what) or L("wartość", "value")
  return unknown({ pl = "%s: %s na pewno i %s do ustalenia" .. pl, en = "%s: %s certain and %s undetermined" .. en,
    w, num(t.yes), num(t.open), ... }, tunpack(t.missing))
end
-- (Comparisons allow for the rounding of binary fractions: 6 542,85 zł / 3 people is 2 180,95 zł,
-- which a double holds as 2180.9500000000003. A margin of a billionth of the limit hides no real
-- difference of money, days or people, and the gap is still reported when there is one.)
local function at_least(value, min, what, unit)
  if type(value) == "table" and rawmt(value) == NW.TALLY then
    if value.yes < min and value.yes + value.open >= min then
      return NW.tally_unknown(value, what, ", wymagane co najmniej %s", ", at least %s required", fmtv(min, unit))
    end
    if value.yes < min and value.open > 0 then
      -- not reached even if every item that cannot be told counted: say so, with both counts
      return fail({ pl = "%s: %s na pewno i %s do ustalenia, wymagane co najmniej %s (brakuje %s nawet z nieustalonymi)",
        en = "%s: %s certain and %s undetermined, at least %s required (%s short even with the undetermined)",
        text(what) or L("wartość", "value"), num(value.yes), num(value.open), fmtv(min, unit), fmtgap(min - value.yes - value.open, unit) })
    end
    value = value.yes   -- decided by the known items: they reach it
  end
  local en = CTX.lang == "en"
  local w = text(what) or (en and "value" or "wartość")
  local v, m = fmtv(value, unit), fmtv(min, unit)
  local outcome, r = "pass", nil
  if value >= min or (mtype(value) == "float" and value >= min - 1e-9 * (min < 0 and -min or min > 1 and min or 1)) then
    r = en and (w .. ": " .. v .. ", at least " .. m .. " required") or (w .. ": " .. v .. ", wymagane co najmniej " .. m)
  else
    local gap = fmtgap(min - value, unit)
    outcome = "fail"
    r = en and (w .. ": " .. v .. ", at least " .. m .. " required (" .. gap .. " short)")
      or (w .. ": " .. v .. ", wymagane co najmniej " .. m .. " (brakuje " .. gap .. ")")
  end
  return setmetatable({ outcome, r, false, false }, RESULT)
end
-- value <= max.
local function at_most(value, max, what, unit)
  local en = CTX.lang == "en"
  local w = text(what) or (en and "value" or "wartość")
  local v, m = fmtv(value, unit), fmtv(max, unit)
  local outcome, r = "pass", nil
  if value <= max or (mtype(value) == "float" and value <= max + 1e-9 * (max < 0 and -max or max > 1 and max or 1)) then
    r = en and (w .. ": " .. v .. ", within the limit of " .. m) or (w .. ": " .. v .. ", nie przekracza limitu " .. m)
  else
    local gap = fmtgap(value - max, unit)
    outcome = "fail"
    r = en and (w .. ": " .. v .. ", exceeds the limit of " .. m .. " by " .. gap)
      or (w .. ": " .. v .. ", przekracza limit " .. m .. " o " .. gap)
  end
  return setmetatable({ outcome, r, false, false }, RESULT)
end
-- part / total >= min_share.
local function share_at_least(part, total, min_share, what)
  if type(part) == "table" and rawmt(part) == NW.TALLY then
    local need = min_share * total - 1e-9
    if part.yes < need and part.yes + part.open >= need then
      return NW.tally_unknown(part, what, " z %s, wymagane co najmniej %s", " of %s, at least %s required", num(total), pct(min_share))
    end
    if part.yes < need and part.open > 0 then
      return fail({ pl = "%s: %s na pewno i %s do ustalenia z %s, wymagane co najmniej %s (nieosiągalne nawet z nieustalonymi)",
        en = "%s: %s certain and %s undetermined of %s, at least %s required (out of reach even with the undetermined)",
        text(what) or L("udział", "share"), num(part.yes), num(part.open), num(total), pct(min_share) })
    end
    part = part.yes
  end
  local en = CTX.lang == "en"
  local w = text(what) or (en and "share" or "udział")
  local outcome, r = "fail", nil
  if total == 0 then
    r = en and (w .. ": nobody counted (0 of 0), " .. pct(min_share) .. " required")
      or (w .. ": brak osób w podstawie (0 z 0), wymagane " .. pct(min_share))
  else
    local s = part / total
    -- compare in integers where possible to avoid 0.3 * 10 rounding surprises
    if part >= min_share * total - 1e-9 then outcome = "pass" end
    r = en and (w .. ": " .. pct(s) .. " (" .. num(part) .. " of " .. num(total) .. "), at least " .. pct(min_share) .. " required")
      or (w .. ": " .. pct(s) .. " (" .. num(part) .. " z " .. num(total) .. "), wymagane co najmniej " .. pct(min_share))
  end
  return setmetatable({ outcome, r, false, false }, RESULT)
end

local function oneof(v, a, b, c, ...)
  if v == nil then return false end
  if v == a or v == b or v == c then return true end
  if (...) == nil then return false end   -- at most three choices (select costs a C call)
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
-- tally(list, pred): count(list, pred) when nothing is missing (one protected call for the whole
-- list); else a TALLY of the items known to count, the items that cannot be told (pred raised a
-- missing field, or returned nil and the missing fields, as a rule's own three-valued test does)
-- and their missing fields, found item by item.
do
  local function run(list, pred)
    local yes, open, missing = 0, 0, nil
    for i = 1, #list do
      local v, miss = pred(list[i])
      if v then yes = yes + 1
      elseif v == nil and miss then
        open = open + 1
        missing = missing or {}
        for j = 1, #miss do missing[#missing + 1] = miss[j] end
      end
    end
    return yes, open, missing
  end
  function NW.tally(list, pred)
    local ok, yes, open, missing = pcall(run, list, pred)
    if not ok then
      if not is_missing(yes) then error(yes, 0) end
      yes, open, missing = 0, 0, {}
      for i = 1, #list do
        local ok2, v, miss = pcall(pred, list[i])
        if not ok2 then
          if not is_missing(v) then error(v, 0) end
          local _, unknown_field = NW.unknown_field(v)   -- a misspelt field is an error, not missing data
          if unknown_field then error(unknown_field, 0) end
          open = open + 1
          missing[#missing + 1] = v
        elseif v then yes = yes + 1
        elseif v == nil and miss then
          open = open + 1
          for j = 1, #miss do missing[#missing + 1] = miss[j] end
        end
      end
    end
    if open == 0 then return yes end
    return setmetatable({ yes = yes, open = open, missing = missing }, NW.TALLY)
  end
end

-- Three-valued alternatives: each argument is a function returning a check
-- result or a boolean (a boolean needs a label: { label, function }).
-- Passes when any passes; unknown when none passes and some are unknown.
local function run_alt(a)
  local f, label = a, nil
  if type(a) == "table" and rawmt(a) ~= RESULT then f, label = a[2] or a.check, a[1] or a.label end
  local ok, r = pcall(f)
  if not ok then
    if is_missing(r) then return "unknown", nil, r end
    if is_limit(r) then error(r, 0) end
    return "error", r
  end
  if r == true then return "pass", text(label) end
  if r == false or r == nil then return "fail", text(label) end
  return r[1], r[2], nil, r
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
      if res and res[3] then for _, m in ipairs(res[3]) do missing[#missing + 1] = m end end
      if why then unknowns[#unknowns + 1] = why end
    elseif why then
      fails[#fails + 1] = why
    end
  end
  if first_error ~= nil then error(first_error, 0) end
  if #missing > 0 or #unknowns > 0 then
    local r = mk("unknown", #unknowns > 0 and tconcat(unknowns, "; ") or nil)
    r[3] = missing
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
      if res and res[3] then for _, m in ipairs(res[3]) do missing[#missing + 1] = m end end
    elseif why then reasons[#reasons + 1] = why end
  end
  if unknown_seen then
    local r = mk("unknown", nil)
    r[3] = missing
    return r
  end
  return pass(tconcat(reasons, "; "))
end
