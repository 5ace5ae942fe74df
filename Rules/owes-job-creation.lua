-- OWES: stawka jednostkowa na utworzenie miejsca pracy w przedsiębiorstwie społecznym
-- Wytyczne dotyczące realizacji projektów z udziałem środków EFS+ w regionalnych programach na lata 2021–2027
-- (stawki jednostkowe OWES); osoba zagrożona wykluczeniem: art. 2 pkt 6 ustawy z 5 sierpnia 2022 r.
-- o ekonomii społecznej (Dz.U. 2024 poz. 113).

rule "owes-job-creation" {
  applies_to = "application",
  title = { pl = "OWES: dotacja na utworzenie miejsca pracy", en = "OWES: job-creation grant" },
  basis = "Wytyczne EFS+ 2021–2027 (stawka jednostkowa); art. 2 pkt 6 u.e.s.",
  -- kwota: liczba tworzonych miejsc pracy × stawka jednostkowa w dniu złożenia wniosku
  amount = function(a)
    return #a.jobs * param "owes.job_creation_unit_cost"
  end,
}

local function job_label(i) return L("stanowisko ", "job ") .. i end

criterion "OWES-01a" {
  basis = "Wytyczne EFS+ 2021–2027",
  pl = "Każde stanowisko to nowe miejsce pracy (przyrost netto zatrudnienia)",
  en = "Every job is a net new job",
  check = function(a)
    if #a.jobs == 0 then return fail { pl = "wniosek nie wymienia stanowisk", en = "the application lists no jobs" } end
    local bad = {}
    for i, j in ipairs(a.jobs) do
      if j.net_new ~= true then bad[#bad + 1] = tostring(i) end
    end
    return verdict(#bad == 0,
      { pl = fmt("nowe miejsca pracy: %d z %d", #a.jobs, #a.jobs), en = fmt("net new jobs: %d of %d", #a.jobs, #a.jobs) },
      { pl = "nie są nowymi miejscami pracy stanowiska nr " .. table.concat(bad, ", "),
        en = "not net new: job no. " .. table.concat(bad, ", ") })
  end,
}

criterion "OWES-01b" {
  basis = "Wytyczne EFS+ 2021–2027; art. 2 pkt 6 u.e.s.",
  pl = "Każde stanowisko obsadza osoba zagrożona wykluczeniem społecznym",
  en = "Every job is filled by a person at risk of social exclusion",
  check = function(a)
    return requires_each("at-risk-person", a.jobs, function(j) return j.worker end, job_label)
  end,
}

criterion "OWES-01c" {
  basis = "Wytyczne EFS+ 2021–2027",
  pl = "Najwyżej 10 miejsc pracy finansowanych stawką w jednym podmiocie",
  en = "At most 10 jobs financed by the unit cost per entity",
  -- ZAŁOŻENIE: brak pola previous_jobs_funded = podmiot nie otrzymał wcześniej stawek w projekcie.
  assumption = { pl = "ZAŁOŻENIE: brak pola previous_jobs_funded oznacza 0 wcześniej sfinansowanych miejsc",
                 en = "ASSUMPTION: no previous_jobs_funded field means 0 jobs financed before" },
  check = function(a)
    local before = get(a, "previous_jobs_funded", 0)
    return at_most(#a.jobs + before, param "owes.max_jobs_per_entity",
      { pl = fmt("miejsca pracy w podmiocie (%d we wniosku + %d wcześniej)", #a.jobs, before),
        en = fmt("jobs in the entity (%d applied for + %d before)", #a.jobs, before) })
  end,
}

criterion "OWES-01d" {
  basis = "Wytyczne EFS+ 2021–2027 (niezweryfikowane)",
  pl = "Podmiot ma status przedsiębiorstwa społecznego albo uzyska go w ciągu 6 miesięcy",
  en = "The entity holds PS status or obtains it within 6 months",
  -- ZAŁOŻENIE: termin 6 miesięcy (parametr owes.ps_status_deadline_months); bez statusu wymagane:
  -- forma prawna uprawniona do statusu (PS-01) i zobowiązanie wnioskodawcy (ps_status_commitment).
  assumption = { pl = "ZAŁOŻENIE: podmiot bez statusu PS musi mieć formę uprawnioną (PS-01) i zobowiązać się do uzyskania statusu w terminie",
                 en = "ASSUMPTION: an entity without PS status needs an eligible legal form (PS-01) and must commit to obtaining the status in time" },
  check = function(a)
    local e = a.enterprise
    if e.has_ps_status == true then
      return pass { pl = "podmiot ma status przedsiębiorstwa społecznego", en = "the entity holds PS status" }
    end
    local months = param "owes.ps_status_deadline_months"
    local form = check_rule("ps-status", e).criteria[1]   -- PS-01: forma prawna
    if form.outcome == "fail" then
      return fail { pl = "brak statusu PS i " .. form.reason, en = "no PS status and " .. form.reason }
    end
    return verdict(a.ps_status_commitment == true,
      { pl = fmt("brak statusu PS; %s; wnioskodawca zobowiązał się uzyskać status w ciągu %d miesięcy", form.reason, months),
        en = fmt("no PS status; %s; the applicant commits to obtaining it within %d months", form.reason, months) },
      { pl = fmt("brak statusu PS i brak zobowiązania do jego uzyskania w ciągu %d miesięcy", months),
        en = fmt("no PS status and no commitment to obtain it within %d months", months) })
  end,
}
