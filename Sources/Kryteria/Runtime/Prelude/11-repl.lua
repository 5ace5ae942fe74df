-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- The REPL: a Lua expression with the profile in scope
-------------------------------------------------------------------------------
local function render(v, depth, seen)
  depth = depth or 0
  local t = type(v)
  if v == KR_NULL then return "null" end
  if t == "string" then return sformat("%q", v) end
  if t ~= "table" then return tostring(v) end
  if rawmt(v) == RESULT then
    return v.outcome .. (v.reason and (": " .. v.reason) or "")
  end
  if depth > 3 then return "{...}" end
  v = data_of(v)   -- a profile's view shows its data
  seen = seen or {}
  if seen[v] then return "{<cycle>}" end
  seen[v] = true
  local parts = {}
  local n = rawlen(v)
  for i = 1, n do parts[#parts + 1] = render(rawget(v, i), depth + 1, seen) end
  local keys = {}
  for k in next, v do if not (mtype(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end end
  tsort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, k in ipairs(keys) do
    parts[#parts + 1] = (type(k) == "string" and smatch(k, "^[%a_][%w_]*$") and k or ("[" .. render(k) .. "]")) ..
      " = " .. render(rawget(v, k), depth + 1, seen)
  end
  if #parts > 20 then parts = { tconcat(parts, ", ", 1, 20), "..." } end
  return "{ " .. tconcat(parts, ", ") .. " }"
end

function K.repl_eval(src, profile, opts)
  opts = opts or {}
  CTX.lang = rawget(opts, "lang") == "en" and "en" or "pl"
  CTX.as_of = rawget(opts, "as_of") or CTX.today
  CTX.root = profile
  local view = KR_PROTECT(profile)
  local env = setmetatable({ p = view, profile = view }, { __index = BASE_RO })
  local fn, err = load("return " .. src, "=repl", "t", env)
  if not fn then fn, err = load(src, "=repl", "t", env) end
  if not fn then return { ok = false, error = NW.lua_error(err) } end
  local res = { KR_GUARD(fn) }
  CTX.root = nil
  if not res[1] then
    local e = res[2]
    if is_missing(e) then
      local full = missing_path(e)
      return { ok = false, error = L("brak pola w profilu: ", "the profile has no field ") .. full }
    end
    return { ok = false, error = NW.lua_error(tostring(e)) }
  end
  local out = {}
  for i = 2, #res do out[#out + 1] = render(res[i]) end
  if #out == 0 then out[1] = "nil" end
  return { ok = true, value = tconcat(out, ", ") }
end

K.VERSION = "1"
