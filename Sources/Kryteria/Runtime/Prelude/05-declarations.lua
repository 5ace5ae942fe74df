-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Declarations: rule, criterion, parameter
-------------------------------------------------------------------------------
local RULES = {}        -- id -> rule
local RULE_ORDER = {}   -- ids in load order
local LOADING = nil     -- the file being loaded: { file, rules = {}, params = {}, current }

local RULE_KEYS = { applies_to = true, title = true, basis = true, amount = true, score = true, scoring = true,
  programs = true, description = true, example = true, assumptions = true, unit = true }
local CRIT_KEYS = { basis = true, pl = true, en = true, check = true, applies = true, note = true,
  assumption = true, na = true, confidence = true, uses = true, with = true, gate = true }
local SHARED_KEYS = { pl = true, en = true, check = true, applies = true, note = true, assumption = true,
  na = true, confidence = true, basis = true }
local SHARED = {}        -- name -> shared criterion (a template several rules use)
local PARAM_KEYS = { unit = true, basis = true, description = true, confidence = true, note = true,
  pl = true, en = true }
local VALUE_KEYS = { from = true, ["until"] = true, value = true, basis = true, note = true, confidence = true,
  programme = true }
PX.OVERRIDE_KEYS = { basis = true, note = true }
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
  if best then return sformat(L(" (czy chodziło o '%s'?)", " (did you mean '%s'?)"), best) end
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

-- Raised at the line of the i-th dated value ({ from = … }) of the declaration being loaded, or
-- at the declaration when that line cannot be found.
function PX.value_error(i, msg)
  local where = caller_location()
  if LOADING and LOADING.source and where then
    local file, from = smatch(where, "^(.*):(%d+)$")
    from = tonumber(from)
    local n, k = 0, 0
    for line in sgmatch(LOADING.source .. "\n", "([^\n]*)\n") do
      n = n + 1
      if n >= from then
        for _ in sgmatch(line, "{%s*from%s*=") do
          k = k + 1
          if k == i then error(file .. ":" .. n .. ": " .. msg, 0) end
        end
      end
    end
  end
  decl_error(msg)
end

local function check_keys(t, allowed, what)
  for k in pairs(t) do
    if type(k) == "string" and not allowed[k] then
      local msg = sformat(L("nieznany klucz '%s' w %s%s", "unknown key '%s' in %s%s"), k, what, suggest(k, allowed))
      local at = smatch(k, "^[%a_][%w_]*$") and key_line(k)
      if at then error(at .. ": " .. msg, 0) end
      decl_error(msg)
    end
  end
end
local where_declared = caller_location

