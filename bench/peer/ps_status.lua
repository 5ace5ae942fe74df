-- The hand-written peer of `make bench`: the ps-status decision (PS-01..PS-11 of Rules/ps-status.lua) in plain
-- stock Lua 5.4 with lua-cjson, no framework, no sandbox, no schema validation.
--
-- usage: lua5.4 bench/peer/ps_status.lua < profiles.jsonl > results.jsonl
--
-- One JSON line in, one JSON line out, in input order. A result names the rule outcome (eligible / ineligible /
-- undetermined) and, per criterion, its outcome (pass / fail / unknown / not_applicable), a Polish reason that
-- quotes the values used (the same wording as the shipped rule), the legal basis and the missing fields. An absent
-- field is unknown, not false: the criterion that needs it answers unknown and names it, like the engine does.
-- Parameters (Rules/parameters/ps.lua, wages.lua) are resolved by the profile's as-of date.
--
-- Deliberate simplifications (this is a measuring peer, not a second implementation of the engine):
--  * no JSON Schema validation: only "is a JSON object of kind enterprise"; a wrong type inside a profile gives an
--    error line for that record;
--  * an employee with a nested person profile and no at_risk flag is unknown (missing employees[i].at_risk),
--    where the engine would call the at-risk-person rule;
--  * no criterion labels, assumptions, rule title or ruleset hash in the output (the engine writes them).
local cjson = require "cjson"
local decode, encode, null = cjson.decode, cjson.encode, cjson.null
local format, concat, floor = string.format, table.concat, math.floor
local gsub, sub = string.gsub, string.sub

-------------------------------------------------------------------------------- parameters, by date
local PARAMS = {
  min_employees = { { "2022-10-30", 3 } },
  min_fte = { { "2022-10-30", 0.5 } },
  at_risk_share = { { "2022-10-30", 0.30 } },
  pay_cap_multiple = { { "2022-10-30", 3 } },
  reapply_bar_years = { { "2022-10-30", 1 } },
  average_wage_enterprise_annual = { { "2024-02-01", 7444.39 }, { "2025-02-01", 8265.92 } },
}
-- the value in force on `date` (ISO strings compare as dates), or nil and a reason
local function param(name, date)
  local vals, v = PARAMS[name], nil
  for i = 1, #vals do
    if vals[i][1] <= date then v = vals[i][2] else break end
  end
  if v == nil then
    return nil, format("parametr '%s' nie ma wartości obowiązującej %s (pierwsza wartość obowiązuje od %s)",
      name, date, vals[1][1])
  end
  return v
end

