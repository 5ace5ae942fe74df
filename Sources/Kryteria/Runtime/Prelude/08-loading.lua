-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Loading rule and parameter files
-------------------------------------------------------------------------------
-- What a rule file builds at load time is frozen once it has loaded: tables reachable from
-- its globals and from the variables its functions capture are made read-only in place
-- (the same views as profiles), so nothing a rule keeps can change from one record to the
-- next. Assignments to file-level variables inside functions are refused by scan_chunk.
do
local function frozen_refuse(_, k)
  error(sformat(L("dane zapisane w pliku reguł są tylko do odczytu (pole '%s'): reguła nie może przenosić stanu między profilami",
    "data kept by a rule file is read-only (field '%s'): a rule cannot carry state from one profile to the next"), tostring(k)), 2)
end
local function freeze_in_place(t, keep_mt)
  local hidden = {}
  for k, v in next, t do hidden[k] = v end
  for k in next, hidden do rawset(t, k, nil) end
  if keep_mt then dsetmetatable(hidden, keep_mt) end
  dsetmetatable(t, { __index = hidden, __newindex = frozen_refuse, __len = function() return rawlen(hidden) end,
    __pairs = function(x) return KR_NEXT, x, nil end, __name = VIEW_NAME, __metatable = false })
end

local function freeze_file(env, staged, chunkname, problems)
  local src = "@" .. chunkname
  local seen = { [BASE] = true, [BASE_RO] = true, [env] = true }
  -- the base's values, which a file's functions hold as upvalues when its names were made locals
  -- (see localized), are the engine's: never frozen by a file
  for _, v in next, BASE do seen[v] = true end
  local visit_val
  local function visit_fn(f)
    if seen[f] then return end
    seen[f] = true
    local info = getinfo(f, "S")
    if not info or info.source ~= src then return end   -- the prelude's own, or another file's
    -- a function that exists once the file has loaded must not change what it captured: a
    -- counter in a factory's closure would carry from one profile to the next (a file-level
    -- variable is reported by check_code already, at the same line)
    scan_chunk(f, function(kind, name, line)
      if kind ~= "set_file_local" then return end
      local where = chunkname .. ":" .. line .. ": "
      for _, p in ipairs(problems) do if ssub(p, 1, #where) == where then return end end
      problems[#problems + 1] = where .. sformat(L(
        "funkcja zmienia zmienną '%s' utworzoną przy wczytaniu pliku: jej wartość przechodziłaby z jednego profilu na następny; zadeklaruj ją jako local wewnątrz funkcji",
        "a function changes '%s', a variable made when the file loaded: its value would carry from one profile to the next; declare it local inside the function"), name)
    end, true)
    for i = 1, 255 do
      local name, v = dgetupvalue(f, i)
      if not name then break end
      if name ~= "_ENV" then visit_val(v) end
    end
  end
  visit_val = function(v)
    local t = type(v)
    if t == "function" then return visit_fn(v) end
    if t ~= "table" or seen[v] then return end
    seen[v] = true
    if rawmt(v) ~= nil then
      if GIVEN_MT[v] then
        problems[#problems + 1] = sformat(L("%s: tabela z własną metatablicą na poziomie pliku nie może zostać zamrożona; zbuduj ją wewnątrz funkcji",
          "%s: a file-level table with a metatable of its own cannot be frozen; build it inside the function"), chunkname)
      end
      return   -- the engine's own (results, views, read-only libraries): protected already
    end
    for k, x in next, v do visit_val(k); visit_val(x) end
    freeze_in_place(v)
  end
  for _, v in next, env do visit_val(v) end
  for _, r in pairs(staged.rules) do
    for _, v in pairs(r) do if type(v) == "function" then visit_fn(v) end end
    for _, c in ipairs(r.criteria) do
      for _, v in pairs(c) do if type(v) == "function" then visit_fn(v) end end
    end
  end
  for _, t in pairs(staged.shared) do
    for _, v in pairs(t) do if type(v) == "function" then visit_fn(v) end end
  end
  -- the file's globals: read-only from now on (the base library stays behind them)
  freeze_in_place(env, rawmt(env))
