-- Spółdzielnia socjalna: założyciele i członkowie
-- ustawa z dnia 27 kwietnia 2006 r. o spółdzielniach socjalnych (Dz.U. 2006 nr 94 poz. 651, z późn. zm.,
-- w tym ustawa z 15 grudnia 2017 r. o zmianie ustawy o spółdzielniach socjalnych — „nowelizacja 2018”), art. 4–5.
-- Liczby (3 osoby fizyczne albo 2 osoby prawne jako założyciele; 5 członków, najwyżej 50; przyjęcie i zatrudnienie
-- 2 osób w 12 miesięcy od wpisu do KRS) są w art. 5 (źródła wtórne: zielonalinia.gov.pl, fundacjarc.org.pl,
-- spoldzielniasocjalnawpraktyce.pl); numery ustępów niezweryfikowane w tekście jednolitym.

rule "social-cooperative" {
  applies_to = "enterprise",
  title = { pl = "Spółdzielnia socjalna: założyciele i członkowie", en = "Social cooperative: founders and members" },
  basis = "art. 4–5 ustawy z 27 kwietnia 2006 r. o spółdzielniach socjalnych (Dz.U. 2006 nr 94 poz. 651, z późn. zm.)",
}

criterion "ENT-02a" {
  basis = "art. 1 ustawy o spółdzielniach socjalnych",
  pl = "Podmiot jest spółdzielnią socjalną",
  en = "The entity is a social cooperative",
  -- gate: when this fails, the rule does not concern this entity (shown as such in reports)
  gate = true,
  check = function(e)
    return verdict(e.legal_form == "social_cooperative",
      about("legal_form", e.legal_form),
      about("legal_form", e.legal_form) .. L(" — wymóg dotyczy spółdzielni socjalnej", " — the requirement is for a social cooperative"))
  end,
}

-- Członek bez pola legal_person: brak danych (kontrakt: pole nieobecne to niewiadoma, nie „nie”).
local function natural_members(e)
  return filter(e.members, function(m) return m.legal_person == false end)
end
local function legal_members(e)
  return count(e.members, function(m) return m.legal_person == true end)
end

criterion "ENT-02b" {
  basis = "art. 5 ustawy o spółdzielniach socjalnych",
  pl = "Założyciele: co najmniej 3 osoby fizyczne albo 2 osoby prawne; członków co najmniej 5 osób fizycznych (2 osoby prawne), w spółdzielni założonej przez mniej niż 5 osób fizycznych — od 12 miesięcy po wpisie do KRS",
  en = "Founders: at least 3 natural or 2 legal persons; members: at least 5 natural persons (2 legal persons), for a cooperative founded by fewer than 5 natural persons from 12 months after the KRS entry",
  -- ZAŁOŻENIE: founded_on = dzień wpisu do KRS. Liczba założycieli (pole founders, spoza kontraktu) jest potrzebna
  -- tylko wtedy, gdy spółdzielnia osób fizycznych ma 3–4 członków w ciągu 12 miesięcy od wpisu — wtedy ona decyduje,
  -- czy obowiązuje obniżone minimum. Gdy pole jest podane i niższe od minimum, kryterium nie jest spełnione.
  assumption = { pl = "ZAŁOŻENIE: founded_on to dzień wpisu do KRS; liczba założycieli potrzebna tylko przy 3–4 członkach w pierwszych 12 miesiącach",
                 en = "ASSUMPTION: founded_on is the KRS entry date; the number of founders matters only with 3–4 members in the first 12 months" },
  check = function(e)
    local f = get(e, "founders")
    if e.founded_by_legal_persons == true then
      local min = param "coop.min_founders_legal"
      if f ~= nil and f < min then
        return at_least(f, min, { pl = "liczba założycieli (osób prawnych)", en = "founders (legal persons)" })
      end
      return at_least(legal_members(e), param "coop.min_members_legal",
        { pl = "członkowie będący osobami prawnymi (spółdzielnia założona przez osoby prawne)",
          en = "members that are legal persons (founded by legal persons)" })
    end
    local min_f, full = param "coop.min_founders", param "coop.min_members"
    if f ~= nil and f < min_f then
      return at_least(f, min_f, { pl = "liczba założycieli (osób fizycznych)", en = "founders (natural persons)" })
    end
    local n = #natural_members(e)
    if n >= full then
      return at_least(n, full, { pl = "członkowie (osoby fizyczne)", en = "members (natural persons)" })
    end
    if n < min_f then
      return fail { pl = "członków (osób fizycznych): %d — mniej niż %d, minimum dla założycieli, więc wymóg nie jest spełniony bez względu na liczbę założycieli",
                    en = "members (natural persons): %d — fewer than %d, the founders' minimum, so the requirement fails whoever the founders were", n, min_f }
    end
    local months = param "coop.members_to_add_months"
    local deadline = add_months(e.founded_on, months)
    if as_of() > deadline then   -- termin miesięczny kończy się z upływem dnia odpowiadającego (art. 112 k.c.)
      return fail { pl = "członków (osób fizycznych): %d, wymagane co najmniej %d od %s (12 miesięcy od wpisu do KRS: %s)",
                    en = "members (natural persons): %d, at least %d required from %s (12 months after the KRS entry on %s)", n, full, add_days(deadline, 1), e.founded_on }
    end
    if f == nil then
      return unknown({ pl = "członków (osób fizycznych): %d, mniej niż %d; do %s wystarczy to tylko spółdzielni założonej przez mniej niż %d osób fizycznych — potrzebna liczba założycieli (founders)",
                       en = "members (natural persons): %d, fewer than %d; until %s this is enough only for a cooperative founded by fewer than %d natural persons — the number of founders is needed", n, full, deadline, full },
        "founders")
    end
    if f >= full then
      return fail { pl = "założycieli: %d, członków już tylko %d (wymagane co najmniej %d; obniżone minimum dotyczy spółdzielni założonej przez mniej niż %d osób)",
                    en = "founders: %d, now only %d members (at least %d required; the reduced minimum is for a cooperative founded by fewer than %d)", f, n, full, full }
    end
    return pass { pl = fmt("założycieli: %d, członków: %d; do %s spółdzielnia musi mieć co najmniej %d członków", f, n, deadline, full),
                  en = fmt("founders: %d, members: %d; the cooperative must have at least %d members by %s", f, n, full, deadline) }
  end,
}

