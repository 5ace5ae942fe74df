-- Part of the Kryteria prelude. The parts are read in file-name order and run as ONE chunk
-- (Runtime.preludeSource): a local of an earlier part is in scope in the later ones.

-------------------------------------------------------------------------------
-- Rules calling rules
-------------------------------------------------------------------------------
local run_rule, run_rule_body  -- forward

-- Evaluates rule `id` on `subject` and returns its result table
-- (outcome, criteria, amount, score). The caller decides what it means.
local CHAIN, CHAIN_N = {}, 0   -- the rules being evaluated, outermost first
local function check_rule(id, subject)
  local r = RULES[id]
  if not r then error("unknown rule '" .. tostring(id) .. "'", 2) end
  if type(subject) ~= "table" then error("check_rule: the subject must be a profile table", 2) end
  for i = 1, CHAIN_N do
    if CHAIN[i] == id then
      local names = {}
      for j = i, CHAIN_N do names[#names + 1] = CHAIN[j] end
      names[#names + 1] = id
      local where = caller_location()
      error((where and (where .. ": ") or "") .. sformat("rule '%s' calls itself (%s)", id, tconcat(names, " → ")), 0)
    end
  end
  return run_rule(r, subject)
end

-- A criterion result from another rule's outcome: eligible -> pass, ineligible -> fail.
local OUTCOME_PL = { eligible = "SPEŁNIA", ineligible = "NIE SPEŁNIA", undetermined = "NIEUSTALONE" }
local OUTCOME_EN = { eligible = "ELIGIBLE", ineligible = "NOT ELIGIBLE", undetermined = "UNDETERMINED" }
local function requires_rule(id, subject, who)
  local res = check_rule(id, subject)
  local r = RULES[id]
  -- the criteria as the engine keeps them: ten values each, 1 id, 3 outcome, 4 reason, 6 missing
  -- (see CRIT_FLAT in 10-evaluation)
  local F = res.criteria
  -- an error inside the called rule (e.g. a parameter not in force) is an error here too
  if res.outcome ~= "ineligible" then
    for b = 0, #F - 1, 10 do
      if F[b + 3] == "error" then error(id .. " " .. F[b + 1] .. ": " .. tostring(F[b + 4]), 0) end
    end
  end
  local words = CTX.lang == "en" and OUTCOME_EN or OUTCOME_PL
  local head = (who and (text(who) .. ": ") or "") .. text(r.title) .. ": " .. words[res.outcome]
  local details = {}
  local want = res.outcome == "eligible" and "pass" or (res.outcome == "ineligible" and "fail")
  for b = 0, #F - 1, 10 do
    if F[b + 3] == want then details[#details + 1] = F[b + 1] .. " " .. (F[b + 4] or "") end
  end
  local reason = head
  if #details > 0 then reason = reason .. " (" .. tconcat(details, "; ") .. ")" end
  if res.outcome == "eligible" then return pass(reason) end
  if res.outcome == "ineligible" then return fail(reason) end
  local u = mk("unknown", reason)
  local miss = {}
  for b = 0, #F - 1, 10 do
    local m = F[b + 6]
    if m then for _, x in ipairs(m) do miss[#miss + 1] = x end end
  end
  u[3] = miss
  return u
end

-- Every item must meet rule `id`: pick(item) gives the profile to check (default: the item),
-- who(i, item) names it in reasons. Fails if any fails, unknown if any is undetermined.
local function requires_each(id, list, pick, who)
  if #list == 0 then return fail(L("brak pozycji do sprawdzenia", "nothing to check")) end
  local fails, opens, missing, oks = {}, {}, {}, {}
  local passed = 0
  for i = 1, #list do
    local item = list[i]
    local label = who and who(i, item) or (L("pozycja ", "item ") .. i)
    local ok, r = pcall(function() return requires_rule(id, pick and pick(item) or item, label) end)
    if not ok then
      if not is_missing(r) then error(r, 0) end
      missing[#missing + 1] = r
      opens[#opens + 1] = label .. ": " .. L("brak danych", "missing data")
    elseif r[1] == "fail" then fails[#fails + 1] = r[2]
    elseif r[1] == "unknown" then
      opens[#opens + 1] = r[2]
      for _, m in ipairs(r[3] or {}) do missing[#missing + 1] = m end
    else passed = passed + 1; oks[#oks + 1] = r[2] end
  end
  local head = sformat(L("spełnia %d z %d", "%d of %d meet it"), passed, #list)
  if #fails > 0 then return fail(head .. "; " .. tconcat(fails, "; ")) end
  if #opens > 0 then
    local u = mk("unknown", head .. "; " .. tconcat(opens, "; "))
    u[3] = missing
    return u
  end
  return pass(head .. ": " .. tconcat(oks, "; "))
end
