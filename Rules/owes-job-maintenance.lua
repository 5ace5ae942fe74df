-- OWES: wsparcie pomostowe na utrzymanie miejsca pracy
-- Wytyczne dotyczące realizacji projektów z udziałem środków EFS+ w regionalnych programach na lata 2021–2027
-- (stawki domyślne: 32 400 zł pełny etat, 24 300 zł 3/4 etatu, 16 200 zł 1/2 etatu za 12 miesięcy; stawki programów
-- regionalnych, np. FELD do 38 700 zł: parametry owes.maintenance_* z polem programme).

rule "owes-job-maintenance" {
  applies_to = "application",
  title = { pl = "OWES: wsparcie na utrzymanie miejsca pracy", en = "OWES: job-maintenance support" },
  basis = "Wytyczne EFS+ 2021–2027 (wsparcie na utrzymanie miejsca pracy)",
  -- kwota: dla każdego stanowiska stawka za jego wymiar etatu × (miesiące / 12); brak months = 12 miesięcy;
  -- stawki programu regionalnego wniosku (pole programme; brak = stawki domyślne z Wytycznych)
  amount = function(a)
    local total, full, prog = 0, param "owes.maintenance_months", get(a, "programme")
    for _, j in ipairs(a.jobs) do
      local rate = j.fte >= 1 and param_for("owes.maintenance_full_time", prog)
        or j.fte >= 0.75 and param_for("owes.maintenance_three_quarters", prog)
        or j.fte >= 0.5 and param_for("owes.maintenance_half_time", prog) or 0
      total = total + round2(rate * math.min(get(j, "months", full), full) / full)
    end
    return total
  end,
}

criterion "OWES-02a" {
  basis = "Wytyczne EFS+ 2021–2027",
  pl = "Każde stanowisko ma co najmniej 1/2 etatu (stawki: pełny etat, 3/4, 1/2)",
  en = "Every job is at least 1/2 FTE (rates: full time, 3/4, 1/2)",
  -- ZAŁOŻENIE: wymiar pośredni (np. 0,6 etatu) finansowany stawką najbliższego niższego wymiaru.
  assumption = { pl = "ZAŁOŻENIE: wymiar pośredni finansowany stawką najbliższego niższego wymiaru",
                 en = "ASSUMPTION: an intermediate FTE is paid at the next lower rate" },
  check = function(a)
    if #a.jobs == 0 then return fail { pl = "wniosek nie wymienia stanowisk", en = "the application lists no jobs" } end
    local bad = {}
    for i, j in ipairs(a.jobs) do
      if j.fte < 0.5 then bad[#bad + 1] = fmt("%d (%s %s)", i, num(j.fte), L("etatu", "FTE")) end
    end
    local n = #a.jobs
    return verdict(#bad == 0,
      n == 1 and { pl = "jedyne stanowisko ma co najmniej 1/2 etatu", en = "the only job is at least 1/2 FTE" }
        or { pl = "wszystkie " .. plural(n, "stanowisko ma", "stanowiska mają", "stanowisk ma") .. " co najmniej 1/2 etatu",
             en = "all %d jobs are at least 1/2 FTE", n },
      { pl = "poniżej 1/2 etatu: stanowisko " .. table.concat(bad, ", "), en = "below 1/2 FTE: job " .. table.concat(bad, ", ") })
  end,
}

criterion "OWES-02b" {
  basis = "Wytyczne EFS+ 2021–2027",
  pl = "Wsparcie najwyżej na 12 miesięcy na stanowisko",
  en = "Support for at most 12 months per job",
  check = function(a)
    local max = param "owes.maintenance_months"
    local longest = 0
    for _, j in ipairs(a.jobs) do longest = math.max(longest, get(j, "months", max)) end
    return at_most(longest, max, { pl = "najdłuższy okres wsparcia (miesiące)", en = "longest support period (months)" })
  end,
}

criterion "OWES-02c" {
  basis = "Wytyczne EFS+ 2021–2027",
  pl = "Zobowiązanie do utrzymania miejsca pracy przez 6 miesięcy po okresie finansowania",
  en = "Commitment to keep the job 6 months after the financed period",
  check = function(a)
    local need = param "owes.maintenance_after_months"
    local c = get(a, "commitment_months")
    if c == nil then   -- pole spoza kontraktu: nic innego we wniosku nie rozstrzyga tego warunku
      return unknown({ pl = "brak deklaracji, przez ile miesięcy po okresie wsparcia miejsce pracy zostanie utrzymane — potrzebna deklaracja wnioskodawcy (commitment_months): wymagane co najmniej %d mies.",
                       en = "no declaration of how many months after the support the job will be kept — the applicant's declaration is needed (commitment_months): at least %d months required", need },
        "commitment_months")
    end
    return at_least(c, need,
      { pl = "zadeklarowane utrzymanie po okresie wsparcia (miesiące)", en = "declared retention after the support (months)" })
  end,
}
