-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Evaluation
-------------------------------------------------------------------------------
-- Engine-owned metatables: hidden from rules (__metatable), read raw by the JSON writer.
-- __closed: the table never holds a key its __order does not name (only this file fills
-- them), so the writer does not count its keys again (a debug build still checks).
local CRIT_ORDER = { __metatable = false, __closed = true, __order = { "id", "label", "outcome", "reason", "legal_basis", "missing", "points", "assumption", "gate", "error" } }
local RULE_RES_ORDER = { __metatable = false, __closed = true, __order = { "rule", "title", "outcome", "legal_basis", "amount", "score", "criteria", "error", "limit" } }
local EVAL_ORDER = { __metatable = false, __closed = true, __order = { "line", "id", "kind", "as_of", "as_of_source", "ruleset", "skipped", "lang", "warnings", "results", "error" } }
local ERR_ORDER = { __metatable = false, __order = { "code", "message", "problems" } }
local PROB_ORDER = { __metatable = false, __order = { "path", "expected", "found" } }
-- the JSON writer compiles these orders once per state, not in every record (absent on a stock lua5.4)
if KR_STATIC_ORDER then
  for _, mt in ipairs({ EVAL_ORDER, RULE_RES_ORDER, CRIT_ORDER, ERR_ORDER, PROB_ORDER }) do KR_STATIC_ORDER(mt) end
end

local function empty_array() return setmetatable({}, ARR_MT) end
-- Shared by every criterion with nothing missing. Rules never see it: they get results
-- through ro_view, which refuses writes.
local NONE = setmetatable({}, ARR_MT)

local function missing_path(signal)
  local sig = signal_of(signal)
  local p = path_in(CTX.root, sig.t, "")
  local k = tostring(sig.k)
  if p == nil then return k, nil end
  return (p == "" and k or (p .. "." .. k)), p
end

-- A missing-field signal: its full path, and the error to report instead when the schema does
-- not know the field (a misspelt name is no missing data). Also used by tally.
function NW.unknown_field(signal)
  local sig = signal_of(signal)
  local full, parent = missing_path(signal)
  local kind = CTX.root and rawget(CTX.root, "kind")
  local props = parent and kind and schema_props_at(kind, parent)
  if props and type(sig.k) == "string" and props[sig.k] == nil then
    return full, (sig.where and (sig.where .. ": ") or "") ..
      sformat(L("nieznane pole profilu '%s'%s", "unknown profile field '%s'%s"), sig.k, suggest(sig.k, props))
  end
  return full, nil
end
-- has(t, k) / get(t, k, d) found k absent from a profile's data: an error when the schema does
-- not know k there, placed at the rule's line (a misspelt key must not read as "absent").
if KR_ON_ABSENT then
  KR_ON_ABSENT(function(d, k)
    local root = CTX.root
    local kind = root and rawget(root, "kind")
    local p = kind and path_in(root, d, "")
    local props = p and schema_props_at(kind, p)
    if not props or props[k] ~= nil then return end
    local where = ""
    for level = 2, 12 do
      local info = getinfo and getinfo(level, "Sl")
      if not info then break end
      if sbyte(info.source, 1) == 64 and info.currentline and info.currentline > 0 then
        where = info.short_src .. ":" .. info.currentline .. ": "
        break
      end
    end
    error(where .. sformat(L("nieznane pole profilu '%s'%s", "unknown profile field '%s'%s"), k, suggest(k, props)), 0)
  end)
end

