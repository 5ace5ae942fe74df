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

-- A rule's runtime error in the user's language. Lua words its own errors in English ("attempt to
-- index a nil value (local 'x')"); the reason of a criterion that raised, and a rule's error, are
-- read by a consultant: in Polish they say the same in Polish, after the file:line they keep. The
-- text a rule raises itself (error("...")) and the English of --lang en are left as they are.
do
  local TYPE = { ["nil"] = "nil", number = "liczba", string = "tekst", boolean = "wartość logiczna",
    table = "tabela", ["function"] = "funkcja", userdata = "userdata", thread = "wątek", ["kr.view"] = "obiekt profilu",
    ["no value"] = "brak wartości" }
  local KIND = { ["local"] = "zmienna lokalna", global = "zmienna globalna", field = "pole", upvalue = "zmienna zewnętrzna",
    method = "metoda", constant = "stała" }
  local OP = { index = "nie można odczytać pola z wartości", call = "nie można wywołać wartości",
    ["perform arithmetic on"] = "nie można liczyć na wartości", ["perform bitwise operation on"] = "nie można wykonać działania bitowego na wartości",
    concatenate = "nie można dołączyć do tekstu wartości", ["get length of"] = "nie można policzyć długości wartości" }
  local FOR = { ["initial value"] = "wartość początkowa", limit = "granica", step = "krok" }
  local ARITH = { add = "dodawania", sub = "odejmowania", mul = "mnożenia", div = "dzielenia", mod = "reszty z dzielenia",
    pow = "potęgowania", unm = "zmiany znaku", idiv = "dzielenia całkowitego" }
  local function ty(t) return TYPE[t] or t end
  local function a_value(t) if t == "nil" then return "nil" end return "typu " .. ty(t) end
  local function var(v)   -- " (local 'x')" -> " — zmienna lokalna 'x'"
    if v == "" then return "" end
    local kind, name = smatch(v, "^ %((%a+) '(.*)'%)$")
    if kind == "field" and name == "integer index" then return " — element tablicy" end
    if kind and KIND[kind] then return " — " .. KIND[kind] .. " '" .. name .. "'" end
    return v
  end
  local function words(m)
    local op, t, v = smatch(m, "^attempt to (.-) an? (%S+) value(.*)$")
    if op and OP[op] then return OP[op] .. " " .. a_value(t) .. var(v) end
    local a, b = smatch(m, "^attempt to compare (%S+) with (%S+)$")
    if a then return "nie można porównać wartości " .. a_value(a) .. " z wartością " .. a_value(b) end
    a = smatch(m, "^attempt to compare two (%S+) values$")
    if a then return "nie można porównać dwóch wartości " .. a_value(a) end
    local n, f, why = smatch(m, "^bad argument #(%d+) to '(.-)' %((.*)%)$")
    if n then
      local want, got = smatch(why, "^(.-) expected, got (.+)$")
      if want then why = "oczekiwano: " .. ty(want) .. ", jest: " .. ty(got)
      elseif smatch(why, "^number.* has no integer representation$") then why = "liczba nie ma postaci całkowitej"
      elseif why == "invalid option" or smatch(why, "^invalid conversion") then why = "niepoprawny format" end
      return "zły argument nr " .. n .. " funkcji '" .. f .. "' (" .. why .. ")"
    end
    local count = smatch(m, "^instruction budget exceeded %((%d+) instructions%)$")
    if count then return "przekroczono limit instrukcji (" .. count .. ")" end
    local mib = smatch(m, "^memory limit exceeded %((%d+) MiB%)$")
    if mib then return "przekroczono limit pamięci (" .. mib .. " MiB)" end
    if m == "not enough memory" then return "zabrakło pamięci" end
    f = smatch(m, "^the profile is read%-only: a rule cannot change field '(.*)'$")
    if f then return "profil jest tylko do odczytu: reguła nie może zmienić pola '" .. f .. "'" end
    local fn, items, bytes = smatch(m, "^string%.(%a+): pattern with (%d+) repetition items on a (%d+)%-byte string is too costly for a rule$")
    if fn then
      return "string." .. fn .. ": wzorzec z " .. items .. (items == "1" and " powtórzeniem" or " powtórzeniami") .. " na tekście "
        .. bytes .. "-bajtowym jest zbyt kosztowny dla reguły"
    end
    local got, allowed = smatch(m, "^string%.rep: result of (%d+) bytes is larger than the (%d+) allowed in rules$")
    if got then
      return "string.rep: wynik ma " .. got .. " " .. plural_word(tonumber(got), "bajt", "bajty", "bajtów")
        .. ", a reguła może utworzyć najwyżej " .. allowed
    end
    local lib, key = smatch(m, "^(%S+) is read%-only: cannot set %S+%.(.*)$")
    if lib then return lib .. " jest tylko do odczytu: nie można ustawić " .. lib .. "." .. key end
    f = smatch(m, "^unknown parameter '(.*)'$")
    if f then return "nieznany parametr '" .. f .. "'" end
    f = smatch(m, "^unknown rule '(.*)'$")
    if f then return "nieznana reguła '" .. f .. "'" end
    if m == "check_rule: the subject must be a profile table" then return "check_rule: oceniany musi być profilem (tabelą)" end
    if m == "finalizers (__gc) are not allowed in rules" then return "finalizatory (__gc) są w regułach niedozwolone" end
    local g = smatch(m, "^rules cannot set global variables while evaluating %('(.*)'%); use local$")
    if g then return "reguła nie może ustawiać zmiennych globalnych podczas oceny ('" .. g .. "'); użyj local" end
    local d_what, d_found = smatch(m, "^(.-): expected a date YYYY%-MM%-DD, found (.*)$")
    if d_what then
      return (({ date = "data", ["birth date"] = "data urodzenia" })[d_what] or d_what) .. ": oczekiwano daty RRRR-MM-DD, jest " .. d_found
    end
    local self_id, chain = smatch(m, "^rule '(.-)' calls itself %((.*)%)$")
    if self_id then return "reguła '" .. self_id .. "' wywołuje samą siebie (" .. chain .. ")" end
    local arith, ta, tb = smatch(m, "^attempt to (%a+) a '(%S+)' with a '(%S+)'$")   -- (string arithmetic)
    if arith and ARITH[arith] then
      return "nie można wykonać " .. ARITH[arith] .. ": wartość " .. a_value(ta) .. " z wartością " .. a_value(tb)
    end
    -- syntax (what the REPL's `load` says of a line typed at its prompt)
    local what2, near = smatch(m, "^(.-) near (.*)$")
    if what2 then
      local at = near == "<eof>" and "na końcu" or ("przy " .. near)
      if what2 == "syntax error" then return "błąd składni " .. at end
      if what2 == "unexpected symbol" then return "nieoczekiwany symbol " .. at end
      if what2 == "unfinished string" then return "niezamknięty tekst " .. at end
      if what2 == "malformed number" then return "niepoprawna liczba " .. at end
      local want, opener, line = smatch(what2, "^'(.-)' expected %(to close '(.-)' at line (%d+)%)$")
      if want then return "brakuje '" .. want .. "' (zamykającego '" .. opener .. "' z wiersza " .. line .. ") " .. at end
      want = smatch(what2, "^'(.-)' expected$")
      if want then return "oczekiwano '" .. want .. "' " .. at end
    end
    if m == "attempt to divide by zero" then return "dzielenie przez zero" end
    if m == "attempt to perform 'n%0'" then return "reszta z dzielenia przez zero" end
    if smatch(m, "^number.* has no integer representation$") then return "liczba nie ma postaci całkowitej" end
    if sfind(m, "stack overflow", 1, true) then return "przepełnienie stosu (zbyt głęboka rekurencja)" end
    local what, got = smatch(m, "^bad 'for' (.-) %(number expected, got (.-)%)$")
    if what and FOR[what] then return FOR[what] .. " pętli 'for' musi być liczbą, jest: " .. ty(got) end
    if m == "'for' step is zero" then return "krok pętli 'for' jest zerem" end
    if m == "table index is nil" then return "klucz tabeli jest nil" end
    if m == "table index is NaN" then return "klucz tabeli jest NaN" end
    return m
  end
  function NW.lua_error(msg)
    if CTX.lang == "en" or type(msg) ~= "string" then return msg end
    local at, rest = smatch(msg, "^(.-:%d+: )(.*)$")
    if not at then at, rest = "", msg end
    return at .. words(rest)
  end
end
