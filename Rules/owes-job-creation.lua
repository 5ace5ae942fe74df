-- OWES: stawka jednostkowa na utworzenie miejsca pracy w przedsiębiorstwie społecznym
-- Wytyczne dotyczące realizacji projektów z udziałem środków EFS+ w regionalnych programach na lata 2021–2027
-- (stawki jednostkowe OWES); osoba zagrożona wykluczeniem: art. 2 pkt 6 ustawy z 5 sierpnia 2022 r.
-- o ekonomii społecznej (Dz.U. 2024 poz. 113).

rule "owes-job-creation" {
  applies_to = "application",
  title = { pl = "OWES: dotacja na utworzenie miejsca pracy", en = "OWES: job-creation grant" },
  basis = "Wytyczne EFS+ 2021–2027 (stawka jednostkowa); art. 2 pkt 6 u.e.s.",
  -- kwota: liczba tworzonych miejsc pracy × stawka jednostkowa programu regionalnego wniosku (pole programme;
  -- brak pola = stawka domyślna z Wytycznych) w dniu złożenia wniosku
  amount = function(a)
    return #a.jobs * param_for("owes.job_creation_unit_cost", get(a, "programme"))
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
    -- a job known not to be new decides it, whatever the others are; only then is each one read
    for i, j in ipairs(a.jobs) do
      if get(j, "net_new") == false then bad[#bad + 1] = tostring(i) end
    end
    if #bad == 0 then
      for i, j in ipairs(a.jobs) do
        if j.net_new ~= true then bad[#bad + 1] = tostring(i) end
      end
    end
    return verdict(#bad == 0,
      { pl = "nowe miejsca pracy: %d z %d", en = "net new jobs: %d of %d", #a.jobs, #a.jobs },
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
      { pl = "miejsca pracy w podmiocie (%d we wniosku + %d wcześniej)",
        en = "jobs in the entity (%d applied for + %d before)", #a.jobs, before })
  end,
}

criterion "OWES-01d" {
  basis = "Wytyczne EFS+ 2021–2027; regulaminy OWES (wsparcie dla PES pod warunkiem przekształcenia w PS); art. 2 pkt 5 u.e.s.",
  pl = "Podmiot ma status przedsiębiorstwa społecznego albo jest podmiotem ekonomii społecznej, który zobowiązał się przekształcić w PS",
  en = "The entity holds PS status, or is a social economy entity that undertakes to become a PS",
  -- Bez terminu: źródła mówią tylko „pod warunkiem przekształcenia w PS”; termin określa umowa z OWES.
  -- Najpierw forma prawna (PS-01): spółka handlowa działająca dla zysku nie może mieć statusu PS, więc jej wniosek
  -- nie spełnia kryterium bez względu na has_ps_status. Pola has_ps_status i ps_status_commitment są potrzebne
  -- tylko wtedy, gdy forma prawna pozwala na status.
  check = function(a)
    local e = a.enterprise
    local form = check_rule("ps-status", e).criteria[1]   -- PS-01: forma prawna
    if form.outcome == "fail" then
      return fail { pl = form.reason .. " — nie może uzyskać statusu PS, więc nie spełnia warunku bez względu na deklarowany status",
                    en = form.reason .. " — cannot obtain PS status, so the condition fails whatever status is declared" }
    end
    local status, commits = get(e, "has_ps_status"), get(a, "ps_status_commitment")
    if status == true then
      return pass { pl = "podmiot ma status przedsiębiorstwa społecznego", en = "the entity holds PS status" }
    end
    if form.outcome ~= "pass" then
      return unknown({ pl = "nie ustalono formy prawnej podmiotu", en = "the legal form is not known" }, table.unpack(form.missing or {}))
    end
    if commits == true then
      return pass { pl = form.reason .. "; wnioskodawca zobowiązał się przekształcić podmiot w przedsiębiorstwo społeczne",
                    en = form.reason .. "; the applicant undertakes to turn the entity into a social enterprise" }
    end
    if status == false and commits == false then
      return fail { pl = "podmiot nie ma statusu PS i nie zobowiązał się do przekształcenia w przedsiębiorstwo społeczne",
                    en = "the entity has no PS status and does not undertake to become a social enterprise" }
    end
    local need = {}
    if status == nil then need[#need + 1] = "enterprise.has_ps_status" end
    if commits == nil then need[#need + 1] = "ps_status_commitment" end
    return unknown({ pl = form.reason .. " — forma pozwala na status PS; potrzebne: czy podmiot ma status PS, a jeśli nie — czy zobowiązał się przekształcić w PS",
                     en = form.reason .. " — the form allows PS status; needed: whether the entity holds it and, if not, whether it undertakes to become a PS" },
      table.unpack(need))
  end,
}