-- missing(t, k1, k2, …): an unknown result naming every one of the fields that t lacks (absent or
-- null), or nil when it has them all: a criterion that needs several fields asks for all of them at
-- once, instead of stopping at the first one read (a second call to the applicant). A key the
-- schema does not know is an error, as in has.
function NW.missing(t, ...)
  local paths, words = nil, nil
  local prefix
  for i = 1, select("#", ...) do
    local k = select(i, ...)
    if not has(t, k) then
      if prefix == nil then
        prefix = (CTX.root and path_in(CTX.root, data_of(t), "")) or ""
      end
      local full = prefix == "" and k or (prefix .. "." .. k)
      paths = paths or {}
      words = words or {}
      paths[#paths + 1] = full
      words[#words + 1] = missing_words(full)
    end
  end
  if not paths then return nil end
  return unknown(L("brak danych: ", "missing data: ") .. tconcat(words, ", "), tunpack(paths))
end

-- Turns a missing-field signal into the fields of criterion b of F; an unknown field is an error.
local function on_missing(signal, F, b)
  local full, err = NW.unknown_field(signal)
  if err then
    F[b + 3] = "error"
    F[b + 4] = err
    return
  end
  F[b + 3] = "unknown"
  F[b + 6] = setmetatable({ full }, ARR_MT)
  F[b + 4] = L("brak danych: ", "missing data: ") .. missing_words(full)
end

-- top: the rule is evaluated for the output, not called by a rule (check_rule).
run_rule = function(rule, subject, top)
  CHAIN_N = CHAIN_N + 1
  CHAIN[CHAIN_N] = rule.id
  local res = run_rule_body(rule, subject, top)
  CHAIN_N = CHAIN_N - 1
  return res
end

-- The criteria of a rule, run. Made inside a function of its own: the prelude is one chunk, and
-- a Lua function has at most 200 locals.
run_rule_body = (function()
-- A Lua error raised inside a prelude helper (a comparison in at_least, a length in count) names
-- the prelude's line, which tells a rule's author nothing: the message handler of the criteria's
-- protected call puts the nearest line of a rule file on the stack there instead (no line when
-- the rule's call is gone, as in a tail call). Any other error object passes unchanged.
local xpcall = xpcall
local function placed(e)
  if type(e) ~= "string" or not getinfo then return e end
  local rest = smatch(e, "^prelude:%d+: (.*)$")
  if not rest then return e end
  for level = 2, 40 do
    local info = getinfo(level, "Sl")
    if not info then break end
    if sbyte(info.source, 1) == 64 and info.currentline and info.currentline > 0 then   -- '@': a rule file
      return info.short_src .. ":" .. info.currentline .. ": " .. rest
    end
  end
  NW.unplaced = true   -- the rule's frame is gone (a tail call): the runner names the criterion's declaration
  return rest
end
-- The criteria of a rule as the engine keeps them: one flat array, ten values per criterion in the
-- order of CRIT_ORDER (1 id, 2 label, 3 outcome, 4 reason, 5 legal_basis, 6 missing, 7 points,
-- 8 assumption, 9 gate, 10 error; false = absent), no table per criterion. The JSON writer writes it
-- as an array of objects, and the prelude reads it in place (requires_rule); a rule that reads
-- criteria (check_rule, amount, score: through ro_view) gets CRIT_ORDER tables made from it, each
-- on its first read (CRIT_FLAT.__view). Measured with callgrind: a table per criterion and its fields cost some 3 000
-- instructions, ps-status has eleven. A stock lua5.4 (the benchmark's baseline) has no writer that
-- knows flat records: there the criteria of the rules evaluated for the output are made as tables.
local CRIT_FLAT = { __metatable = false, __flat = true, __order = CRIT_ORDER.__order }
local FLAT_OK = KR_STATIC_ORDER ~= nil   -- (taken away from rules after loading: asked now)
if FLAT_OK then KR_STATIC_ORDER(CRIT_FLAT) end
-- The result of a check (or an error it raised) written into criterion b of F.
local function settle(F, b, r, c)
  if r == true then
    F[b + 3], F[b + 4] = "pass", F[b + 2]
  elseif r == false then
    F[b + 3], F[b + 4] = "fail", F[b + 2]
  elseif rawmt(r) == RESULT then   -- (any value: a string's metatable is not RESULT)
    local outcome, reason, missing = r[1], r[2], r[3]   -- (a result is an array: see RESULT)
    F[b + 3] = outcome
    F[b + 4] = reason or F[b + 2]
    F[b + 7] = r[4] or false
    if missing then
      local m, seen = empty_array(), {}
      for _, sig in ipairs(missing) do
        local path = is_missing(sig) and missing_path(sig) or tostring(sig)
        if not seen[path] then seen[path] = true; m[#m + 1] = path end
      end
      F[b + 6] = m
      -- an unknown without its own reason (either/both) says which data is missing
      if outcome == "unknown" and #m > 0 then
        local words = {}
        for i = 1, #m do words[i] = missing_words(m[i]) end
        local md = L("brak danych: ", "missing data: ") .. tconcat(words, ", ")
        if reason == nil then F[b + 4] = md
        elseif not sfind(reason, md, 1, true) then F[b + 4] = reason .. " — " .. md end
      end
    end
  else
    F[b + 3] = "error"
    F[b + 4] = sformat(L("%s: kryterium zwróciło wartość typu %s; zwróć pass(...), fail(...), unknown(...) albo true/false",
      "%s: check returned %s; return pass(...), fail(...), unknown(...) or a boolean"), c.at or c.id, type(r))
  end
end

-- A criterion that raised: the missing-field signal makes it unknown, anything else is its error;
-- a limit stops the whole rule.
local function settle_raised(F, b, e)
  if is_limit(e) then error(e, 0) end
  F[b + 6] = NONE
  if is_missing(e) then on_missing(e, F, b) return end
  F[b + 3], F[b + 4] = "error", NW.lua_error(tostring(e))
end

-- Criterion b of F as a table (CRIT_ORDER), for a rule that reads it.
local function crit_table(F, b)
  return setmetatable({ id = F[b + 1], label = F[b + 2], outcome = F[b + 3], reason = F[b + 4],
    legal_basis = F[b + 5] or nil, missing = F[b + 6], points = F[b + 7] or nil, assumption = F[b + 8] or nil,
    gate = F[b + 9] or nil, error = F[b + 10] or nil }, CRIT_ORDER)
end
-- The criteria of F as tables.
local function crit_tables(F)
  local out = empty_array()
  for b = 0, #F - 1, 10 do out[#out + 1] = crit_table(F, b) end
  return out
end
-- The read-only view a rule gets of F (ro_view): criterion i is made as a table on its first read
-- (a rule that asks another one for its first criterion does not pay for the others).
CRIT_FLAT.__view = function(F, refuse)
  local n = #F // 10
  local made = {}
  local v
  v = setmetatable({}, {
    __index = function(_, i)
      local c = made[i]
      if c == nil then
        if mtype(i) ~= "integer" or i < 1 or i > n then return nil end
        c = ro_view(crit_table(F, (i - 1) * 10))
        made[i] = c
      end
      return c
    end,
    __newindex = refuse,
    __len = function() return n end,
    __pairs = function()
      return function(_, k)
        k = (k or 0) + 1
        if k <= n then return k, v[k] end
      end, v, nil
    end,
    __metatable = false,
  })
  return v
end

-- How the criteria of a rule are run, made once per rule (PLANS): every field the loop reads is
-- present (false when the declaration has none), and the criteria run under ONE pcall per rule:
-- when criterion i raises, its result says why and the run goes on under a new pcall from i + 1
-- (measured with callgrind on ps-status: a pcall for applies and one for check of every criterion,
-- and reads of fields a criterion does not declare, cost some 15 000 instructions a record).
local PLANS = setmetatable({}, { __mode = "k" })
-- rules settle when loading finishes (shared criteria resolved): plans made before are dropped
local _finish = K.finish_loading
function K.finish_loading(...)
  PLANS = setmetatable({}, { __mode = "k" })
  return _finish(...)
end
-- A text of the declarations in both languages, made once: pl, en (false when there is none),
-- and true when it cannot be made ahead (it raised: it is made, and raises, when it is used).
local function both(x)
  if x == nil or x == false then return false, false, false end
  local lang = CTX.lang
  CTX.lang = "pl"
  local ok1, a = pcall(text, x)
  CTX.lang = "en"
  local ok2, b = pcall(text, x)
  CTX.lang = lang
  if not (ok1 and ok2) then return false, false, true end
  return a or false, b or false, false
end
local function plan_of(rule)
  local p = PLANS[rule]
  if p then return p end
  p = { n = #rule.criteria, scoring = rule.scoring and true or false, cur = 0 }
  p.title_pl, p.title_en, p.title_late = both(rule.title)
  for i, c in ipairs(rule.criteria) do
    local q = { id = c.id, pl = c.pl, en = c.en, templated = c.templated and true or false, basis = c.basis or false,
      assumption = c.assumption or false, gate = c.gate and true or false, applies = c.applies or false,
      check = c.check, na = c.na or false, at = c.at or false }
    q.assumption_pl, q.assumption_en, q.assumption_late = both(c.assumption)
    q.na_pl, q.na_en, q.na_late = both(c.na)
    -- made in every record: a label with parameters, an assumption that could not be made ahead
    q.dyn = q.templated or q.assumption_late
    p[i] = q
  end
  -- F as each record starts it, one per language: what does not depend on the record already in
  -- place (id, label, legal basis, nothing missing, assumption, gate). A criterion made in every
  -- record (dyn) starts with id false: it is set once its label is made, so an error in its label
  -- is the rule's, not the criterion's (see the runner).
  for _, lang in ipairs({ "pl", "en" }) do
    local T = {}
    for i = 1, p.n do
      local q, b = p[i], (i - 1) * 10
      T[b + 1] = not q.dyn and q.id
      T[b + 2] = not q.templated and ((lang == "en" and q.en or q.pl) or false)
      T[b + 3], T[b + 4] = false, false
      T[b + 5], T[b + 6], T[b + 7] = q.basis, NONE, false
      T[b + 8] = (q.assumption and not q.assumption_late) and ((lang == "en" and q.assumption_en or q.assumption_pl) or false) or false
      T[b + 9], T[b + 10] = q.gate, false
    end
    p["start_" .. lang] = T
  end
  PLANS[rule] = p
  return p
end

-- Runs criteria from..n of plan p into F; closed: the reason of a gate that failed, or false.
-- p.cur is the criterion running, so the caller knows which one raised (a rule never runs
-- inside itself: check_rule refuses that).
local function run_from(p, subject, F, from, closed)
  local nfail, nopen, pts = 0, 0, nil   -- what the runner needs of the criteria run: counted as they settle
  for i = from, p.n do
    p.cur = i
    local c = p[i]
    local b = (i - 1) * 10
    if c.dyn then
      if c.templated then F[b + 2] = fill_label(CTX.lang == "en" and c.en or c.pl) end
      F[b + 1] = c.id   -- (an assumption that raises is this criterion's error)
      if c.assumption_late and not closed then F[b + 8] = text(c.assumption) or false end
    end
    if closed then
      F[b + 3] = "not_applicable"
      F[b + 4] = L("nie dotyczy: ", "not applicable: ") .. closed
      F[b + 8], F[b + 9] = false, false
    elseif c.applies and not c.applies(subject) then
      F[b + 3] = "not_applicable"
      local na
      if c.na_late then na = text(c.na) else na = CTX.lang == "en" and c.na_en or c.na_pl end
      F[b + 4] = na or L("nie dotyczy", "not applicable")
    else
      local r = c.check(subject)
      local o
      if r == true then
        o = "pass"
        F[b + 3], F[b + 4] = o, F[b + 2]
      elseif r == false then
        o = "fail"
        F[b + 3], F[b + 4] = o, F[b + 2]
      elseif rawmt(r) == RESULT and not r[3] then   -- a result with nothing missing: settled here
        o = r[1]
        F[b + 3], F[b + 4] = o, r[2] or F[b + 2]
        local pt = r[4]
        if pt then F[b + 7] = pt; pts = (pts or 0) + pt end
      else
        settle(F, b, r, c)
        o = F[b + 3]
        local pt = F[b + 7]
        if pt then pts = (pts or 0) + pt end
      end
      if o == "fail" then
        nfail = nfail + 1
        if c.gate then closed = tostring(F[b + 4]) end
      elseif o == "unknown" or o == "error" then
        nopen = nopen + 1
      end
    end
  end
  return nfail, nopen, pts
end

return function(rule, subject, top)
  local p = plan_of(rule)
  local n = p.n
  -- the array at its final size, copied from the plan's start for the language (what is not the
  -- record's already in place, the rest false: absent): no rehash as the results come in
  local start = CTX.lang == "en" and p.start_en or p.start_pl
  local F
  if n <= 64 then F = { tunpack(start, 1, n * 10) }
  else F = {}; for j = 1, n * 10 do F[j] = start[j] end end
  local from, closed = 1, false
  local nfail, nopen, pts, raised = 0, 0, nil, false
  NW.unplaced = false   -- (a flag left by an error that a rule's own pcall caught is not this one's)
  while from <= n do
    local ok, e, e2, e3 = xpcall(run_from, placed, p, subject, F, from, closed)
    if ok then nfail, nopen, pts = e, e2, e3; break end
    raised = true
    local i = p.cur
    local b = (i - 1) * 10
    local unplaced = NW.unplaced
    NW.unplaced = false
    if not F[b + 1] then error(e, 0) end   -- raised before its result was made: not a criterion's error
    settle_raised(F, b, e)
    -- an error in a helper the rule called in a tail call (`return share_at_least(...)`): the rule's
    -- line is gone, so the criterion's declaration is named, never a line of the prelude
    if unplaced and p[i].at and F[b + 3] == "error" then F[b + 4] = p[i].at .. ": " .. F[b + 4] end
    closed = false
    for j = 0, b, 10 do
      if F[j + 9] and F[j + 3] == "fail" then closed = tostring(F[j + 4]); break end
    end
    from = i + 1
  end
  local any_fail, any_open = nfail > 0, nopen > 0
  if raised or p.scoring then
    -- counted again from F: a criterion raised (the counts of that run were lost), or a scoring rule
    any_fail, any_open, pts = false, false, nil
    for b = 0, n * 10 - 1, 10 do
      -- in a scoring rule a criterion that awards no points is "fail", and failing does not
      -- make the case ineligible: the rule only adds up points
      local o, points = F[b + 3], F[b + 7]
      if p.scoring and o == "pass" and (points or 0) == 0 then o = "fail"; F[b + 3] = o end
      if o == "fail" then any_fail = true
      elseif o == "unknown" or o == "error" then any_open = true end
      if points then pts = (pts or 0) + points end
    end
  end
  local title
  if p.title_late then title = text(rule.title) else title = (CTX.lang == "en" and p.title_en or p.title_pl) or nil end
  local crits = setmetatable(F, CRIT_FLAT)
  if top and not FLAT_OK then crits = crit_tables(F) end
  local res = setmetatable({ rule = rule.id, title = title, outcome = false, legal_basis = rule.basis,
    amount = nil, score = nil, criteria = crits, error = nil }, RULE_RES_ORDER)
  if rule.scoring then any_fail = false end
  res.outcome = any_fail and "ineligible" or (any_open and "undetermined" or "eligible")
  if rule.amount and not any_fail then
    local ok, a = xpcall(rule.amount, placed, subject, ro_view(crits))
    local unplaced = NW.unplaced
    NW.unplaced = false
    if not ok and is_limit(a) then error(a, 0) end
    if ok and type(a) == "number" then res.amount = round2(a)
    elseif not ok and not is_missing(a) then
      res.error = ((unplaced and rule.at) and (rule.at .. ": ") or "") .. NW.lua_error(tostring(a))
      if res.outcome == "eligible" then res.outcome = "undetermined" end
    end
  end
  if rule.score then
    local ok, s = xpcall(rule.score, placed, subject, ro_view(crits))
    local unplaced = NW.unplaced
    NW.unplaced = false
    if not ok and is_limit(s) then error(s, 0) end
    if ok and type(s) == "number" then pts = (pts or 0) + s
    elseif not ok and not is_missing(s) then
      res.error = ((unplaced and rule.at) and (rule.at .. ": ") or "") .. NW.lua_error(tostring(s))
    end
  end
  if pts then res.score = pts end
  return res
end
end)()

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

-- A rule that could not finish: its error in the user's language, and (limit) which sandbox limit
-- stopped it, "instructions" or "memory", for a program (the message is for people).
local function error_rule_result(rule, msg, limit)
  local res = setmetatable({ rule = rule.id, title = text(rule.title), legal_basis = rule.basis,
    outcome = "undetermined", criteria = empty_array() }, RULE_RES_ORDER)
  res.error = NW.lua_error(msg)
  res.limit = limit
  return res
end

local STATS = { records = 0, invalid = 0, rules = {}, fused = 0 }
local SELECTION = { ids = {} }   -- ids: "id\0id" -> rule ids, in ruleset order
-- The rules that apply to a kind (and, for an application, to its programme), in ruleset order:
-- found once, not by asking every rule in every record (SELECTION.applying[kind][programme or
-- false]; at most 256 programmes named by the input are kept). SELECTION.last: the rules option
-- of the record before, with its rule ids (the shim hands the same options table again).
SELECTION.applying = {}
do
  local finish = K.finish_loading
  function K.finish_loading(...)
    SELECTION.applying, SELECTION.ids, SELECTION.last, SELECTION.last_ids = {}, {}, nil, nil
    return finish(...)
  end
end

local function invalid(ev, code, message, problems)
  ev.error = setmetatable({ code = code, message = message, problems = problems }, ERR_ORDER)
  ev.results = nil
  STATS.invalid = STATS.invalid + 1
  return ev, true
end

-- Evaluates a decoded profile. opts: as_of, lang, rules (ids), line; line: the record's input line,
-- given apart (a batch sends the same options with every record: the shim decodes them once, and
-- they are only read here, never changed).
-- Returns the evaluation table, and true when the profile was invalid.
function K.evaluate(profile, opts, line)
  STATS.records = STATS.records + 1
  opts = opts or {}
  local lang = rawget(opts, "lang")
  CTX.lang = (lang == "en") and "en" or "pl"
  -- every field the evaluation can have, named in the constructor: no rehash as they are filled in
  local ev = setmetatable({ line = line or rawget(opts, "line") or nil, id = nil, kind = nil, as_of = nil, as_of_source = nil,
    ruleset = CTX.ruleset, skipped = CTX.skipped, lang = CTX.lang, warnings = nil, results = nil, error = nil }, EVAL_ORDER)
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
  local problems, extra, fused = validate(profile, SCHEMAS[sfile], sfile, nil, kind)
  if fused then STATS.fused = STATS.fused + 1 end
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
  if props and extra ~= false then
    local warnings
    for k in next, profile do
      if props[k] == nil and type(k) == "string" then
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
  -- rules see the profile through a read-only view: no rule can change what another one reads
  local view = KR_PROTECT(profile)
  local wanted = rawget(opts, "rules")
  local results = empty_array()
  local candidates = RULE_ORDER
  local sure = false   -- every candidate applies
  if not wanted then
    local program = false
    if kind == "application" then program = rawget(profile, "program") end
    local byk = SELECTION.applying[kind]
    if not byk then byk = { n = 0 }; SELECTION.applying[kind] = byk end
    local list = byk[program]
    if not list and (program == false or type(program) == "string") and byk.n < 256 then
      list = {}
      for i = 1, #RULE_ORDER do
        if rule_applies(RULES[RULE_ORDER[i]], kind, profile) then list[#list + 1] = RULE_ORDER[i] end
      end
      byk[program] = list
      byk.n = byk.n + 1
    end
    if list then candidates, sure = list, true end
  elseif wanted == SELECTION.last then
    candidates = SELECTION.last_ids   -- the same options as the record before (kept by the shim)
  else
    -- the selected rules, in ruleset order; cached for a batch that repeats the same selection
    local key = tconcat(wanted, "\0")
    candidates = SELECTION.ids[key]
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
      SELECTION.ids[key] = candidates
    end
    SELECTION.last, SELECTION.last_ids = wanted, candidates
  end
  local stats = STATS.rules
  for i = 1, #candidates do
    local rule = RULES[candidates[i]]
    if sure or rule_applies(rule, kind, profile) or (wanted and rule.applies_to == kind) then
      CHAIN_N = 0   -- a rule stopped by a limit leaves its chain behind
      local ok, res, limit = KR_GUARD(run_rule, rule, view, true)
      if not ok and limit == "memory" then
        -- the guard has collected all garbage: one more try, so whether a rule fits in memory
        -- does not depend on what the records before it left behind
        CHAIN_N = 0
        ok, res, limit = KR_GUARD(run_rule, rule, view, true)
      end
      if not ok then res = error_rule_result(rule, tostring(res), limit) end
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
  if rawget(cfg, "lang") then CTX.lang = rawget(cfg, "lang") == "en" and "en" or "pl" end
  if rawget(cfg, "schemas_broken") then CTX.schemas_broken = true end
  local skipped = rawget(cfg, "skipped")
  if skipped then CTX.skipped = #skipped > 0 and skipped or nil end
  return true
end

function K.stats()
  -- fused: profiles the JSON reader found valid as it read them (not validated again)
  local out = { records = STATS.records, invalid = STATS.invalid, rules = STATS.rules, fused = STATS.fused }
  STATS = { records = 0, invalid = 0, rules = {}, fused = 0 }
  return out
end

-- The ruleset as data: rules, criteria, parameters (for listings, completion, coverage).
-- Labels with parameters are filled with the values in force on as_of (default: today).
function K.describe(as_of)
  local rules = empty_array()
  for _, id in ipairs(RULE_ORDER) do
    local r = RULES[id]
    local cs = empty_array()
    for i, c in ipairs(r.criteria) do
      local pl, en = c.pl, c.en
      if c.templated then
        local lang, asof = CTX.lang, CTX.as_of
        CTX.as_of = as_of or CTX.today
        CTX.lang = "pl"; pl = fill_label(pl)
        CTX.lang = "en"; en = fill_label(en)
        CTX.lang, CTX.as_of = lang, asof
      end
      cs[i] = setmetatable({ id = c.id, label = pl, label_en = en, legal_basis = c.basis, at = c.at },
        { __order = { "id", "label", "label_en", "legal_basis", "at" } })
    end
    rules[#rules + 1] = setmetatable({ id = id, applies_to = r.applies_to, title = r.title.pl, title_en = r.title.en or r.title.pl,
      legal_basis = r.basis, file = r.file, example = r.example and true or nil, programs = r.programs,
      scoring = r.scoring or nil, criteria = cs },
      { __order = { "id", "applies_to", "title", "title_en", "legal_basis", "file", "example", "programs", "scoring", "criteria" } })
  end
  local params = empty_array()
  local names = {}
  for n in pairs(PARAMS) do names[#names + 1] = n end
  tsort(names)
  -- a value's own basis (a centre's override, a new regulation) when it is not the parameter's,
  -- its confidence ("M": unverified, its own or the parameter's), its note
  local function value_of(p, v)
    return { from = v.from, ["until"] = v["until"], value = v.value,
      basis = v.basis ~= p.basis and v.basis or nil, confidence = v.confidence or p.confidence, note = v.note,
      overridden_at = v.overridden_at }
  end
  for _, n in ipairs(names) do
    local p = PARAMS[n]
    local vals = empty_array()
    for i, v in ipairs(p.values) do vals[i] = value_of(p, v) end
    -- values of regional programmes (param_for) are listed apart from the default ones
    local variants = nil
    if p.keyed then
      local keys = {}
      for k in pairs(p.keyed) do keys[#keys + 1] = k end
      tsort(keys)
      variants = empty_array()
      for _, k in ipairs(keys) do
        local kv = empty_array()
        for i, v in ipairs(p.keyed[k]) do kv[i] = value_of(p, v) end
        variants[#variants + 1] = { programme = k, values = kv }
      end
    end
    params[#params + 1] = { name = n, unit = p.unit, basis = p.basis, values = vals, programmes = variants,
      label = p.description, label_en = p.en, confidence = p.confidence }
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
  local problems = validate(profile, SCHEMAS[sfile], sfile, opts and rawget(opts, "only"))
  for i, p in ipairs(problems) do arr[i] = setmetatable(p, PROB_ORDER) end
  return arr
end
