-- Status przedsiębiorstwa społecznego (PS)
-- ustawa z dnia 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2022 poz. 1812; t.j. Dz.U. 2024 poz. 113),
-- w mocy od 2022-10-30. Status nadaje wojewoda w drodze decyzji.

rule "ps-status" {
  applies_to = "enterprise",
  title = { pl = "Status przedsiębiorstwa społecznego", en = "Social enterprise status" },
  basis = "ustawa z 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2024 poz. 113)",
}

-- Formy prawne podmiotów ekonomii społecznej, które mogą uzyskać status PS (art. 2 pkt 5).
local FORMS = {
  social_cooperative = "spółdzielnia socjalna", labour_cooperative = "spółdzielnia pracy",
  disabled_cooperative = "spółdzielnia inwalidów / niewidomych", agricultural_cooperative = "spółdzielnia produkcji rolnej",
  foundation = "fundacja", association = "stowarzyszenie", nonprofit_company = "spółka non-profit",
  sports_club = "klub sportowy", church_legal_person = "kościelna osoba prawna",
  jst_association = "związek jednostek samorządu terytorialnego",
  cis = "centrum integracji społecznej", kis = "klub integracji społecznej",
  zaz = "zakład aktywności zawodowej", wtz = "warsztat terapii zajęciowej",
}
local EXCLUDED = {
  political_party = "partia polityczna", trade_union = "związek zawodowy",
  employers_organisation = "organizacja pracodawców", professional_self_government = "samorząd zawodowy",
  commercial_company = "spółka handlowa działająca dla zysku",
}

criterion "PS-01" {
  basis = "art. 2 pkt 5",
  pl = "Forma prawna podmiotu ekonomii społecznej",
  en = "Eligible legal form of a social economy entity",
  check = function(e)
    local f = e.legal_form
    if FORMS[f] then
      return pass(about("legal_form", f))
    end
    return fail(about("legal_form", f) .. L(" — nie jest podmiotem ekonomii społecznej", " — not a social economy entity"))
  end,
}

criterion "PS-02" {
  basis = "art. 3 ust. 1",
  pl = "Prowadzi działalność odpłatną (gospodarczą, odpłatną pożytku publicznego lub inną odpłatną)",
  en = "Runs a paid activity (business, paid public-benefit or other paid)",
  check = function(e)
    local n = #e.paid_activity
    if n > 0 then
      return pass(about("paid_activity", e.paid_activity))
    end
    return fail { pl = "brak działalności odpłatnej", en = "no paid activity" }
  end,
}

criterion "PS-03" {
  basis = "art. 3 ust. 2",
  pl = "Brak kontroli Skarbu Państwa, JST ani państwowych lub samorządowych osób prawnych",
  en = "Not controlled by the State Treasury, local government or a state or local legal person",
  check = function(e)
    if not e.public_control then
      return pass { pl = "brak kontroli publicznej", en = "no public control" }
    end
    if e.legal_form == "social_cooperative" and e.founded_by_legal_persons then
      return pass { pl = "spółdzielnia socjalna założona przez osoby prawne — wyjątek od zakazu kontroli publicznej",
                    en = "social cooperative founded by legal persons — exempt from the public-control bar" }
    end
    return fail(L("podmiot kontrolowany przez sektor publiczny (", "controlled by the public sector (") .. about("legal_form", e.legal_form) .. ")")
  end,
}

criterion "PS-04" {
  basis = "art. 4 ust. 1",
  pl = "Cel: reintegracja osób zagrożonych wykluczeniem albo usługi społeczne",
  en = "Purpose: reintegration of people at risk of exclusion, or social services",
  check = function(e)
    if e.ps_type == "reintegration" then
      return pass { pl = "typ: reintegracyjny", en = "type: reintegration" }
    elseif e.ps_type == "social_services" then
      return pass { pl = "typ: usługi społeczne", en = "type: social services" }
    end
    return fail { pl = "podmiot nie realizuje ani reintegracji, ani usług społecznych",
                  en = "the entity pursues neither reintegration nor social services" }
  end,
}

local function qualifying(x)
  return oneof(x.contract, "employment", "cooperative_employment") and x.fte >= param "ps.min_fte"
end

