-- PUP: środki z Funduszu Pracy na utworzenie stanowiska pracy w przedsiębiorstwie społecznym
-- ustawa z dnia 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2022 poz. 1812; t.j. Dz.U. 2024 poz. 113), art. 22;
-- przeciętne wynagrodzenie: obwieszczenie Prezesa GUS (poprzedni kwartał).

rule "pup-job-grant" {
  applies_to = "application",
  title = { pl = "PUP: środki na utworzenie stanowiska pracy", en = "PUP: Labour Fund job grant" },
  basis = "art. 22 ustawy o ekonomii społecznej (Dz.U. 2024 poz. 113)",
  -- kwota: wnioskowana, najwyżej liczba stanowisk × 6 × przeciętne wynagrodzenie
  amount = function(a)
    local cap = #a.jobs * round2(param "pup.job_grant_avg_wage_multiple" * param "average_wage_quarterly")
    return math.min(get(a, "requested_amount", cap), cap)
  end,
}

criterion "PUP-01a" { uses = "pup.applicant-holds-ps-status", basis = "art. 22 u.e.s." }   -- Rules/shared/pup.lua

criterion "PUP-01b" {
  uses = "pup.workers-at-risk", basis = "art. 22 u.e.s.",   -- Rules/shared/pup.lua
  pl = "Stanowiska dla osób zagrożonych wykluczeniem społecznym",
  en = "Jobs for persons at risk of social exclusion",
  -- ZAŁOŻENIE: stanowisko tworzone dla osoby zagrożonej wykluczeniem (art. 2 pkt 6).
  assumption = { pl = "ZAŁOŻENIE: stanowisko musi być obsadzone przez osobę zagrożoną wykluczeniem (art. 2 pkt 6)",
                 en = "ASSUMPTION: the job must be filled by a person at risk of exclusion (art. 2 pkt 6)" },
  with = { who = { pl = "stanowisko ", en = "job " } },
}

criterion "PUP-01c" {
  basis = "art. 22 u.e.s.",
  pl = "Kwota nie przekracza 6-krotności przeciętnego wynagrodzenia na stanowisko",
  en = "The amount is within 6 average wages per job",
  check = function(a)
    local k, w = param "pup.job_grant_avg_wage_multiple", param "average_wage_quarterly"
    return at_most(a.requested_amount, #a.jobs * round2(k * w),
      { pl = "wnioskowana kwota (limit: %s × %s × %s)", en = "amount requested (cap: %s × %s × %s)",
        plural(#a.jobs, "stan.", "stan.", "stan.", "job", "jobs"), num(k), money(w) }, "zł")
  end,
}

criterion "PUP-01d" {
  basis = "art. 22 u.e.s.",
  pl = "Zobowiązanie do utrzymania stanowiska przez 24 miesiące",
  en = "Commitment to keep the job for 24 months",
  check = function(a)
    local need = param "pup.job_grant_keep_months"
    local c = get(a, "commitment_months")
    if c == nil then   -- pole spoza kontraktu: nic innego we wniosku nie rozstrzyga tego warunku
      return unknown({ pl = "brak deklaracji, przez ile miesięcy stanowisko zostanie utrzymane — potrzebna deklaracja wnioskodawcy (commitment_months): wymagane co najmniej %d mies.",
                       en = "no declaration of how many months the job will be kept — the applicant's declaration is needed (commitment_months): at least %d months required", need },
        "commitment_months")
    end
    return at_least(c, need,
      { pl = "zadeklarowany okres utrzymania stanowiska (miesiące)", en = "declared retention period (months)" })
  end,
}