end

-- Load-time checks of what a file's code does, from its compiled form.
-- visits: what scan_chunk found in the file's code, { kind, name, line, f } each.
local function check_code(visits, env, staged, chunkname, problems)
  local crit_fn = {}   -- line where a criterion's check/applies function starts -> true
  local src = "@" .. chunkname
  local function note(f)
    local info = type(f) == "function" and getinfo(f, "S")
    if info and info.source == src then crit_fn[info.linedefined] = true end
  end
  for _, r in pairs(staged.rules) do
    for _, c in ipairs(r.criteria) do note(c.check); note(c.applies) end
  end
  for _, t in pairs(staged.shared) do note(t.check); note(t.applies) end
  local fields = not CTX.schemas_broken and K.schema_field_names() or nil
  local seen = {}
  for _, v in ipairs(visits) do
    local kind, name, line, f = v[1], v[2], v[3], v[4]
    local key = kind .. "\0" .. name .. "\0" .. line
    local where = chunkname .. ":" .. line .. ": "
    local again = seen[key]
    seen[key] = true
    if again then
      -- (reported once)
    elseif kind == "set_file_local" then
      problems[#problems + 1] = where .. sformat(L(
        "funkcja zmienia zmienną '%s' całego pliku: jej wartość przechodziłaby z jednego profilu na następny; zadeklaruj ją jako local wewnątrz funkcji",
        "a function changes '%s', a variable of the whole file: its value would carry from one profile to the next; declare it local inside the function"), name)
    elseif kind == "set_global" then
      problems[#problems + 1] = where .. sformat(L(
        "funkcja ustawia zmienną globalną '%s': reguły nie mogą przechowywać stanu; użyj local",
        "a function sets the global '%s': rules cannot keep state; use local"), name)
    elseif kind == "global" then
      if BASE[name] == nil and rawget(env, name) == nil then
        problems[#problems + 1] = where .. sformat(L("nieznana funkcja lub zmienna '%s'%s", "unknown function or variable '%s'%s"),
          name, suggest(name, BASE))
      end
    elseif kind == "return_constant" and crit_fn[f.line] then
      problems[#problems + 1] = where .. sformat(L(
        "kryterium zwraca %s zamiast wyniku: zwróć pass(...), fail(...), unknown(...) albo true/false",
        "a criterion returns a %s instead of a result: return pass(...), fail(...), unknown(...) or true/false"),
        name == "number" and L("liczbę", "number") or L("tekst", "text"))
    elseif kind == "param_field" and crit_fn[f.line] and fields and not fields[name] then
      problems[#problems + 1] = where .. sformat(L("pole '%s' nie występuje w żadnym schemacie profilu%s",
        "field '%s' is in no profile schema%s"), name, suggest(name, fields))
    end
  end
end

