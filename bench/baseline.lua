-- The stock-Lua baseline for `make bench`: lua5.4 + lua-cjson, the same prelude and rule files.
-- usage: lua5.4 bench/baseline.lua PRELUDE_DIR RULES_DIR INPUT.jsonl OUTPUT.jsonl [rule-id]
local cjson = require "cjson"
local prelude, rules_dir, input, output, only = ...
KR_NULL = cjson.null
KR_GUARD = pcall
-- the prelude installs guarded pattern functions in the string table: keep the real gsub
local gsub = string.gsub
-- the prelude: a file, or the folder of its parts joined in name order into one chunk
local function read_prelude(path)
  local h = io.open(path .. "/00-core.lua", "rb")
  if not h then local f = assert(io.open(path, "rb")); local s = f:read("a"); f:close(); return s end
  h:close()
  local parts = {}
  local p = io.popen('ls "' .. path .. '"/*.lua | sort')
  for f in p:lines() do local fh = assert(io.open(f, "rb")); parts[#parts + 1] = fh:read("a"); fh:close() end
  p:close()
  return table.concat(parts, "\n")
end
assert(load(read_prelude(prelude), "=prelude", "t"))()
local K = __kr
-- empty JSON arrays must stay arrays: let cjson mark them, and the prelude recognise the mark
-- lua-cjson 2.1.0 decodes [] and {} alike; mark empty arrays that are member values before decoding
-- (a text rewrite: exact for these profiles, whose strings never contain ":[]")
local MARK = "\1[]"
K.EMPTY_ARRAY_MARK = MARK
local function decode(line)
  return cjson.decode((gsub(line, ":%s*%[%s*%]", ':["\\u0001[]"]')))
end

local function files(dir, ext)
  local list = {}
  local p = io.popen('find "' .. dir .. '" -name "*' .. ext .. '" -not -path "*/tests/*" | sort')
  for f in p:lines() do list[#list + 1] = f end
  p:close()
  return list
end
local function slurp(f) local h = assert(io.open(f, "rb")); local s = h:read("a"); h:close(); return s end

for _, f in ipairs(files(rules_dir, ".schema.json")) do
  K.add_schema(f:match("[^/]+$"), K.adopt(cjson.decode(slurp(f))))
end
for _, f in ipairs(files(rules_dir, ".lua")) do
  local r = K.load_file(slurp(f), f)
  if not r.ok then io.stderr:write(r.error, "\n") end
end
K.finish_loading()
K.configure({ ruleset = "baseline", today = os.date("%Y-%m-%d") })

local opts = { lang = "pl", rules = only and { only } or nil }
local out = assert(io.open(output, "wb"))
local n = 0
for line in io.lines(input) do
  n = n + 1
  opts.line = n
  local ok, v = pcall(decode, line)
  if ok then
    out:write(cjson.encode((K.evaluate(K.adopt(v), opts))), "\n")
  else
    out:write(cjson.encode({ line = n, error = { code = "malformed_json", message = tostring(v) } }), "\n")
  end
end
out:close()
io.stderr:write(n, " records\n")
