-- Osoba zagrożona wykluczeniem społecznym
-- ustawa z dnia 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2022 poz. 1812; t.j. Dz.U. 2024 poz. 113), art. 2 pkt 6

rule "at-risk-person" {
  applies_to = "person",
  title = { pl = "Osoba zagrożona wykluczeniem społecznym", en = "Person at risk of social exclusion" },
  basis = "art. 2 pkt 6 ustawy o ekonomii społecznej (Dz.U. 2024 poz. 113)",
}

-- Jedna przesłanka: pole logiczne równe true (nazwa pola ze słownika w schemacie).
local function flag(field)
  return function(p)
    return function()
      return verdict(p[field] == true, label(field) .. L(": tak", ": yes"), label(field) .. L(": nie", ": no"))
    end
  end
end

local unemployed = function(p) return function()
  return verdict(p.labour_status == "unemployed",
    { pl = "osoba bezrobotna (zarejestrowana w PUP)", en = "unemployed (registered at the PUP)" },
    about("labour_status", p.labour_status))
end end

-- Art. 2 pkt 6 lit. c: poszukujący pracy bez zatrudnienia (a) do 30 lat albo od 50 lat lub (b) opiekun osoby
-- niepełnosprawnej niepobierający świadczenia pielęgnacyjnego, specjalnego zasiłku opiekuńczego ani zasiłku dla
-- opiekuna (pole disabled_person_caregiver, spoza kontraktu). Brak pola = nie wiadomo o opiece, liczy się wiek:
-- profil napisany według kontraktu nie staje się przez to nierozstrzygnięty.
local job_seeker = function(p) return function()
  if p.labour_status ~= "job_seeker" then
    return fail { pl = "nie jest osobą poszukującą pracy", en = "not a job seeker" }
  end
  local caregiver = get(p, "disabled_person_caregiver")
  if caregiver == true then
    return pass { pl = "osoba poszukująca pracy bez zatrudnienia, opiekun osoby niepełnosprawnej (bez świadczenia pielęgnacyjnego, specjalnego zasiłku opiekuńczego i zasiłku dla opiekuna)",
                  en = "job seeker without a job, caring for a disabled person (no care benefit or carer's allowance)" }
  end
  local a, young, old = age(p.birth_date), param "per.young_job_seeker_age", param "per.older_job_seeker_age"
  local care = caregiver == false and { pl = "; nie jest opiekunem osoby niepełnosprawnej", en = "; not caring for a disabled person" }
    or { pl = "; brak informacji o opiece nad osobą niepełnosprawną — przyjęto, że nie",
         en = "; no information on caring for a disabled person — taken as no" }
  return verdict(a < young or a >= old,
    { pl = "osoba poszukująca pracy w wieku %d lat (do %d albo od %d)",
      en = "job seeker aged %d (under %d or %d and over)", a, young, old },
    { pl = fmt("osoba poszukująca pracy w wieku %d lat: nie jest poniżej %d ani od %d", a, young, old) .. care.pl,
      en = fmt("job seeker aged %d: neither under %d nor %d and over", a, young, old) .. care.en })
end end

local disabled = function(p) return function()
  return verdict(p.disability ~= "none",
    L("osoba z niepełnosprawnością (", "person with a disability (") .. about("disability", p.disability) .. ")",
    { pl = "brak orzeczonej niepełnosprawności", en = "no certified disability" })
end end

local prisoner = function(p) return function()
  return verdict(p.prison ~= "none",
    L("osoba pozbawiona wolności lub opuszczająca zakład karny (", "prisoner or person leaving prison (") .. label("prison", p.prison) .. ")",
    about("prison", p.prison))
end end

local older = function(p) return function()
  local a, min = age(p.birth_date), param "per.older_person_age"
  return verdict(a >= min,
    L("osoba starsza: ", "older person: aged ") .. L(plural(a, "rok", "lata", "lat"), num(a)) .. L(fmt(" (od %d)", min), fmt(" (%d and over)", min)),
    L("wiek: ", "aged ") .. L(plural(a, "rok", "lata", "lat"), num(a)))
end end

local extended = function(p) return function()
  if param "per.at_risk_extended_groups" ~= true then
    return fail { pl = "grupy spoza art. 2 pkt 6 (bezdomni, uzależnieni po terapii, klienci pomocy społecznej) nie są liczone — centrum może je włączyć parametrem per.at_risk_extended_groups",
                  en = "groups outside art. 2 pkt 6 (homeless, addiction after therapy, social-assistance clients) are not counted — a centre may switch them on with per.at_risk_extended_groups" }
  end
  return either(
    function() return verdict(p.homeless == true, { pl = "osoba bezdomna (grupa przyjęta założeniem)", en = "homeless (group assumed)" }, { pl = "bezdomność: nie", en = "homeless: no" }) end,
    function() return verdict(p.addiction_after_therapy == true, { pl = "osoba uzależniona po terapii (grupa przyjęta założeniem)", en = "addiction after therapy (group assumed)" }, { pl = "uzależnienie po terapii: nie", en = "addiction after therapy: no" }) end,
    function() return verdict(p.social_assistance == true, { pl = "korzysta z pomocy społecznej (grupa przyjęta założeniem)", en = "receives social assistance (group assumed)" }, { pl = "pomoc społeczna: nie", en = "social assistance: no" }) end)
end end

criterion "PER-01" {
  basis = "art. 2 pkt 6 u.e.s.",
  pl = "Osoba zagrożona wykluczeniem społecznym w rozumieniu ustawy o ekonomii społecznej",
  en = "Person at risk of social exclusion under the Social Economy Act",
  -- ZAŁOŻENIE: wiek „osoby starszej” (60 lat) to parametr per.older_person_age; grupy spoza ustawy (bezdomni,
  -- uzależnieni po terapii, klienci pomocy społecznej) liczą się tylko z wyboru centrum (per.at_risk_extended_groups).
  assumption = { pl = "ZAŁOŻENIE: osoba starsza = ukończone 60 lat; opiekun osoby niepełnosprawnej — gdy brak pola disabled_person_caregiver, przyjmuje się, że nie; grupy spoza art. 2 pkt 6 tylko z wyboru centrum (per.at_risk_extended_groups)",
                 en = "ASSUMPTION: older person = aged 60+; caring for a disabled person — taken as no when disabled_person_caregiver is absent; groups outside art. 2 pkt 6 only by a centre's choice (per.at_risk_extended_groups)" },
  check = function(p)
    return either(
      unemployed(p),
      job_seeker(p),
      disabled(p),
      flag("cis_kis_graduate")(p),
      flag("special_care_allowance")(p),
      flag("leaving_foster_care")(p),
      flag("mental_disorder")(p),
      prisoner(p),
      flag("refugee")(p),
      older(p),
      extended(p))
  end,
}
