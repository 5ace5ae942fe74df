-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Loading rule and parameter files
-------------------------------------------------------------------------------
-- Loads one file (text only). Returns true, or false and a message "file:line: ...".
function K.load_file(source, chunkname)
  local env = file_env()
  local fn, err = load(source, "@" .. chunkname, "t", env)
  if not fn then return { ok = false, error = err } end
  LOADING = { file = chunkname, source = source, rules = {}, order = {}, params = {}, shared = {}, overrides = {}, current = nil }
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
  for _, o in ipairs(staged.overrides) do PX.overrides[#PX.overrides + 1] = o end
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
  PX.apply_overrides(problems)
  for _, f in ipairs(K.SOURCES) do
    local chunkname, source = f[1], f[2]
    local n = 0
    for line in sgmatch(source .. "\n", "([^\n]*)\n") do
      n = n + 1
      local code = sgsub(line, "%-%-.*$", "")
      for name in sgmatch(code, "param_for%s*%(%s*[\"']([^\"']+)[\"']") do
        if not PARAMS[name] then
          problems[#problems + 1] = sformat("%s:%d: unknown parameter '%s'%s", chunkname, n, name, suggest(name, PARAMS))
        end
      end
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
