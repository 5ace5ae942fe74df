-- Osoba zagrożona ubóstwem lub wykluczeniem społecznym (EFS+)
-- Wytyczne dotyczące realizacji projektów z udziałem środków EFS+ w regionalnych programach na lata 2021–2027
-- (Minister Funduszy i Polityki Regionalnej); w związku z art. 7 ustawy o pomocy społecznej (Dz.U. 2004 nr 64 poz. 593)
-- i art. 1 ust. 2 ustawy o zatrudnieniu socjalnym (Dz.U. 2003 nr 122 poz. 1143).
-- Całe kryterium ma pewność M (niezweryfikowane z tekstem wytycznych).

rule "esf-at-risk" {
  applies_to = "person",
  title = { pl = "Osoba zagrożona ubóstwem lub wykluczeniem społecznym (EFS+)", en = "Person at risk of poverty or social exclusion (ESF+)" },
  basis = "Wytyczne EFS+ 2021–2027 dla programów regionalnych",
}

local function yes(cond, pl, en)
  return verdict(cond, { pl = pl .. ": tak", en = en .. ": yes" }, { pl = pl .. ": nie", en = en .. ": no" })
end

criterion "PER-02" {
  basis = "Wytyczne EFS+ 2021–2027 (definicja osoby zagrożonej ubóstwem lub wykluczeniem)",
  pl = "Osoba zagrożona ubóstwem lub wykluczeniem społecznym w rozumieniu wytycznych EFS+",
  en = "Person at risk of poverty or social exclusion under the ESF+ guidelines",
  -- ZAŁOŻENIE: lista grup według źródeł wtórnych; użytkownicy FEPŻ są objęci przesłankami z art. 7 u.p.s.
  assumption = { pl = "ZAŁOŻENIE: lista grup EFS+ według źródeł wtórnych (pewność M); odbiorcy FEPŻ mieszczą się w przesłankach z art. 7 u.p.s.",
                 en = "ASSUMPTION: ESF+ groups from secondary sources (confidence M); FEPŻ users are covered by the art. 7 grounds" },
  check = function(p)
    return either(
      function() return yes(p.social_assistance == true, "korzysta z pomocy społecznej", "receives social assistance") end,
      function()
        local g = p.social_assistance_grounds
        return verdict(#g > 0,
          L("przesłanki z art. 7 u.p.s.: ", "art. 7 grounds: ") .. label("social_assistance_grounds", g),
          { pl = "brak przesłanek z art. 7 u.p.s.", en = "no art. 7 ground" })
      end,
      function() return yes(p.disability ~= "none", "osoba z niepełnosprawnością", "person with a disability") end,
      function() return yes(p.homeless == true, "osoba bezdomna", "homeless") end,
      function() return yes(p.leaving_foster_care == true, "osoba opuszczająca pieczę zastępczą", "leaving foster care") end,
      function() return yes(p.prison ~= "none", "osoba pozbawiona wolności lub po zwolnieniu", "prisoner or released") end,
      function() return yes(p.addiction_after_therapy == true, "osoba uzależniona po terapii (art. 1 ust. 2 u.z.s.)", "addiction after therapy") end,
      function() return yes(p.mental_disorder == true, "osoba chora psychicznie (art. 1 ust. 2 u.z.s.)", "mental illness") end,
      function() return yes(p.refugee == true, "uchodźca (art. 1 ust. 2 u.z.s.)", "refugee") end,
      function() return requires_rule("long-term-unemployed", p) end)
  end,
}