local function declare_rule(id)
  if type(id) ~= "string" or not smatch(id, "^[a-z0-9]+[a-z0-9%-]*$") then
    decl_error(L("identyfikator reguły musi być tekstem w stylu kebab-case, jest: ", "rule id must be a kebab-case string, found ") .. tostring(id))
  end
  return function(spec)
    if type(spec) ~= "table" then decl_error(sformat(L("reguła '%s' wymaga tabeli { ... }", "rule '%s' needs a table { ... }"), id)) end
    check_keys(spec, RULE_KEYS, sformat(L("regule '%s'", "rule '%s'"), id))
    local at = where_declared()
    if RULES[id] or (LOADING and LOADING.rules[id]) then
      local prev = RULES[id] or LOADING.rules[id]
      decl_error(sformat(L("powtórzony identyfikator reguły '%s' (pierwszy raz w %s)", "duplicate rule id '%s' (first declared at %s)"), id, prev.at or "?"))
    end
    if not KINDS[spec.applies_to] then
      decl_error(sformat(L("reguła '%s': applies_to musi być person, enterprise albo application, jest: %s", "rule '%s': applies_to must be person, enterprise or application, found %s"),
        id, tostring(spec.applies_to)))
    end
    if type(spec.title) ~= "table" or type(spec.title.pl) ~= "string" then
      decl_error(sformat(L("reguła '%s': brakuje title = { pl = \"...\", en = \"...\" }", "rule '%s': title = { pl = \"...\", en = \"...\" } is required"), id))
    end
    if PX.blank(spec.basis) then
      decl_error(sformat(L("reguła '%s': brakuje basis (podstawy prawnej)", "rule '%s': basis (the legal basis) is required"), id))
    end
    for _, k in ipairs({ "amount", "score" }) do
      if spec[k] ~= nil and type(spec[k]) ~= "function" then
        decl_error(sformat(L("reguła '%s': %s musi być funkcją", "rule '%s': %s must be a function"), id, k))
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
  if type(id) ~= "string" or id == "" then decl_error(L("identyfikator kryterium musi być tekstem", "criterion id must be a string")) end
  return function(spec)
    local r = LOADING and LOADING.current
    if not r then decl_error(sformat(L("kryterium '%s' stoi przed deklaracją reguły w tym pliku", "criterion '%s' comes before any rule in this file"), id)) end
    if type(spec) ~= "table" then decl_error(sformat(L("kryterium '%s' wymaga tabeli { ... }", "criterion '%s' needs a table { ... }"), id)) end
    check_keys(spec, CRIT_KEYS, sformat(L("kryterium '%s'", "criterion '%s'"), id))
    if r.crit_by_id[id] then
      decl_error(sformat(L("powtórzony identyfikator kryterium '%s' w regule '%s' (pierwszy raz w %s)", "duplicate criterion id '%s' in rule '%s' (first at %s)"), id, r.id, r.crit_by_id[id].at))
    end
    if spec.uses ~= nil and type(spec.uses) ~= "string" then
      decl_error(sformat(L("kryterium '%s': uses musi wskazywać wspólne kryterium", "criterion '%s': uses must name a shared criterion"), id))
    end
    if spec.uses == nil and type(spec.check) ~= "function" then
      decl_error(sformat(L("kryterium '%s': brakuje check = function(x) ... end", "criterion '%s': check = function(x) ... end is required"), id))
    end
    if spec.applies ~= nil and type(spec.applies) ~= "function" then
      decl_error(sformat(L("kryterium '%s': applies musi być funkcją", "criterion '%s': applies must be a function"), id))
    end
    if PX.blank(spec.basis) then decl_error(sformat(L("kryterium '%s': brakuje basis (podstawy prawnej)", "criterion '%s': basis (the legal basis) is required"), id)) end
    if spec.uses == nil and type(spec.pl) ~= "string" then
      decl_error(sformat(L("kryterium '%s': brakuje pl (etykiety po polsku)", "criterion '%s': pl (the Polish label) is required"), id))
    end
    local c = { id = id, basis = spec.basis, pl = spec.pl, en = spec.en or spec.pl, check = spec.check,
      applies = spec.applies, na = spec.na, assumption = spec.assumption, at = where_declared(),
      uses = spec.uses, with = spec.with, gate = spec.gate and true or nil }
    -- a label that quotes a parameter ("{ps.min_employees|osoba|osoby|osób}") is filled in per as-of date
    c.templated = (sfind(c.pl or "", "{", 1, true) or sfind(c.en or "", "{", 1, true)) and true or nil
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
  if type(name) ~= "string" or name == "" then decl_error(L("nazwa wspólnego kryterium musi być tekstem", "shared criterion name must be a string")) end
  return function(spec)
    if type(spec) ~= "table" then decl_error(sformat(L("wspólne kryterium '%s' potrzebuje tabeli { ... }", "shared criterion '%s' needs a table { ... }"), name)) end
    check_keys(spec, SHARED_KEYS, sformat(L("wspólnym kryterium '%s'", "shared criterion '%s'"), name))
    if type(spec.check) ~= "function" then decl_error(sformat(L("wspólne kryterium '%s': brakuje check", "shared criterion '%s': check is required"), name)) end
    if type(spec.pl) ~= "string" then decl_error(sformat(L("wspólne kryterium '%s': brakuje pl (polskiej etykiety)", "shared criterion '%s': pl (the Polish label) is required"), name)) end
    if SHARED[name] or (LOADING and LOADING.shared[name]) then
      decl_error(sformat(L("powtórzone wspólne kryterium '%s' (pierwszy raz w %s)", "duplicate shared criterion '%s' (first declared at %s)"), name, (SHARED[name] or LOADING.shared[name]).at))
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
          problems[#problems + 1] = sformat(L("%s: nieznane wspólne kryterium '%s'%s", "%s: unknown shared criterion '%s'%s"), c.at or id, c.uses, suggest(c.uses, SHARED))
          c.check = function() error("unknown shared criterion '" .. c.uses .. "'", 0) end
        else
          c.pl = c.pl or t.pl
          c.en = (c.en ~= c.pl and c.en) or t.en or c.pl
          c.templated = (sfind(c.pl or "", "{", 1, true) or sfind(c.en or "", "{", 1, true)) and true or nil
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

-- One dated value of a parameter (or of an override), checked: { from, until, value, basis, confidence, programme }.
function PX.check_value(name, i, v, basis, unit)
  if type(v) ~= "table" then PX.value_error(i, sformat(L("parametr '%s': wartość %d musi mieć postać { from = ..., value = ... }", "parameter '%s': value %d must be { from = ..., value = ... }"), name, i)) end
  for k in pairs(v) do
    if k == 1 and type(v.value) == "number" and math.type(v[1]) == "integer" then
      -- value = 4806,50 reads as value = 4806 and a second item 50
      PX.value_error(i, sformat(L("parametr '%s': wartość %d: liczba z przecinkiem dziesiętnym? W Lua część ułamkową oddziela kropka: value = %s.%s",
        "parameter '%s': value %d: a decimal comma? Lua separates the fraction with a point: value = %s.%s"), name, i, tostring(v.value), tostring(v[1])))
    end
    if not VALUE_KEYS[k] then
      PX.value_error(i, sformat(L("nieznany klucz '%s' w wartości %d parametru '%s'%s", "unknown key '%s' in value %d of parameter '%s'%s"), tostring(k), i, name, suggest(tostring(k), VALUE_KEYS)))
    end
  end
  if not is_date(v.from) then PX.value_error(i, sformat(L("parametr '%s': wartość %d potrzebuje from = \"RRRR-MM-DD\" (istniejącej daty), jest %s",
    "parameter '%s': value %d needs from = \"YYYY-MM-DD\", found %s"), name, i, tostring(v.from))) end
  if v["until"] ~= nil and not is_date(v["until"]) then PX.value_error(i, sformat(L("parametr '%s': wartość %d: until musi być datą RRRR-MM-DD", "parameter '%s': value %d: until must be a date"), name, i)) end
  if v.value == nil then PX.value_error(i, sformat(L("parametr '%s': wartość %d nie ma value", "parameter '%s': value %d has no value"), name, i)) end
  if v["until"] ~= nil and v["until"] < v.from then
    PX.value_error(i, sformat(L("parametr '%s': wartość %d obowiązuje do %s, a więc przed swoim początkiem %s", "parameter '%s': value %d applies until %s, before its own start %s"),
      name, i, v["until"], v.from))
  end
  if unit ~= nil and unit ~= "" and type(v.value) ~= PX.unit_type(unit) then
    local want = PX.unit_type(unit)
    PX.value_error(i, sformat(L("parametr '%s': wartość %d: jednostka to %s, więc value musi być %s, jest %s",
      "parameter '%s': value %d: its unit is %s, so value must be %s, found %s"), name, i, unit,
      want == "number" and L("liczbą (bez cudzysłowu, z kropką dziesiętną)", "a number (no quotes, a decimal point)")
        or want == "boolean" and L("true albo false", "true or false") or L("tekstem", "text"), PX.shown(v.value)))
  end
  if v.confidence ~= nil and v.confidence ~= "C" and v.confidence ~= "M" then
    PX.value_error(i, sformat(L("parametr '%s': wartość %d: confidence to \"C\" (potwierdzone) albo \"M\" (niezweryfikowane), jest %s",
      "parameter '%s': value %d: confidence is \"C\" (confirmed) or \"M\" (unverified), found %s"), name, i, PX.shown(v.confidence)))
  end
  if v.basis ~= nil and (type(v.basis) ~= "string" or not sfind(v.basis, "%S")) then
    PX.value_error(i, sformat(L("parametr '%s': wartość %d: basis jest puste", "parameter '%s': value %d: basis is empty"), name, i))
  end
  if v.programme ~= nil and (type(v.programme) ~= "string" or v.programme == "") then
    PX.value_error(i, sformat(L("parametr '%s': wartość %d: programme musi być kodem programu, np. \"FELD\"",
      "parameter '%s': value %d: programme must be a code such as \"FELD\""), name, i))
  end
  return { from = v.from, ["until"] = v["until"], value = v.value, basis = v.basis or basis, confidence = v.confidence,
    programme = v.programme, note = v.note }
end
-- Dated values in order must not overlap: a value that runs "until" past the next one's start
-- leaves two values in force on the same days.
function PX.overlap(name, prev, cur, programme)
  if prev and prev["until"] and prev["until"] >= cur.from then
    return sformat(L("parametr '%s'%s: wartości nakładają się (jedna obowiązuje do %s, następna od %s)",
      "parameter '%s'%s: values overlap (one applies until %s, the next from %s)"),
      name, programme and (" (" .. programme .. ")") or "", prev["until"], cur.from)
  end
end

-- The Lua type a parameter's values take by its unit: "tak/nie" a switch, "akt prawny" or "tekst"
-- text, any other unit (zł, %, osoby, miesiące…) a number.
function PX.unit_type(unit)
  if unit == "tak/nie" then return "boolean" end
  if unit == "akt prawny" or unit == "tekst" then return "string" end
  return "number"
end
-- A value as written in a rule file, for a message.
function PX.shown(v) return type(v) == "string" and ('"' .. v .. '"') or tostring(v) end
-- A text that names a legal basis: present and not blank.
function PX.blank(s) return type(s) ~= "string" or not sfind(s, "%S") end

local function declare_parameter(name)
  if type(name) ~= "string" or name == "" then decl_error(L("nazwa parametru musi być tekstem", "parameter name must be a string")) end
  return function(spec)
    if type(spec) ~= "table" then decl_error(sformat(L("parametr '%s' potrzebuje tabeli { ... }", "parameter '%s' needs a table { ... }"), name)) end
    for k in pairs(spec) do
      if type(k) == "string" and not PARAM_KEYS[k] then
        decl_error(sformat(L("nieznany klucz '%s' w parametrze '%s'%s", "unknown key '%s' in parameter '%s'%s"), k, name, suggest(k, PARAM_KEYS)))
      end
    end
    if PARAMS[name] or (LOADING and LOADING.params[name]) then
      local prev = PARAMS[name] or LOADING.params[name]
      decl_error(sformat(L("powtórzony parametr '%s' (pierwszy raz w %s)", "duplicate parameter '%s' (first declared at %s)"), name, prev.at or "?"))
    end
    if PX.blank(spec.basis) then decl_error(sformat(L("parametr '%s': brakuje basis (źródła prawnego)", "parameter '%s': basis (the legal reference) is required"), name)) end
    if spec.confidence ~= nil and spec.confidence ~= "C" and spec.confidence ~= "M" then
      decl_error(sformat(L("parametr '%s': confidence to \"C\" (potwierdzone) albo \"M\" (niezweryfikowane), jest %s",
        "parameter '%s': confidence is \"C\" (confirmed) or \"M\" (unverified), found %s"), name, PX.shown(spec.confidence)))
    end
    local values, keyed, nkeyed = {}, nil, 0
    for i, v in ipairs(spec) do
      local val = PX.check_value(name, i, v, spec.basis, spec.unit)
      if val.programme then
        keyed = keyed or {}
        local list = keyed[val.programme] or {}
        if #list > 0 and val.from <= list[#list].from then
          decl_error(sformat(L("parametr '%s': wartości programu %s muszą iść w kolejności dat (%s po %s)",
            "parameter '%s': values of programme %s must be in date order (%s after %s)"),
            name, val.programme, val.from, list[#list].from))
        end
        if PX.overlap(name, list[#list], val, val.programme) then PX.value_error(i, PX.overlap(name, list[#list], val, val.programme)) end
        list[#list + 1] = val
        keyed[val.programme] = list
        nkeyed = nkeyed + 1
      else
        if #values > 0 and val.from <= values[#values].from then
          decl_error(sformat(L("parametr '%s': wartości muszą iść w kolejności dat (%s po %s)", "parameter '%s': values must be in date order (%s after %s)"), name, val.from, values[#values].from))
        end
        if PX.overlap(name, values[#values], val) then PX.value_error(i, PX.overlap(name, values[#values], val)) end
        values[#values + 1] = val
      end
    end
    if #values + nkeyed == 0 then decl_error(sformat(L("parametr '%s' nie ma żadnej wartości", "parameter '%s' has no values"), name)) end
    local p = { name = name, unit = spec.unit, basis = spec.basis, values = values, keyed = keyed, at = where_declared(),
      confidence = spec.confidence, description = spec.description or spec.pl, en = spec.en, note = spec.note }
    if LOADING then LOADING.params[name] = p else PARAMS[name] = p end
    return p
  end
end

-- A centre's own values for a shipped parameter, declared in its own file (e.g. Rules/local/*.lua)
-- so the shipped parameter files stay untouched:
--   override "owes.job_creation_unit_cost" {
--     basis = "umowa o dofinansowanie OWES nr …",
--     { programme = "FELD", from = "2025-01-01", value = 36000 },
--   }
-- A value with the same programme and date as a shipped one replaces it; any other is added.
-- Overrides apply after every file has loaded (K.finish_loading), whatever the file order.
PX.overrides = {}
function PX.declare_override(name)
  if type(name) ~= "string" or name == "" then decl_error(L("override potrzebuje nazwy parametru", "override needs the name of a parameter")) end
  return function(spec)
    if type(spec) ~= "table" then decl_error(sformat(L("override '%s' potrzebuje tabeli { ... }", "override '%s' needs a table { ... }"), name)) end
    for k in pairs(spec) do
      if type(k) == "string" and not PX.OVERRIDE_KEYS[k] then
        decl_error(sformat(L("nieznany klucz '%s' w nadpisaniu '%s'%s", "unknown key '%s' in override '%s'%s"), k, name, suggest(k, PX.OVERRIDE_KEYS)))
      end
    end
    if type(spec.basis) ~= "string" or spec.basis == "" then
      decl_error(sformat(L("override '%s': brakuje basis (skąd pochodzi wartość ośrodka)", "override '%s': basis (where the centre's value comes from) is required"), name))
    end
    local vals = {}
    for i, v in ipairs(spec) do vals[i] = PX.check_value(name, i, v, spec.basis) end
    if #vals == 0 then decl_error(sformat(L("override '%s' nie ma żadnej wartości", "override '%s' has no values"), name)) end
    local o = { name = name, basis = spec.basis, values = vals, at = where_declared() }
    if LOADING then LOADING.overrides[#LOADING.overrides + 1] = o else PX.overrides[#PX.overrides + 1] = o end
    return o
  end
end

-- Merges the overrides into the parameters; problems (unknown parameter, the same value
-- overridden twice) are added to `problems` with the override's file:line.
function PX.apply_overrides(problems)
  local seen = {}
  for _, o in ipairs(PX.overrides) do
    local p = PARAMS[o.name]
    if not p then
      problems[#problems + 1] = sformat(L("%s: nadpisanie nieznanego parametru '%s'%s", "%s: override of unknown parameter '%s'%s"), o.at or "?", o.name, suggest(o.name, PARAMS))
    else
      for _, v in ipairs(o.values) do
        local key = o.name .. "\0" .. tostring(v.programme) .. "\0" .. v.from
        if seen[key] then
          problems[#problems + 1] = sformat(L("%s: parametr '%s'%s od %s jest nadpisany dwa razy (także w %s)", "%s: parameter '%s'%s from %s is overridden twice (also at %s)"),
            o.at or "?", o.name, v.programme and (" (" .. v.programme .. ")") or "", v.from, seen[key])
        else
          seen[key] = o.at or "?"
          v.overridden_at = o.at
          local list
          if v.programme then
            p.keyed = p.keyed or {}
            p.keyed[v.programme] = p.keyed[v.programme] or {}
            list = p.keyed[v.programme]
          else
            list = p.values
          end
          local placed = false
          for i, w in ipairs(list) do
            if w.from == v.from then list[i] = v; placed = true; break end
            if w.from > v.from then tinsert(list, i, v); placed = true; break end
          end
          if not placed then list[#list + 1] = v end
          if p.unit ~= nil and p.unit ~= "" and type(v.value) ~= PX.unit_type(p.unit) then
            problems[#problems + 1] = sformat(L("%s: nadpisanie '%s': jednostka to %s, a wartość %s jest innego typu",
              "%s: override of '%s': its unit is %s, and the value %s is of another type"), o.at or "?", o.name, p.unit, PX.shown(v.value))
          end
          for i = 2, #list do
            local m = PX.overlap(o.name, list[i - 1], list[i], v.programme)
            if m then problems[#problems + 1] = (o.at or "?") .. ": " .. m; break end
          end
        end
      end
    end
  end
  PX.overrides = {}
end