criterion "PS-05" {
  basis = "art. 5 ust. 1",
  pl = "Co najmniej {ps.min_employees|osoba|osoby|osób} na umowę o pracę lub spółdzielczą umowę o pracę, każda min. 1/2 etatu",
  en = "At least {ps.min_employees|person|people} on an employment or cooperative employment contract, each at least 1/2 FTE",
  check = function(e)
    -- tally: a count that decides when the employees known to qualify already decide (one without
    -- fte among three who qualify), else unknown naming what is missing
    return at_least(tally(e.employees, qualifying), param "ps.min_employees",
      { pl = "zatrudnionych na min. 1/2 etatu", en = "employed at 1/2 FTE or more" })
  end,
}

-- Czy pracownik jest osobą zagrożoną wykluczeniem: pole at_risk, a gdy go nie ma — reguła
-- at-risk-person na zagnieżdżonym profilu osoby (pole person). Zwraca true, false albo nil i braki danych.
local function at_risk_of(x)
  if has(x, "at_risk") or not has(x, "person") then return x.at_risk end   -- brak obu: brak danych at_risk
  local r = check_rule("at-risk-person", x.person)
  if r.outcome == "eligible" then return true end
  if r.outcome == "ineligible" then return false end
  local miss = {}
  for _, c in ipairs(r.criteria) do for _, m in ipairs(c.missing or {}) do miss[#miss + 1] = m end end
  return nil, miss
end

-- Zatrudniony na min. 1/2 etatu, który jest osobą zagrożoną wykluczeniem: true, false albo nil i braki
-- danych (tally liczy takich jako nieustalonych, a udział rozstrzyga, gdy pewni już go przesądzają).
local function qualifying_at_risk(x)
  if not qualifying(x) then return false end
  return at_risk_of(x)
end

criterion "PS-06" {
  basis = "art. 5 ust. 2",
  pl = "Typ reintegracyjny: co najmniej 30% zatrudnionych to osoby zagrożone wykluczeniem (min. 1/2 etatu)",
  en = "Reintegration type: at least 30% of employees are people at risk of exclusion (at least 1/2 FTE)",
  -- ZAŁOŻENIE: mianownik udziału = wszystkie osoby z listy employees (także na umowach cywilnoprawnych).
  assumption = { pl = "ZAŁOŻENIE: udział liczony względem wszystkich zatrudnionych z listy employees",
                 en = "ASSUMPTION: the share is computed against everyone on the employees list" },
  applies = function(e) return e.ps_type == "reintegration" end,
  na = { pl = "nie dotyczy: typ usług społecznych", en = "not applicable: social services type" },
  check = function(e)
    return share_at_least(tally(e.employees, qualifying_at_risk), #e.employees, param "ps.at_risk_share",
      { pl = "osoby zagrożone wykluczeniem wśród zatrudnionych", en = "people at risk among employees" })
  end,
}

-- Który organ jest wymagany dla danej formy prawnej (art. 7).
local BODY = {
  foundation = { "consultative_body", "organ konsultacyjno-doradczy" },
  association = { "consultative_body", "organ konsultacyjno-doradczy" },
  nonprofit_company = { "supervisory_board", "rada nadzorcza lub komisja rewizyjna", "audit_committee" },
  sports_club = { "supervisory_board", "rada nadzorcza lub komisja rewizyjna", "audit_committee" },
  social_cooperative = { "consultation_meeting", "zebranie konsultacyjne" },
}

criterion "PS-07" {
  basis = "art. 7",
  pl = "Organ konsultacyjno-doradczy właściwy dla formy prawnej",
  en = "The consultative body required for the legal form",
  applies = function(e) return BODY[e.legal_form] ~= nil end,
  na = { pl = "nie dotyczy tej formy prawnej", en = "not required for this legal form" },
  check = function(e)
    local need = BODY[e.legal_form]
    local ok = member(need[1], e.bodies) or (need[3] ~= nil and member(need[3], e.bodies))
    return verdict(ok,
      { pl = "jest: " .. need[2], en = "present: " .. need[1] },
      { pl = "brak: " .. need[2], en = "missing: " .. need[1] })
  end,
}

criterion "PS-08" {
  basis = "wytyczne ministerstwa (statut/umowa spółki)",
  pl = "Statut: działalność nie dla zysku, dochód na cele statutowe, bez podziału zysku",
  en = "Statute: not for profit, income to statutory aims, no profit distribution",
  applies = function(e) return oneof(e.legal_form, "nonprofit_company", "sports_club") end,
  na = { pl = "nie dotyczy: wymóg dla spółek", en = "not applicable: a requirement for companies" },
  check = function(e)
    local s = e.statute
    local clauses = { "not_for_profit", "income_to_statutory_aims", "no_profit_distribution" }
    local lacking = {}
    -- a clause known to be missing decides it, whatever the others are; only then is each one read
    -- (an absent one is unknown, not false)
    for _, k in ipairs(clauses) do if get(s, k) == false then lacking[#lacking + 1] = label(k) end end
    if #lacking == 0 then
      for _, k in ipairs(clauses) do if not s[k] then lacking[#lacking + 1] = label(k) end end
    end
    if #lacking == 0 then
      return pass { pl = "statut zawiera wszystkie trzy klauzule", en = "the statute has all three clauses" }
    end
    return fail(L("w statucie brakuje: ", "the statute lacks: ") .. table.concat(lacking, "; "))
  end,
}

criterion "PS-09" {
  basis = "art. 9 u.e.s. (krotność niezweryfikowana) w zw. z art. 9 ust. 1 pkt 2 ustawy o działalności pożytku publicznego i o wolontariacie",
  pl = "Wynagrodzenia pracowników i członków organów nie wyższe niż limit (krotność przeciętnego wynagrodzenia w sektorze przedsiębiorstw za poprzedni rok)",
  en = "Pay of staff and board within the cap (a multiple of the previous year's average wage in the enterprise sector)",
  assumption = { pl = "ZAŁOŻENIE: krotność = parametr ps.pay_cap_multiple (3, niezweryfikowana w tekście art. 9); podstawa: przeciętne miesięczne wynagrodzenie w sektorze przedsiębiorstw za poprzedni rok (GUS)",
                 en = "ASSUMPTION: multiple = parameter ps.pay_cap_multiple (3, not verified in the text of art. 9); base: GUS average monthly wage in the enterprise sector for the previous year" },
  check = function(e)
    local k, base = param "ps.pay_cap_multiple", param "average_wage_enterprise_annual"
    return at_most(e.max_monthly_salary, k * base,
      { pl = "najwyższe wynagrodzenie miesięczne (limit: %s × %s)",
        en = "highest monthly pay (cap: %s × %s)", num(k), money(base) }, "zł")
  end,
}

-- Sprawozdanie za rok R składa się do 31 marca roku R+1. Na dzień oceny D wymagane jest
-- sprawozdanie za ostatni rok, którego termin już minął.
local function last_due_year()
  local y = year_of(as_of())
  if as_of() > march31_next_year(date_of(y - 1, 1, 1)) then return y - 1 end
  return y - 2
end

criterion "PS-10" {
  basis = "art. 10 ust. 1",
  pl = "Sprawozdanie roczne złożone do 31 marca następnego roku",
  en = "Annual report filed by 31 March of the following year",
  -- Sprawozdanie złożone po 31 marca nie spełnia kryterium (przepis wyznacza termin); uzasadnienie podaje datę
  -- złożenia i termin, a skutki spóźnienia ocenia wojewoda w ramach nadzoru.
  -- ZAŁOŻENIE: znana jest tylko data ostatniego sprawozdania; data od 1 stycznia roku R+2 oznacza sprawozdanie
  -- za rok R+1 złożone przed terminem — przyjmujemy, że sprawozdanie za rok R złożono wcześniej, w terminie.
  assumption = { pl = "ZAŁOŻENIE: sprawozdanie złożone po 31 marca nie spełnia kryterium; sprawozdanie za kolejny rok złożone przed terminem oznacza, że poprzednie złożono w terminie",
                 en = "ASSUMPTION: a report filed after 31 March fails; a report for the next year filed early means the previous one was filed in time" },
  applies = function(e)
    local f = get(e, "founded_on")     -- no founding date: assume a report was due
    -- a founding date after the day of the evaluation, or after the last report, contradicts the
    -- profile: the check says so instead of "no report due yet"
    local filed = get(e, "last_report_filed_on")
    return f == nil or year_of(f) <= last_due_year() or f > as_of() or (filed ~= nil and filed < f)
  end,
  na = { pl = "nie dotyczy: podmiot nie miał jeszcze obowiązku złożenia sprawozdania",
         en = "not applicable: no report was due yet" },
  check = function(e)
    local y = last_due_year()
    local founded = get(e, "founded_on")
    if founded ~= nil and founded > as_of() then
      return unknown({ pl = "data założenia %s jest późniejsza niż dzień oceny %s: sprawdź datę założenia",
                       en = "the founding date %s is after the day of the evaluation %s: check the founding date",
                       founded, as_of() }, "founded_on")
    end
    local filed = e.last_report_filed_on
    if founded ~= nil and filed < founded then
      return unknown({ pl = "ostatnie sprawozdanie złożono %s, przed datą założenia %s: jedna z tych dat jest błędna",
                       en = "the last report was filed on %s, before the founding date %s: one of these dates is wrong",
                       filed, founded }, "founded_on", "last_report_filed_on")
    end
    if filed > as_of() then
      -- złożone po dniu oceny: w tym dniu go nie było, a o wcześniejszym profil nic nie mówi
      return unknown({ pl = "ostatnie sprawozdanie złożono %s, po dniu oceny %s; nie wiadomo, czy sprawozdanie za %d r. złożono w terminie",
                       en = "the last report was filed on %s, after the day of the evaluation %s; whether the report for %d was filed in time is not known",
                       filed, as_of(), y }, "last_report_filed_on")
    end
    local since = date_of(y + 1, 1, 1)
    local due = date_of(y + 1, 3, 31)
    if filed >= since and filed <= due then
      return pass { pl = "sprawozdanie za %d r. złożono %s (termin: %s)",
                    en = "the report for %d was filed on %s (due %s)", y, filed, due }
    end
    if filed > date_of(y + 1, 12, 31) then
      return pass { pl = "ostatnie sprawozdanie (za %d r.) złożono %s, przed terminem; sprawozdanie za %d r. uznano za złożone w terminie",
                    en = "the last report (for %d) was filed on %s, before its deadline; the report for %d is taken as filed in time", y + 1, filed, y }
    end
    if filed > due then
      return fail { pl = "sprawozdanie za %d r. złożono %s — po terminie (%s)",
                    en = "the report for %d was filed on %s — after the deadline (%s)", y, filed, due }
    end
    return fail { pl = "ostatnie sprawozdanie złożono %s; brak sprawozdania za %d r. (termin: %s)",
                  en = "last report filed on %s; the report for %d is missing (due %s)", filed, y, due }
  end,
}

criterion "PS-11" {
  basis = "art. 18",
  pl = "Karencja: co najmniej rok od uprawomocnienia się utraty statusu",
  en = "Re-application bar: at least a year since the loss of status became final",
  check = function(e)
    local lost = e.status_lost_on
    if lost == null then
      return pass { pl = "podmiot nie tracił statusu PS", en = "the entity never lost PS status" }
    end
    if lost > as_of() then   -- w dniu oceny utrata jeszcze nie nastąpiła
      return pass { pl = "utrata statusu: " .. lost .. ", po dniu oceny " .. as_of() .. " — w tym dniu karencja nie biegła",
                    en = "status lost on " .. lost .. ", after the day of the evaluation " .. as_of() .. " — no bar was running on that day" }
    end
    -- rok liczony jak w art. 111–112 k.c.: kończy się z upływem dnia odpowiadającego dacie utraty statusu,
    -- więc nowy wniosek można złożyć od następnego dnia
    local free_from = add_days(add_years(lost, param "ps.reapply_bar_years"), 1)
    if as_of() >= free_from then
      return pass { pl = "utrata statusu: " .. lost .. ", wniosek możliwy od " .. free_from,
                    en = "status lost on " .. lost .. ", may re-apply from " .. free_from }
    end
    return fail { pl = "utrata statusu: " .. lost .. ", nowy wniosek dopiero od " .. free_from,
                  en = "status lost on " .. lost .. ", may re-apply only from " .. free_from }
  end,
}
