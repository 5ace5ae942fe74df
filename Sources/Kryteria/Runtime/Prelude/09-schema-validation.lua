-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- JSON Schema (the subset the contract uses) and validation
-------------------------------------------------------------------------------
local SCHEMAS = {}      -- file name -> schema table
local SCHEMA_BY_KIND = {}
local show, validate, schema_props_at   -- defined in the block below; the rest is private to it
do
-- schema node -> validator(v), and schema node -> plan of the C fast path (below); both are
-- emptied whenever a schema is added, since a node's "$ref" may point into the schema it replaces
local COMPILED, PLANS = {}, {}
-- schema_at's answers, kind -> path -> { node, x-label } (false: the path leads nowhere): a missing
-- field asks twice (is it a field of its parent? what is it called?), and the same paths come back
-- record after record. Emptied with COMPILED, and past 4 096 paths.
local AT, AT_N = {}, 0
local SCHEMA_KEYS = { ["$schema"] = true, ["$id"] = true, ["$defs"] = true, ["$ref"] = true, ["$comment"] = true,
  title = true, description = true, type = true, enum = true, const = true, properties = true,
  required = true, additionalProperties = true, items = true, minimum = true, maximum = true,
  exclusiveMinimum = true, exclusiveMaximum = true, minItems = true, maxItems = true, minLength = true,
  maxLength = true, format = true, examples = true, default = true, uniqueItems = true, deprecated = true }

local function check_schema(s, path, file)
  if type(s) ~= "table" then return end
  for k, v in next, s do
    if type(k) == "string" and not SCHEMA_KEYS[k] and ssub(k, 1, 2) ~= "x-" then
      error(sformat(L("%s: %s: nieobsługiwane słowo kluczowe schematu '%s'%s", "%s: %s: unsupported schema keyword '%s'%s"), file, path, k, suggest(k, SCHEMA_KEYS)), 0)
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
    error(sformat(L("%s: %s: nieobsługiwany format '%s' (tylko date)", "%s: %s: unsupported format '%s' (only date)"), file, path, s.format), 0)
  end
end

-- Decoded JSON as plain tables (no missing-field signals): for data the prelude reads itself.
local function plain(v)
  if type(v) ~= "table" then return v end
  for _, x in next, v do plain(x) end
  if rawmt(v) == OBJ_MT and dsetmetatable then dsetmetatable(v, nil) end
  return v
end

function K.add_schema(file, schema)
  schema = plain(schema)
  check_schema(schema, "#", file)
  SCHEMAS[file] = schema
  COMPILED, PLANS, AT, AT_N = {}, {}, {}, 0
  K.field_names = nil
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
  if not s then error(sformat(L("brak pliku schematu '%s' (albo nie został wczytany)", "no schema file '%s' (or it did not load)"), f), 0) end
  if frag ~= "" then
    for part in sgmatch(frag, "[^/]+") do
      s = s[part]
      if s == nil then error(sformat(L("w '%s' nie ma '%s'", "'%s' has no '%s'"), f, part), 0) end
    end
  end
  return s, f
end