criterion "ENT-02c" {
  basis = "art. 5 ustawy o spółdzielniach socjalnych",
  pl = "Członkowie spoza grup zagrożonych wykluczeniem stanowią najwyżej 50% członków",
  en = "Members not at risk of exclusion are at most 50% of the members",
  -- ZAŁOŻENIE: udział liczony wśród członków będących osobami fizycznymi; brak pola legal_person = osoba fizyczna.
  assumption = { pl = "ZAŁOŻENIE: udział liczony wśród członków będących osobami fizycznymi",
                 en = "ASSUMPTION: the share is computed among members who are natural persons" },
  applies = function(e) return get(e, "founded_by_legal_persons") ~= true or #natural_members(e) > 0 end,
  na = { pl = "nie dotyczy: spółdzielnia osób prawnych bez członków — osób fizycznych",
         en = "not applicable: a cooperative of legal persons with no natural-person members" },
  check = function(e)
    local natural = natural_members(e)
    return share_at_least(count(natural, function(m) return m.at_risk end), #natural, param "coop.at_risk_members_share",
      { pl = "członkowie zagrożeni wykluczeniem", en = "members at risk of exclusion" })
  end,
}

-- Zatrudnieni na umowę o pracę lub spółdzielczą umowę o pracę, którzy są osobami zagrożonymi wykluczeniem:
-- pole at_risk, a gdy go nie ma — reguła at-risk-person na zagnieżdżonym profilu osoby (pole person); bez obu
-- pól — brak danych at_risk. Zwraca liczbę pewnych, liczbę nieustalonych i braki danych nieustalonych.
local function employed_at_risk(e)
  local yes, open, missing = 0, 0, {}
  for _, x in ipairs(e.employees) do
    if oneof(x.contract, "employment", "cooperative_employment") then
      if has(x, "at_risk") or not has(x, "person") then
        if x.at_risk == true then yes = yes + 1 end
      else
        local r = check_rule("at-risk-person", x.person)
        if r.outcome == "eligible" then yes = yes + 1
        elseif r.outcome ~= "ineligible" then
          open = open + 1
          for _, c in ipairs(r.criteria) do for _, m in ipairs(c.missing or {}) do missing[#missing + 1] = m end end
        end
      end
    end
  end
  return yes, open, missing
end

criterion "ENT-02d" {
  basis = "art. 5 ustawy o spółdzielniach socjalnych",
  pl = "Spółdzielnia założona przez mniej niż 5 osób fizycznych przyjęła i zatrudniła co najmniej 2 osoby zagrożone wykluczeniem w ciągu 12 miesięcy od wpisu do KRS",
  en = "A cooperative founded by fewer than 5 natural persons admitted and employed at least 2 people at risk of exclusion within 12 months of the KRS entry",
  -- ZAŁOŻENIE: ustawa mówi o spółdzielni założonej przez 3 osoby; to samo przyjęto dla 4 założycieli. Osób przyjętych
  -- i zatrudnionych nie da się powiązać z listą członków, więc sprawdzamy: co najmniej 2 członków zagrożonych
  -- wykluczeniem i co najmniej 2 osoby zagrożone na umowie o pracę lub spółdzielczej umowie o pracę.
  -- Liczba założycieli jest potrzebna tylko wtedy, gdy obowiązek nie jest spełniony.
  assumption = { pl = "ZAŁOŻENIE: obowiązek dotyczy spółdzielni założonej przez 3 lub 4 osoby fizyczne; spełniony, gdy co najmniej 2 członków i co najmniej 2 zatrudnionych (umowa o pracę lub spółdzielcza) to osoby zagrożone wykluczeniem",
                 en = "ASSUMPTION: the duty applies to a cooperative founded by 3 or 4 natural persons; met when at least 2 members and at least 2 employees (employment or cooperative contract) are at risk of exclusion" },
  applies = function(e) return get(e, "founded_by_legal_persons") ~= true end,
  na = { pl = "nie dotyczy: spółdzielnia założona przez osoby prawne", en = "not applicable: founded by legal persons" },
  check = function(e)
    local add, months = param "coop.members_to_add", param "coop.members_to_add_months"
    local f = get(e, "founders")
    if f ~= nil and f >= param "coop.min_members" then   -- (decided without the date of the KRS entry)
      return not_applicable { pl = "założycieli: %d — obowiązek dotyczy spółdzielni założonej przez mniej niż %d osób",
                              en = "founders: %d — the duty concerns a cooperative founded by fewer than %d", f, param "coop.min_members" }
    end
    local members = count(natural_members(e), function(m) return m.at_risk == true end)
    local employed, open, missing = employed_at_risk(e)
    if members >= add and employed >= add then   -- the duty met: whenever the entry was, it is met
      return pass { pl = "członków zagrożonych wykluczeniem: %d, zatrudnionych zagrożonych wykluczeniem: %d (wymagane co najmniej %d)",
                    en = "members at risk: %d, employees at risk: %d (at least %d required)", members, employed, add }
    end
    local deadline = add_months(e.founded_on, months)
    if as_of() <= deadline then
      return pass { pl = "termin przyjęcia i zatrudnienia %d osób zagrożonych wykluczeniem upływa %s",
                    en = "the deadline to admit and employ %d people at risk of exclusion is %s", add, deadline }
    end
    local what = { pl = fmt("po %s: członków zagrożonych wykluczeniem %d, zatrudnionych zagrożonych wykluczeniem %d (wymagane co najmniej %d)", deadline, members, employed, add),
                   en = fmt("after %s: %d members and %d employees at risk of exclusion (at least %d required)", deadline, members, employed, add) }
    if members >= add and employed + open >= add then   -- the nested persons not yet decided may meet it
      return unknown({ pl = what.pl .. fmt("; nieustalonych zatrudnionych: %d", open),
                       en = what.en .. fmt("; employees undetermined: %d", open) }, table.unpack(missing))
    end
    if f == nil then
      return unknown({ pl = what.pl .. " — obowiązek dotyczy tylko spółdzielni założonej przez mniej niż 5 osób fizycznych: potrzebna liczba założycieli (founders)",
                       en = what.en .. " — the duty concerns only a cooperative founded by fewer than 5 natural persons: the number of founders is needed" },
        "founders")
    end
    return fail { pl = fmt("założycieli: %d; ", f) .. what.pl, en = fmt("founders: %d; ", f) .. what.en }
  end,
}

criterion "ENT-02e" {
  basis = "art. 5 ustawy o spółdzielniach socjalnych",
  pl = "Najwyżej 50 członków",
  en = "At most 50 members",
  check = function(e)
    return at_most(#e.members, param "coop.max_members", { pl = "liczba członków", en = "members" })
  end,
}