-------------------------------------------------------------------------------- numbers and dates, Polish style
local function grouped(n)          -- 1234567 -> "1 234 567"
  local s = format("%d", n)
  local len = #s
  if len <= 3 then return s end
  local head = len % 3
  local out = head > 0 and { sub(s, 1, head) } or {}
  for i = head + 1, len, 3 do out[#out + 1] = sub(s, i, i + 2) end
  return concat(out, " ")
end
-- at most `dec` decimals, trailing zeros dropped, decimal comma
local function num(x, dec)
  if x == floor(x) and x > -1000 and x < 1000 then return format("%d", x) end
  local neg = x < 0
  if neg then x = -x end
  local scale = 10 ^ (dec or 2)
  x = floor(x * scale + 0.5) / scale
  local ip = floor(x)
  local s = grouped(ip)
  local frac = x - ip
  if frac > 0 then
    local fs = gsub(sub(format("%." .. (dec or 2) .. "f", frac), 3), "0+$", "")
    if fs ~= "" then s = s .. "," .. fs end
  end
  return neg and ("-" .. s) or s
end
local function money(x)
  local neg = x < 0
  local g = floor((neg and -x or x) * 100 + 0.5)
  local s = grouped(g // 100) .. "," .. format("%02d", g % 100) .. " zł"
  return neg and ("-" .. s) or s
end
local function pct(share) return num(share * 100, 1) .. "%" end

local function days(y, m, d)       -- days since 1970-01-01 (proleptic Gregorian)
  if m <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
  return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
end
local function civil(z)
  z = z + 719468
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  return yoe + era * 400 + (m <= 2 and 1 or 0), m, d
end
local MDAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
local function month_len(y, m)
  if m == 2 and ((y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0) then return 29 end
  return MDAYS[m]
end
local function ymd(s)
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then error("not a date YYYY-MM-DD: " .. tostring(s), 0) end
  return tonumber(y), tonumber(m), tonumber(d)
end
-- the day on which a bar of `years` from `s` is over: same day `years` later (clamped to the month), plus one day
local function bar_over(s, years)
  local y, m, d = ymd(s)
  y = y + years
  local ml = month_len(y, m)
  if d > ml then d = ml end
  return format("%04d-%02d-%02d", civil(days(y, m, d) + 1))
end

-------------------------------------------------------------------------------- the rule
local RULE_BASIS_JSON = encode("ustawa z 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2024 poz. 113)")
local FORMS = {
  social_cooperative = "spółdzielnia socjalna", labour_cooperative = "spółdzielnia pracy",
  disabled_cooperative = "spółdzielnia inwalidów / niewidomych", agricultural_cooperative = "spółdzielnia produkcji rolnej",
  foundation = "fundacja", association = "stowarzyszenie", nonprofit_company = "spółka non-profit",
  sports_club = "klub sportowy", church_legal_person = "kościelna osoba prawna",
  jst_association = "związek jednostek samorządu terytorialnego",
  cis = "centrum integracji społecznej", kis = "klub integracji społecznej",
  zaz = "zakład aktywności zawodowej", wtz = "warsztat terapii zajęciowej",
}
local NOT_SE = {
  political_party = "partia polityczna", trade_union = "związek zawodowy",
  employers_organisation = "organizacja pracodawców", professional_self_government = "samorząd zawodowy",
  commercial_company = "spółka handlowa działająca dla zysku",
}
-- the body each form must have (art. 7): accepted body ids, then its Polish name
local NEEDED_BODY = {
  foundation = { "consultative_body", nil, "organ konsultacyjno-doradczy" },
  association = { "consultative_body", nil, "organ konsultacyjno-doradczy" },
  nonprofit_company = { "supervisory_board", "audit_committee", "rada nadzorcza lub komisja rewizyjna" },
  sports_club = { "supervisory_board", "audit_committee", "rada nadzorcza lub komisja rewizyjna" },
  social_cooperative = { "consultation_meeting", nil, "zebranie konsultacyjne" },
}
local BASIS = {
  ["PS-01"] = "art. 2 pkt 5", ["PS-02"] = "art. 3 ust. 1", ["PS-03"] = "art. 3 ust. 2", ["PS-04"] = "art. 4 ust. 1",
  ["PS-05"] = "art. 5 ust. 1", ["PS-06"] = "art. 5 ust. 2", ["PS-07"] = "art. 7",
  ["PS-08"] = "wytyczne ministerstwa (statut/umowa spółki)",
  ["PS-09"] = "art. 9 u.e.s. (krotność niezweryfikowana) w zw. z art. 9 ust. 1 pkt 2 ustawy o działalności pożytku publicznego i o wolontariacie",
  ["PS-10"] = "art. 10 ust. 1", ["PS-11"] = "art. 18",
}
-- A criterion's result is written as JSON text at once (cjson escapes the reason and the missing paths): no
-- result tables, and "missing": [] stays an array (lua-cjson 2.1.0 writes an empty table as {}).
local HEAD = {}
for id, basis in pairs(BASIS) do
  HEAD[id] = '{"id":"' .. id .. '","legal_basis":' .. encode(basis) .. ',"outcome":"'
end
local OUTCOME = {}   -- the outcomes of the current record, by criterion number
local function res(i, id, outcome, reason, missing)
  OUTCOME[i] = outcome
  return HEAD[id] .. outcome .. '","reason":' .. encode(reason) .. ',"missing":' .. (missing and encode(missing) or "[]") .. "}"
end
local function unknown(i, id, field)
  return res(i, id, "unknown", "brak danych: " .. field, { field })
end

local function qualifies(x, min_fte)
  local c = x.contract
  if c == nil then return nil, "contract" end
  if c ~= "employment" and c ~= "cooperative_employment" then return false end
  if x.fte == nil then return nil, "fte" end
  return x.fte >= min_fte
end

-- returns the criteria of one enterprise and the rule outcome
local function ps_status(e, as_of)
  local c = {}
  local form = e.legal_form

  -- PS-01 legal form of a social economy entity
  if form == nil then c[1] = unknown(1, "PS-01", "legal_form")
  elseif FORMS[form] then c[1] = res(1, "PS-01", "pass", "forma prawna: " .. FORMS[form])
  else
    c[1] = res(1, "PS-01", "fail", "forma prawna: " .. (NOT_SE[form] or form) .. " — nie jest podmiotem ekonomii społecznej")
  end

  -- PS-02 a paid activity
  local paid = e.paid_activity
  if paid == nil then c[2] = unknown(2, "PS-02", "paid_activity")
  elseif #paid > 0 then c[2] = res(2, "PS-02", "pass", "rodzaje działalności odpłatnej: " .. concat(paid, ", "))
  else c[2] = res(2, "PS-02", "fail", "brak działalności odpłatnej") end

  -- PS-03 no public control (social cooperatives founded by legal persons excepted)
  local pc = e.public_control
  if pc == nil then c[3] = unknown(3, "PS-03", "public_control")
  elseif not pc then c[3] = res(3, "PS-03", "pass", "brak kontroli publicznej")
  elseif form == nil then c[3] = unknown(3, "PS-03", "legal_form")
  elseif form == "social_cooperative" and e.founded_by_legal_persons == nil then
    c[3] = unknown(3, "PS-03", "founded_by_legal_persons")
  elseif form == "social_cooperative" and e.founded_by_legal_persons then
    c[3] = res(3, "PS-03", "pass", "spółdzielnia socjalna założona przez osoby prawne — wyjątek od zakazu kontroli publicznej")
  else
    c[3] = res(3, "PS-03", "fail", "podmiot kontrolowany przez sektor publiczny (forma: " .. form .. ")")
  end

  -- PS-04 purpose
  local t = e.ps_type
  if t == nil then c[4] = unknown(4, "PS-04", "ps_type")
  elseif t == "reintegration" then c[4] = res(4, "PS-04", "pass", "typ: reintegracyjny")
  elseif t == "social_services" then c[4] = res(4, "PS-04", "pass", "typ: usługi społeczne")
  else c[4] = res(4, "PS-04", "fail", "podmiot nie realizuje ani reintegracji, ani usług społecznych") end

  -- PS-05 at least 3 people on an employment contract, each at least 1/2 FTE; PS-06 30 % of them at risk
  local staff = e.employees
  local min_fte, min_emp, min_share = param("min_fte", as_of), param("min_employees", as_of), param("at_risk_share", as_of)
  if staff == nil then
    c[5] = unknown(5, "PS-05", "employees")
  else
    local n, open = 0, nil
    for i = 1, #staff do
      local q, miss = qualifies(staff[i], min_fte)
      if q == nil then open = format("employees[%d].%s", i - 1, miss) break end
      if q then n = n + 1 end
    end
    if open then c[5] = unknown(5, "PS-05", open)
    elseif n >= min_emp then
      c[5] = res(5, "PS-05", "pass", format("zatrudnionych na min. 1/2 etatu: %s, wymagane co najmniej %s", num(n), num(min_emp)))
    else
      c[5] = res(5, "PS-05", "fail", format("zatrudnionych na min. 1/2 etatu: %s, wymagane co najmniej %s (brakuje %s)",
        num(n), num(min_emp), num(min_emp - n)))
    end
  end
  if t == nil then c[6] = unknown(6, "PS-06", "ps_type")
  elseif t ~= "reintegration" then c[6] = res(6, "PS-06", "not_applicable", "nie dotyczy: typ usług społecznych")
  elseif staff == nil then c[6] = unknown(6, "PS-06", "employees")
  else
    local yes, open, missing = 0, 0, nil
    for i = 1, #staff do
      local x = staff[i]
      local q, miss = qualifies(x, min_fte)
      if q == nil then missing = { format("employees[%d].%s", i - 1, miss) } open = -1 break end
      if q then
        local r = x.at_risk
        if r == true then yes = yes + 1
        elseif r == nil then
          open = open + 1
          missing = missing or {}
          missing[#missing + 1] = format("employees[%d].at_risk", i - 1)
        end
      end
    end
    local total = #staff
    local what = "osoby zagrożone wykluczeniem wśród zatrudnionych"
    if open < 0 then
      c[6] = res(6, "PS-06", "unknown", "brak danych: " .. missing[1], missing)
    elseif total == 0 then
      c[6] = res(6, "PS-06", "fail", format("%s: brak osób w podstawie (0 z 0), wymagane %s", what, pct(min_share)))
    elseif yes >= min_share * total - 1e-9 or (open > 0 and yes + open < min_share * total - 1e-9) or open == 0 then
      local ok = yes >= min_share * total - 1e-9
      c[6] = res(6, "PS-06", ok and "pass" or "fail", format("%s: %s (%s z %s), wymagane co najmniej %s",
        what, pct(yes / total), num(yes), num(total), pct(min_share)))
    else
      c[6] = res(6, "PS-06", "unknown",
        format("osoby zagrożone: %d pewne i %d nieustalone z %d zatrudnionych, wymagane %s — brak danych: %s",
          yes, open, total, pct(min_share), concat(missing, ", ")), missing)
    end
  end

  -- PS-07 the body the legal form requires
  if form == nil then c[7] = unknown(7, "PS-07", "legal_form")
  else
    local need = NEEDED_BODY[form]
    if not need then c[7] = res(7, "PS-07", "not_applicable", "nie dotyczy tej formy prawnej")
    else
      local bodies = e.bodies
      if bodies == nil then c[7] = unknown(7, "PS-07", "bodies")
      else
        local found = false
        for i = 1, #bodies do
          local b = bodies[i]
          if b == need[1] or b == need[2] then found = true break end
        end
        c[7] = res(7, "PS-07", found and "pass" or "fail", (found and "jest: " or "brak: ") .. need[3])
      end
    end
  end

  -- PS-08 statute clauses (companies)
  if form == nil then c[8] = unknown(8, "PS-08", "legal_form")
  elseif form ~= "nonprofit_company" and form ~= "sports_club" then
    c[8] = res(8, "PS-08", "not_applicable", "nie dotyczy: wymóg dla spółek")
  else
    local s = e.statute
    if s == nil then c[8] = unknown(8, "PS-08", "statute")
    else
      local lacking, open = {}, nil
      for _, k in ipairs { "not_for_profit", "income_to_statutory_aims", "no_profit_distribution" } do
        local v = s[k]
        if v == nil then open = "statute." .. k break end
        if not v then lacking[#lacking + 1] = k end
      end
      if open then c[8] = unknown(8, "PS-08", open)
      elseif #lacking == 0 then c[8] = res(8, "PS-08", "pass", "statut zawiera wszystkie trzy klauzule")
      else c[8] = res(8, "PS-08", "fail", "w statucie brakuje: " .. concat(lacking, ", ")) end
    end
  end

  -- PS-09 pay cap: a multiple of last year's average wage in the enterprise sector
  local k, base = param("pay_cap_multiple", as_of), nil
  local why
  base, why = param("average_wage_enterprise_annual", as_of)
  local pay = e.max_monthly_salary
  if base == nil then c[9] = res(9, "PS-09", "error", why)
  elseif pay == nil then c[9] = unknown(9, "PS-09", "max_monthly_salary")
  else
    local cap = k * base
    local what = format("najwyższe wynagrodzenie miesięczne (limit: %s × %s)", num(k), money(base))
    if pay <= cap then
      c[9] = res(9, "PS-09", "pass", format("%s: %s, nie przekracza limitu %s", what, money(pay), money(cap)))
    else
      local gap = pay - cap
      c[9] = res(9, "PS-09", "fail", format("%s: %s, przekracza limit %s o %s", what, money(pay), money(cap),
        gap < 0.005 and "mniej niż 1 grosz" or money(gap)))
    end
  end

  -- PS-10 annual report by 31 March of the next year (the last report whose deadline has passed)
  local y = tonumber(sub(as_of, 1, 4))
  local due_year = (as_of > format("%04d-03-31", y)) and y - 1 or y - 2
  local founded = e.founded_on
  if founded ~= nil and founded ~= null and tonumber(sub(founded, 1, 4)) > due_year then
    c[10] = res(10, "PS-10", "not_applicable", "nie dotyczy: podmiot nie miał jeszcze obowiązku złożenia sprawozdania")
  else
    local filed = e.last_report_filed_on
    if filed == nil then c[10] = unknown(10, "PS-10", "last_report_filed_on")
    else
      local since, due = format("%04d-01-01", due_year + 1), format("%04d-03-31", due_year + 1)
      if filed >= since and filed <= due then
        c[10] = res(10, "PS-10", "pass", format("sprawozdanie za %d r. złożono %s (termin: %s)", due_year, filed, due))
      elseif filed > format("%04d-12-31", due_year + 1) then
        c[10] = res(10, "PS-10", "pass", format("ostatnie sprawozdanie (za %d r.) złożono %s, przed terminem; sprawozdanie za %d r. uznano za złożone w terminie",
          due_year + 1, filed, due_year))
      elseif filed > due then
        c[10] = res(10, "PS-10", "fail", format("sprawozdanie za %d r. złożono %s — po terminie (%s)", due_year, filed, due))
      else
        c[10] = res(10, "PS-10", "fail", format("ostatnie sprawozdanie złożono %s; brak sprawozdania za %d r. (termin: %s)",
          filed, due_year, due))
      end
    end
  end

  -- PS-11 a year's bar after a loss of status became final
  local lost = e.status_lost_on
  if lost == nil then c[11] = unknown(11, "PS-11", "status_lost_on")
  elseif lost == null then c[11] = res(11, "PS-11", "pass", "podmiot nie tracił statusu PS")
  else
    local from = bar_over(lost, param("reapply_bar_years", as_of))
    if as_of >= from then
      c[11] = res(11, "PS-11", "pass", "utrata statusu: " .. lost .. ", wniosek możliwy od " .. from)
    else
      c[11] = res(11, "PS-11", "fail", "utrata statusu: " .. lost .. ", nowy wniosek dopiero od " .. from)
    end
  end

  local any_fail, any_open = false, false
  for i = 1, 11 do
    local o = OUTCOME[i]
    if o == "fail" then any_fail = true elseif o == "unknown" or o == "error" then any_open = true end
  end
  return c, any_fail and "ineligible" or (any_open and "undetermined" or "eligible")
end

-------------------------------------------------------------------------------- JSON Lines in, JSON Lines out
local today = os.date("!%Y-%m-%d")
local write = io.write
local function fail_line(n, code, message)
  write(encode({ line = n, error = { code = code, message = message } }), "\n")
end

local function one(n, line)
  local ok, e = pcall(decode, line)
  if not ok then return fail_line(n, "malformed_json", format("line %d: %s", n, tostring(e))) end
  if type(e) ~= "table" or e.kind ~= "enterprise" then
    return fail_line(n, "invalid_profile", "$.kind: expected \"enterprise\"")
  end
  local as_of, src = e.as_of, "profile"
  if as_of == nil or as_of == null then as_of, src = today, "today" end
  local ok2, crits, outcome = pcall(ps_status, e, as_of)
  if not ok2 then return fail_line(n, "invalid_profile", tostring(crits)) end
  write('{"line":', n, ',"id":', encode(e.id), ',"kind":"enterprise","as_of":', encode(as_of), ',"as_of_source":"', src,
    '","lang":"pl","results":[{"rule":"ps-status","outcome":"', outcome, '","legal_basis":', RULE_BASIS_JSON,
    ',"criteria":[', concat(crits, ","), "]}]}\n")
end

local n = 0
for line in io.lines() do
  n = n + 1
  if line:find("%S") then one(n, line) end   -- blank lines give no result, as in kryteria batch
end
