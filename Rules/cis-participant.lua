-- Uczestnik centrum integracji społecznej (CIS)
-- ustawa z dnia 13 czerwca 2003 r. o zatrudnieniu socjalnym (Dz.U. 2003 nr 122 poz. 1143, z późn. zm.), art. 1 ust. 2–3

rule "cis-participant" {
  applies_to = "person",
  title = { pl = "Uczestnik centrum integracji społecznej", en = "Social integration centre (CIS) participant" },
  basis = "art. 1 ust. 2–3 ustawy o zatrudnieniu socjalnym (Dz.U. 2003 nr 122 poz. 1143)",
}

local function yes(cond, pl, en)
  return verdict(cond, { pl = pl .. ": tak", en = en .. ": yes" }, { pl = pl .. ": nie", en = en .. ": no" })
end

criterion "PER-06a" {
  basis = "art. 1 ust. 2 u.z.s.",
  pl = "Należy do grupy z art. 1 ust. 2 ustawy o zatrudnieniu socjalnym",
  en = "Belongs to a group of art. 1(2) of the Social Employment Act",
  -- ZAŁOŻENIE: bezdomność (homeless) traktowana jak „bezdomny realizujący indywidualny program wychodzenia
  -- z bezdomności”, uchodźca (refugee) jak „realizujący indywidualny program integracji” — profil nie ma pól o programach.
  assumption = { pl = "ZAŁOŻENIE: bezdomny i uchodźca realizują odpowiednio program wychodzenia z bezdomności i program integracji",
                 en = "ASSUMPTION: a homeless person and a refugee follow an exit programme and an integration programme respectively" },
  check = function(p)
    return either(
      function() return yes(p.homeless == true, "osoba bezdomna (program wychodzenia z bezdomności)", "homeless (exit programme)") end,
      function() return yes(p.addiction_after_therapy == true, "osoba uzależniona po terapii", "addiction after therapy") end,
      function() return yes(p.mental_disorder == true, "osoba chora psychicznie", "mental illness") end,
      function() return requires_rule("long-term-unemployed", p) end,
      function() return yes(p.prison == "released", "osoba zwolniona z zakładu karnego", "released from prison") end,
      function() return yes(p.refugee == true, "uchodźca (program integracji)", "refugee (integration programme)") end,
      function() return yes(p.disability ~= "none", "osoba niepełnosprawna", "person with a disability") end)
  end,
}

-- świadczenia, które wyłączają udział w CIS (ich nazwy są w słowniku: Rules/schema/person.schema.json)
local EXCLUDING = {
  unemployment_benefit = true, pre_retirement = true, structural_pension = true, disability_pension = true,
  old_age_pension = true, teacher_compensation = true,
}

criterion "PER-06b" {
  basis = "art. 1 ust. 2–3 u.z.s.",
  pl = "Nie pobiera zasiłku dla bezrobotnych, świadczeń przedemerytalnych, renty, emerytury ani świadczenia kompensacyjnego",
  en = "Receives no unemployment benefit, pre-retirement benefit, pension or teacher's compensation benefit",
  check = function(p)
    local found = filter(p.benefits, function(b) return EXCLUDING[b] end)
    if #found == 0 then
      return pass { pl = "nie pobiera świadczeń wyłączających", en = "receives no excluding benefit" }
    end
    return fail(L("pobiera: ", "receives: ") .. label("benefits", found))
  end,
}