-- The file compiled again with the engine's names it reads (pass, param, oneof...) as locals of
-- its top level, declared on its first line (so every line keeps its number): a rule's function
-- then reaches them as upvalues. Read as globals, each went through the file's frozen environment
-- and its hidden table to the base, two missed lookups and two metatables (callgrind, ps-status:
-- some 80 such reads a record). Only names the file reads and never assigns; the values are the
-- base's, which never change once the prelude has run. Nil (the file as it was) when there is
-- nothing to gain or the new chunk does not compile (too many locals or upvalues).
local function localized(visits, source, chunkname, env)
  local names, seen, defined = {}, {}, {}
  for _, v in ipairs(visits) do
    local kind, name = v[1], v[2]
    if kind == "global" then
      if not seen[name] then seen[name] = true; names[#names + 1] = name end
    elseif kind == "set_global" or kind == "define_global" then
      defined[name] = true
    end
  end
  local keep = {}
  for _, name in ipairs(names) do
    if BASE[name] ~= nil and not defined[name] then keep[#keep + 1] = name end
  end
  if #keep == 0 or #keep > 100 then return nil end
  tsort(keep)
  local list = tconcat(keep, ",")
  return (load("local " .. list .. "=" .. list .. ";" .. source, "@" .. chunkname, "t", env))
end

-- Loads one file (text only). Returns true, or false and a message "file:line: ...".
function K.load_file(source, chunkname)
  local env = file_env()
  local fn, err = load(source, "@" .. chunkname, "t", env)
  if not fn then return { ok = false, error = err } end
  LOADING = { file = chunkname, source = source, rules = {}, order = {}, params = {}, shared = {}, overrides = {}, current = nil }
  local visits = {}
  scan_chunk(fn, function(kind, name, line, f) visits[#visits + 1] = { kind, name, line, f } end)
  local ok, e = KR_GUARD(localized(visits, source, chunkname, env) or fn)
  local staged = LOADING
  LOADING = nil
  if not ok then
    if is_missing(e) then
      e = chunkname .. L(": odczytuje pole profilu podczas wczytywania: ", ": reads a profile field at load time: ") .. tostring(e)
    end
    return { ok = false, error = NW.lua_error(tostring(e)) }
  end
  for id, r in pairs(staged.rules) do
    if #r.criteria == 0 then
      return { ok = false, error = sformat("%s: rule '%s' has no criteria", r.at or chunkname, id) }
    end
  end
  local problems = {}
  check_code(visits, env, staged, chunkname, problems)
  freeze_file(env, staged, chunkname, problems)
  if #problems > 0 then
    tsort(problems, function(a, b)
      local la, lb = tonumber(smatch(a, ":(%d+):")) or 0, tonumber(smatch(b, ":(%d+):")) or 0
      return la < lb
    end)
    return { ok = false, error = problems[1], problems = problems }
  end
  for id, r in pairs(staged.rules) do RULES[id] = r end
  for _, id in ipairs(staged.order) do RULE_ORDER[#RULE_ORDER + 1] = id end
  for name, p in pairs(staged.params) do PARAMS[name] = p end
  for name, t in pairs(staged.shared) do SHARED[name] = t end
  for _, o in ipairs(staged.overrides) do PX.overrides[#PX.overrides + 1] = o end
  K.SEAL[#K.SEAL + 1] = env
  K.SOURCES[#K.SOURCES + 1] = { chunkname, source }
  return { ok = true, rules = staged.order }
end
end
K.SEAL = {}
K.SOURCES = {}

-- After every file has loaded: refuse new globals from now on, check references.
function K.finish_loading(broken)
  broken = broken or {}
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
  -- A name that a broken file would have defined is reported once, at its cause: the file
  -- that uses it is "not loaded because X is broken", and is left out too.
  local dropped = {}
  local function guess(name)
    for _, f in ipairs(broken) do
      if smatch(f, "([^/]+)%.lua$") == name then return f end
    end
    return tconcat(broken, ", ")
  end
  local function unknown_rule(chunkname, n, id)
    if #broken > 0 then
      dropped[chunkname] = true
      return sformat(L("%s:%d: reguła '%s' nie została wczytana, bo plik %s jest uszkodzony (błąd opisany wyżej); ten plik też pominięto",
        "%s:%d: rule '%s' was not loaded because %s is broken (see above); this file is left out too"), chunkname, n, id, guess(id))
    end
    return sformat(L("%s:%d: nieznana reguła '%s'%s", "%s:%d: unknown rule '%s'%s"), chunkname, n, id, suggest(id, RULES))
  end
  local function unknown_param(chunkname, n, name)
    if #broken > 0 then
      dropped[chunkname] = true
      return sformat(L("%s:%d: parametr '%s' nie został wczytany, bo plik %s jest uszkodzony (błąd opisany wyżej); ten plik też pominięto",
        "%s:%d: parameter '%s' was not loaded because %s is broken (see above); this file is left out too"), chunkname, n, name, tconcat(broken, ", "))
    end
    return sformat(L("%s:%d: nieznany parametr '%s'%s", "%s:%d: unknown parameter '%s'%s"), chunkname, n, name, suggest(name, PARAMS))
  end
  -- every param "name" written in a rule file must name a declared parameter: a typo is
  -- reported now, with its file:line, not when a case reaches that line
  local problems = {}
  local refs = {}   -- { file, rule id } for every call of another rule
  resolve_shared(problems)
  PX.apply_overrides(problems)
  for _, f in ipairs(K.SOURCES) do
    local chunkname, source = f[1], f[2]
    local n = 0
    for line in sgmatch(source .. "\n", "([^\n]*)\n") do
      n = n + 1
      -- (the patterns only on lines that name param, a rule call or requires_each: run on every
      -- line of every file, they were a quarter of the start-up's instructions; each name a whole
      -- word: a parameter named "….param" followed by another text is not a call of param)
      local has_param, has_rule = sfind(line, "param", 1, true), sfind(line, "_rule", 1, true)
      local has_each = sfind(line, "requires_each", 1, true)
      if has_param or has_rule or has_each then
        local code = sfind(line, "--", 1, true) and sgsub(line, "%-%-.*$", "") or line
        if has_param then
          for name in sgmatch(code, "%f[%w_.]param_for%s*%(%s*[\"']([^\"']+)[\"']") do
            if not PARAMS[name] then problems[#problems + 1] = unknown_param(chunkname, n, name) end
          end
          for name in sgmatch(code, "%f[%w_.]param%s*%(?%s*[\"']([^\"']+)[\"']") do
            if not PARAMS[name] then problems[#problems + 1] = unknown_param(chunkname, n, name) end
          end
        end
        if has_rule then
          for fn, id in sgmatch(code, "([%w_]*_rule)%s*%(%s*[\"']([^\"']+)[\"']") do
            if fn == "check_rule" or fn == "requires_rule" then
              refs[#refs + 1] = { chunkname, id }
              if not RULES[id] then problems[#problems + 1] = unknown_rule(chunkname, n, id) end
            end
          end
        end
        if has_each then
          for id in sgmatch(code, "%f[%w_.]requires_each%s*%(%s*[\"']([^\"']+)[\"']") do
            refs[#refs + 1] = { chunkname, id }
            if not RULES[id] then problems[#problems + 1] = unknown_rule(chunkname, n, id) end
          end
        end
      end
    end
  end
  K.SOURCES = {}
  -- what depends on a file left out is left out too: rules that call its rules or use its
  -- shared criteria, until nothing more changes
  local changed = next(dropped) ~= nil
  while changed do
    changed = false
    local gone = {}
    for id, r in pairs(RULES) do if dropped[r.file] then gone[id] = true end end
    for _, ref in ipairs(refs) do
      if not dropped[ref[1]] and gone[ref[2]] then dropped[ref[1]] = true; changed = true end
    end
    for _, r in pairs(RULES) do
      if not dropped[r.file] then
        for _, c in ipairs(r.criteria) do
          local t = c.uses and SHARED[c.uses]
          local tfile = t and t.at and smatch(t.at, "^(.-):%d+$")
          if tfile and dropped[tfile] then
            dropped[r.file] = true; changed = true
            problems[#problems + 1] = sformat(L("%s: wspólne kryterium '%s' pochodzi z pominiętego pliku %s; ta reguła też jest pominięta",
              "%s: shared criterion '%s' comes from %s, which is left out; this rule is left out too"), c.at or r.file, c.uses, tfile)
            break
          end
        end
      end
    end
  end
  if next(dropped) then
    local keep = {}
    for _, id in ipairs(RULE_ORDER) do
      if dropped[RULES[id].file] then RULES[id] = nil else keep[#keep + 1] = id end
    end
    for i = #RULE_ORDER, 1, -1 do RULE_ORDER[i] = nil end
    for i, id in ipairs(keep) do RULE_ORDER[i] = id end
  end
  return { rules = #RULE_ORDER, problems = problems }
end
