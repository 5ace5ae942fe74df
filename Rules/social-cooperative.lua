-- Spółdzielnia socjalna: założyciele i członkowie
-- ustawa z dnia 27 kwietnia 2006 r. o spółdzielniach socjalnych (Dz.U. 2006 nr 94 poz. 651, z późn. zm.), art. 4–5

rule "social-cooperative" {
  applies_to = "enterprise",
  title = { pl = "Spółdzielnia socjalna: założyciele i członkowie", en = "Social cooperative: founders and members" },
  basis = "art. 4–5 ustawy o spółdzielniach socjalnych (Dz.U. 2006 nr 94 poz. 651)",
}

criterion "ENT-02a" {
  basis = "art. 1 ustawy o spółdzielniach socjalnych",
  pl = "Podmiot jest spółdzielnią socjalną",
  en = "The entity is a social cooperative",
  -- gate: when this fails, the rule does not concern this entity (shown as such in reports)
  gate = true,
  check = function(e)
    return verdict(e.legal_form == "social_cooperative",
      { pl = "forma: spółdzielnia socjalna", en = "legal form: social_cooperative" },
      { pl = "forma prawna: " .. e.legal_form .. " — wymóg dotyczy spółdzielni socjalnej",
        en = "legal form: " .. e.legal_form .. " — the requirement is for a social cooperative" })
  end,
}

criterion "ENT-02b" {
  basis = "art. 4 ust. 2 ustawy o spółdzielniach socjalnych",
  pl = "Co najmniej 5 założycieli albo 3, jeśli w ciągu 12 miesięcy przyjęto 2 kolejnych członków zagrożonych wykluczeniem",
  en = "At least 5 founders, or 3 if 2 more at-risk members join within 12 months",
  -- ZAŁOŻENIE: po upływie 12 miesięcy „przyjęcie 2 członków” sprawdzamy tak: liczba członków (osób fizycznych)
  -- zagrożonych wykluczeniem jest co najmniej równa liczbie założycieli + 2 minus liczba założycieli spoza tej grupy
  -- nie jest znana — więc wymagamy: członków ogółem >= założyciele + 2 i członków zagrożonych >= 2.
  assumption = { pl = "ZAŁOŻENIE: po 12 miesiącach wymagane: członków ≥ założyciele + 2, w tym co najmniej 2 osoby zagrożone wykluczeniem",
                 en = "ASSUMPTION: after 12 months: members ≥ founders + 2, at least 2 of them at risk of exclusion" },
  check = function(e)
    local f, full, reduced = e.founders, param "coop.min_founders", param "coop.min_founders_reduced"
    if f >= full then
      return at_least(f, full, { pl = "liczba założycieli", en = "founders" })
    end
    if f < reduced then
      return at_least(f, reduced, { pl = "liczba założycieli (także w trybie obniżonym)", en = "founders (even the reduced minimum)" })
    end
    local add, months = param "coop.members_to_add", param "coop.members_to_add_months"
    local deadline = add_months(e.founded_on, months)
    if as_of() <= deadline then   -- termin miesięczny kończy się z upływem dnia odpowiadającego (art. 112 k.c.)
      return pass { pl = fmt("założycieli: %d (tryb obniżony); do %s trzeba przyjąć %d członków zagrożonych wykluczeniem", f, deadline, add),
                    en = fmt("founders: %d (reduced); %d at-risk members must join by %s", f, add, deadline) }
    end
    local n = #e.members
    local at_risk = count(e.members, function(m) return m.at_risk end)
    return verdict(n >= f + add and at_risk >= add,
      { pl = fmt("założycieli: %d; po %s: członków %d (wymagane %d), zagrożonych wykluczeniem %d (wymagane %d)", f, deadline, n, f + add, at_risk, add),
        en = fmt("founders: %d; after %s: %d members (%d required), %d at risk (%d required)", f, deadline, n, f + add, at_risk, add) },
      { pl = fmt("założycieli: %d; termin %s minął: członków %d (wymagane %d), zagrożonych wykluczeniem %d (wymagane %d)", f, deadline, n, f + add, at_risk, add),
        en = fmt("founders: %d; deadline %s passed: %d members (%d required), %d at risk (%d required)", f, deadline, n, f + add, at_risk, add) })
  end,
}

criterion "ENT-02c" {
  basis = "art. 5 ust. 2 ustawy o spółdzielniach socjalnych",
  pl = "Co najmniej 50% członków to osoby zagrożone wykluczeniem",
  en = "At least 50% of members are at risk of exclusion",
  -- ZAŁOŻENIE: udział liczony wśród członków będących osobami fizycznymi; brak pola legal_person = osoba fizyczna.
  assumption = { pl = "ZAŁOŻENIE: udział liczony wśród członków będących osobami fizycznymi",
                 en = "ASSUMPTION: the share is computed among members who are natural persons" },
  check = function(e)
    local natural = filter(e.members, function(m) return not get(m, "legal_person", false) end)
    return share_at_least(count(natural, function(m) return m.at_risk end), #natural, param "coop.at_risk_members_share",
      { pl = "członkowie zagrożeni wykluczeniem", en = "members at risk of exclusion" })
  end,
}