-- After every schema file has been added: what JSON can say but a schema must not — a "$ref"
-- that points nowhere, a "type" that is no JSON type, "required" or "enum" that are no lists.
-- Each problem "file\tpointer\tquoted value\tmessage" (the host finds the value's line); a schema
-- with a problem is taken out, so no profile is validated by half of it.
function K.check_schemas()
  local JSON_TYPES = { object = true, array = true, string = true, number = true, integer = true, boolean = true, null = true }
  local problems = {}
  local bad = {}
  local names = {}
  for f in next, SCHEMAS do names[#names + 1] = f end
  tsort(names)
  for _, file in ipairs(names) do
    local function say(path, value, pl, en, ...)
      problems[#problems + 1] = file .. "\t" .. path .. "\t" .. value .. "\t" .. sformat(L(pl, en), ...)
      bad[file] = true
    end
    local function walk(s, path)
      if type(s) ~= "table" then return end
      local ref = rawget(s, "$ref")
      if ref ~= nil then
        if type(ref) ~= "string" then
          say(path .. "/$ref", "\"$ref\"", "\"$ref\" musi być tekstem", "\"$ref\" must be text")
        else
          local ok, e = pcall(resolve_ref, ref, file)
          if not ok or e == nil then
            say(path .. "/$ref", "\"" .. ref .. "\"", "odwołanie '%s' nie wskazuje żadnej definicji (%s)", "reference '%s' points to no definition (%s)",
              ref, tostring(e))
          end
        end
      end
      local t = rawget(s, "type")
      if t ~= nil then
        local list = type(t) == "table" and t or { t }
        for _, x in ipairs(list) do
          if type(x) ~= "string" or not JSON_TYPES[x] then
            say(path .. "/type", "\"" .. tostring(x) .. "\"", "nieznany typ '%s'%s (typy JSON: object, array, string, number, integer, boolean, null)",
              "unknown type '%s'%s (JSON types: object, array, string, number, integer, boolean, null)", tostring(x), suggest(tostring(x), JSON_TYPES))
          end
        end
      end
      for _, key in ipairs({ "required", "enum" }) do
        local v = rawget(s, key)
        if v ~= nil and (type(v) ~= "table" or (next(v) ~= nil and v[1] == nil)) then
          say(path .. "/" .. key, "\"" .. key .. "\"", "\"%s\" musi być listą", "\"%s\" must be a list", key)
        end
      end
      if type(rawget(s, "properties")) == "table" then
        for k, v in next, s.properties do walk(v, path .. "/properties/" .. k) end
      end
      if type(rawget(s, "$defs")) == "table" then
        for k, v in next, s["$defs"] do walk(v, path .. "/$defs/" .. k) end
      end
      if type(rawget(s, "items")) == "table" then walk(s.items, path .. "/items") end
    end
    walk(SCHEMAS[file], "#")
  end
  for file in next, bad do
    for kind, f in next, SCHEMA_BY_KIND do if f == file then SCHEMA_BY_KIND[kind] = nil end end
    SCHEMAS[file] = nil
  end
  if next(bad) then COMPILED, PLANS, AT, AT_N = {}, {}, {}, 0; K.field_names = nil end
  tsort(problems)
  return problems
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

function show(v)
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
    local props, names = {}, {}
    for k, sub in pairs(s.properties or {}) do props[k] = compile(sub, file); names[#names + 1] = k end
    tsort(names)
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
      -- the known fields in name order, then the unknown ones in name order: the same problems
      -- in the same order on every run (a table's own order follows Lua's per-state hash seed)
      for i = 1, #names do
        local k = names[i]
        local x = rawget(v, k)
        if x ~= nil then
          PATH[d] = k
          props[k](x)
        end
      end
      if closed then
        local extra = {}
        for k in next, v do if props[k] == nil then extra[#extra + 1] = k end end
        if #extra > 1 then tsort(extra, function(a, b) return tostring(a) < tostring(b) end) end
        for i = 1, #extra do
          local k = extra[i]
          PATH[d] = k
          problem(L("pole znane ze schematu", "a field the schema knows") .. suggest(tostring(k), s.properties or {}), show(rawget(v, k)))
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

-- only: nil (both paths), "slow" or "fast" (tests compare the two; "fast" gives one problem for a no).
-- Returns the problems, and for a valid object from the fast path whether it has a key its schema's
-- own properties do not name (false: none; nil: not known).
local NO_PROBLEMS = setmetatable({}, { __newindex = function() error("NO_PROBLEMS is shared", 2) end })
-- Validation fused into decoding (kr_schema.c): a profile the JSON reader found valid against
-- the plan registered for its kind (KR_FUSE) is not walked again; a debug build walks it all the
-- same and fails loudly when the two disagree. kind: the profile's kind, to register its plan
-- once the C fast path has compiled it. (Taken away from rules after loading: kept here.) A third
-- result, true, says the reader's verdict was used.
local FUSE = { register = KR_FUSE, prevalid = KR_PREVALID, kinds = {} }
function validate(v, s, file, only, kind)
  -- the C fast path answers yes or no; only a no needs the words of the slow path
  if KR_VALID and only ~= "slow" then
    local plan = plan_of(s, file)
    if only == nil and FUSE.prevalid then
      local pre, pextra, recheck = FUSE.prevalid(v, plan)
      if pre then
        if recheck then
          local ok, extra = KR_VALID(v, plan, ARR_MT)
          if ok ~= true or extra ~= pextra then
            error(sformat("validation fused into decoding disagrees with KR_VALID (%s, %s; extra %s, %s)",
              tostring(pre), tostring(ok), tostring(pextra), tostring(extra)), 0)
          end
        end
        return NO_PROBLEMS, pextra, true
      end
    end
    local ok, extra = KR_VALID(v, plan, ARR_MT)
    if ok and kind and FUSE.register and FUSE.kinds[kind] ~= plan then
      FUSE.register(kind, plan)
      FUSE.kinds[kind] = plan
    end
    if ok then return NO_PROBLEMS, extra end
    if only == "fast" then return { { path = "$", expected = "valid", found = "invalid (fast path)" } } end
  end
  local check = compile(s, file)
  PROBLEMS, DEPTH = {}, 0
  check(v)
  local out = PROBLEMS
  PROBLEMS = nil
  return out
end

-- The schema node at a profile path ("employees[0].at_risk"), resolved, and its x-label (also
-- one written beside a "$ref"); nil when the path leads nowhere in the schema.
local function schema_at_now(kind, path)
  local file = SCHEMA_BY_KIND[kind]
  if not file then return nil end
  local s = SCHEMAS[file]
  local function deref(x)
    local guard = 0
    while x and x["$ref"] and guard < 10 do x, file = resolve_ref(x["$ref"], file); guard = guard + 1 end
    return x
  end
  s = deref(s)
  local xlabel = nil
  if path ~= "" then
    for seg in sgmatch(path, "[^%.]+") do
      local name, rest = smatch(seg, "^([^%[]*)(.*)$")
      if name ~= "" then
        local raw = s and s.properties and s.properties[name]
        xlabel = type(raw) == "table" and rawget(raw, "x-label") or nil
        s = deref(raw)
        if not xlabel and type(s) == "table" then xlabel = rawget(s, "x-label") end
      end
      for _ in sgmatch(rest, "%[%d+%]") do s = s and deref(s.items) end
      if not s then return nil end
    end
  end
  return s, xlabel
end
local function schema_at(kind, path)
  local byk = AT[kind]
  local hit = byk and byk[path]
  if hit then return hit[1], hit[2] end
  if hit == false then return nil end
  local s, xlabel = schema_at_now(kind, path)
  if AT_N >= 4096 then AT, AT_N, byk = {}, 0, nil end
  if not byk then byk = {}; AT[kind] = byk end
  byk[path] = s and { s, xlabel } or false
  AT_N = AT_N + 1
  return s, xlabel
end
-- Known property names of the schema node at a profile path (for "unknown field" errors).
function schema_props_at(kind, path)
  local s = schema_at(kind, path)
  return s and s.properties
end
-- The label the schema gives the field at a profile path: an employee's at_risk is not a member's.
function K.label_at(kind, path)
  local _, l = schema_at(kind, path)
  return l
end

-- Every property name of every schema, at any depth: what a rule may read from a profile. Asked
-- for every rule file as it loads: kept (K.field_names) until a schema is added.
local function field_names_now()
  local names, any = {}, false
  local seen = {}
  local function walk(t)
    if type(t) ~= "table" or seen[t] then return end
    seen[t] = true
    local props = rawget(t, "properties")
    if type(props) == "table" then
      for k in next, props do names[k] = true; any = true end
    end
    for _, v in next, t do walk(v) end
  end
  for _, s in next, SCHEMAS do walk(s) end
  return any and names or nil
end
function K.schema_field_names()
  if K.field_names == nil then K.field_names = field_names_now() or false end
  return K.field_names or nil
end
end
