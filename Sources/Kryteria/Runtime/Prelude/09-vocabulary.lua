-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- The vocabulary: one Polish and one English label for every field and every enumerated
-- value, and a question for every field, kept in the schemas (x-label, x-enum-labels,
-- x-question). Rules, reasons, reports, the REPL and web forms all read the same words.
-------------------------------------------------------------------------------
local VOCAB   -- field name -> { label = {pl,en}, question = {pl,en}, values = { code -> {pl,en} } }
local function vocab()
  if VOCAB then return VOCAB end
  local v, seen = {}, {}
  -- every walk in name order: where two schemas give one field name different words, the same
  -- ones win on every run (a table's own order follows Lua's per-state hash seed)
  local function sorted_keys(t)
    local ks = {}
    for k in next, t do ks[#ks + 1] = k end
    tsort(ks, function(a, b) return tostring(a) < tostring(b) end)
    return ks
  end
  local function walk(s)
    if type(s) ~= "table" or seen[s] then return end
    seen[s] = true
    local props = rawget(s, "properties")
    if type(props) == "table" then
      for _, name in ipairs(sorted_keys(props)) do
        local ps = props[name]
        if type(ps) == "table" then
          local e = v[name] or { values = {} }
          v[name] = e
          e.label = e.label or rawget(ps, "x-label")
          e.question = e.question or rawget(ps, "x-question")
          for _, holder in ipairs({ ps, rawget(ps, "items") }) do
            local labels = type(holder) == "table" and rawget(holder, "x-enum-labels")
            if type(labels) == "table" then
              for code, l in next, labels do if e.values[code] == nil then e.values[code] = l end end
            end
          end
        end
      end
    end
    for _, k in ipairs(sorted_keys(s)) do walk(s[k]) end
  end
  for _, file in ipairs(sorted_keys(SCHEMAS)) do walk(SCHEMAS[file]) end
  VOCAB = v
  return v
end
-- Words already found, per language (NW.words[lang]: field -> its label; NW.values[lang]:
-- field -> value -> its label); a record names the same fields and codes again and again.
-- Emptied with the vocabulary when a schema is added.
NW.words, NW.values = { pl = {}, en = {} }, { pl = {}, en = {} }
local _add_schema = K.add_schema
function K.add_schema(file, schema)
  VOCAB = nil
  NW.words, NW.values = { pl = {}, en = {} }, { pl = {}, en = {} }
  return _add_schema(file, schema)
end

-- label(field) -> the field's label; label(field, value) -> the value's label (a list: joined).
local function label(field, value)
  if value == nil then
    local byl = NW.words[CTX.lang]
    local w = byl[field]
    if w then return w end
    local e = vocab()[field]
    w = (e and text(e.label)) or tostring(field)
    if field ~= nil then byl[field] = w end
    return w
  end
  local byf = NW.values[CTX.lang][field]
  local w = byf and byf[value]
  if w then return w end
  local e = vocab()[field]
  if type(value) == "table" then
    local parts = {}
    for i = 1, #value do parts[i] = label(field, value[i]) end
    return tconcat(parts, ", ")
  end
  if value == KR_NULL then
    w = L("brak", "none")
  else
    local l = e and e.values[value]
    w = (l and text(l)) or tostring(value)
  end
  if field ~= nil and value == value then
    if not byf then byf = {}; NW.values[CTX.lang][field] = byf end
    byf[value] = w
  end
  return w
end
-- "forma prawna: fundacja"
local function about(field, value) return label(field) .. ": " .. label(field, value) end

-- The words of a missing path ("employees[0].fte" -> the label of fte).
local function missing_words(path)
  path = tostring(path)
  local last = smatch(path, "([%a_][%w_]*)[%]%[%d]*$") or path
  -- the label the schema gives the field at this very path: the same name can mean different
  -- things in different places (an employee's at_risk, a member's at_risk)
  local kind = CTX.root and rawget(CTX.root, "kind")
  local l = kind and K.label_at(kind, path)
  if l then return text(l) end
  return label(last)
end

-- Polish plural: plural(5, "osoba", "osoby", "osób") -> "5 osób"; English: plural(5, "person", "people").
local function plural_word(n, one, few, many)
  if many == nil then return n == 1 and one or few end
  local a = abs(n)
  if a == 1 then return one end
  local d, h = a % 10, a % 100
  if d >= 2 and d <= 4 and not (h >= 12 and h <= 14) then return few end
  return many
end
-- plural(n, "osoba", "osoby", "osób", "person", "people"): the Polish or the English forms by language
local function plural(n, a, b, c, d, e)
  if d ~= nil and CTX.lang == "en" then return num(n) .. " " .. (n == 1 and d or e) end
  return num(n) .. " " .. plural_word(n, a, b, c)
end

-- A criterion label that states a number takes it from the parameter in force:
-- "Co najmniej {ps.min_employees|osoba|osoby|osób} ..." -> "Co najmniej 3 osoby ...".
local fill_label
do
local function fill_label_now(s)
  return (sgsub(s, "{([%w_%.]+)([^}]*)}", function(name, forms)
    local ok, v = pcall(param, name)
    local f = {}
    if forms ~= "" then for w in sgmatch(ssub(forms, 2), "[^|]+") do f[#f + 1] = w end end
    if not ok or type(v) ~= "number" then
      -- no value in force on the date: say so in the label, never guess a number
      local gap = sformat(L("[brak wartości %s]", "[no value of %s]"), name)
      return #f > 0 and (gap .. " " .. (f[3] or f[2] or f[1])) or gap
    end
    if #f > 0 then return plural(v, f[1], f[2], f[3]) end
    local p = PARAMS[name]
    return fmtv(v, p and p.unit)
  end))
end

-- A filled label depends only on the text, the language and the as-of date (parameters do not
-- change once loaded): filled once per date and language, not once per record.
local FILLED, FILLED_DATES = {}, 0
function fill_label(s)
  local key = (CTX.as_of or "") .. CTX.lang
  local byd = FILLED[key]
  if not byd then
    if FILLED_DATES >= 512 then FILLED, FILLED_DATES = {}, 0 end
    byd = {}
    FILLED[key] = byd
    FILLED_DATES = FILLED_DATES + 1
  end
  local v = byd[s]
  if v == nil then v = fill_label_now(s); byd[s] = v end
  return v
end

-- parameters (and a centre's overrides) are settled when loading finishes: forget earlier fills
local _finish_loading = K.finish_loading
local function forget_fills(...)
  FILLED, FILLED_DATES = {}, 0
  PX.forget()
  return ...
end
function K.finish_loading(...)
  forget_fills()
  return forget_fills(_finish_loading(...))
end
end

BASE.label, BASE.about, BASE.plural = label, about, plural
K.vocab = vocab
