-- PRZYKŁAD: karta oceny wniosków o dotację na utworzenie miejsc pracy (OWES)
-- Example scoring rule for a job-creation call. NOT part of the law: each OWES centre adapts the
-- criteria and the points (parameters score.* below) to its own call (regulamin konkursu) and
-- dates them from the day its call opens.
-- Podstawa: regulamin naboru OWES (przykład), w ramach Wytycznych EFS+ 2021–2027;
-- osoby zagrożone wykluczeniem: art. 2 pkt 6 ustawy o ekonomii społecznej (Dz.U. 2024 poz. 113).

parameter "score.job_disabled_severe_moderate" {
  unit = "pkt/stanowisko", basis = "regulamin naboru (przykład)",
  pl = "Punkty za każde stanowisko dla osoby ze znacznym lub umiarkowanym stopniem niepełnosprawności",
  en = "Points per job for a person with a severe or moderate disability",
  { from = "2024-01-01", value = 3 },
}
parameter "score.job_long_term_unemployed" {
  unit = "pkt/stanowisko", basis = "regulamin naboru (przykład)",
  pl = "Punkty za każde stanowisko dla osoby długotrwale bezrobotnej",
  en = "Points per job for a long-term unemployed person",
  { from = "2024-01-01", value = 2 },
}
parameter "score.reintegration_type" {
  unit = "pkt", basis = "regulamin naboru (przykład)",
  pl = "Punkty dla przedsiębiorstwa społecznego typu reintegracyjnego",
  en = "Points for a reintegration-type social enterprise",
  { from = "2024-01-01", value = 5 },
}
parameter "score.young_enterprise_months" {
  unit = "miesiące", basis = "regulamin naboru (przykład)",
  pl = "Podmiot „młody”: założony nie dawniej niż tyle miesięcy przed złożeniem wniosku",
  en = "A 'young' entity: founded at most this many months before the application",
  { from = "2024-01-01", value = 12 },
}
parameter "score.young_enterprise" {
  unit = "pkt", basis = "regulamin naboru (przykład)",
  pl = "Punkty dla podmiotu działającego krócej niż rok",
  en = "Points for an entity younger than a year",
  { from = "2024-01-01", value = 4 },
}
parameter "score.social_cooperative" {
  unit = "pkt", basis = "regulamin naboru (przykład)",
  pl = "Punkty dla spółdzielni socjalnej",
  en = "Points for a social cooperative",
  { from = "2024-01-01", value = 2 },
}

rule "owes-job-creation-scoring" {
  applies_to = "application",
  programs = { "owes-job-creation" },
  example = true,
  scoring = true,   -- a criterion with 0 points shows as ✗ and never makes the case ineligible
  title = { pl = "Przykładowa karta oceny: tworzenie miejsc pracy (OWES)", en = "Example scoring: job creation (OWES)" },
  basis = "regulamin naboru OWES (przykład do dostosowania)",
}

criterion "SC-01" {
  basis = "regulamin naboru (przykład), kryterium premiujące 1",
  pl = "Stanowiska dla osób ze znacznym lub umiarkowanym stopniem niepełnosprawności",
  en = "Jobs for persons with a severe or moderate disability",
  check = function(a)
    local n = count(a.jobs, function(j) return oneof(j.worker.disability, "severe", "moderate") end)
    local per = param "score.job_disabled_severe_moderate"
    return points(n * per, L("stanowiska dla osób ze znaczną lub umiarkowaną niepełnosprawnością: %d × %d pkt",
      "jobs for persons with a severe or moderate disability: %d × %d pt"), n, per)
  end,
}

criterion "SC-02" {
  basis = "regulamin naboru (przykład), kryterium premiujące 2",
  pl = "Stanowiska dla osób długotrwale bezrobotnych",
  en = "Jobs for long-term unemployed persons",
  check = function(a)
    local n, open, missing = 0, 0, {}
    for _, j in ipairs(a.jobs) do
      local r = check_rule("long-term-unemployed", j.worker)
      if r.outcome == "eligible" then n = n + 1
      elseif r.outcome == "undetermined" then
        open = open + 1
        for _, c in ipairs(r.criteria) do for _, m in ipairs(c.missing) do missing[#missing + 1] = m end end
      end
    end
    local per = param "score.job_long_term_unemployed"
    if open > 0 then
      return unknown({ pl = "nie ustalono, czy %d os. jest długotrwale bezrobotna",
                       en = "undetermined whether %d people are long-term unemployed", open }, table.unpack(missing))
    end
    return points(n * per, L("stanowiska dla osób długotrwale bezrobotnych: %d × %d pkt",
      "jobs for long-term unemployed persons: %d × %d pt"), n, per)
  end,
}

criterion "SC-03" {
  basis = "regulamin naboru (przykład), kryterium premiujące 3",
  pl = "Przedsiębiorstwo społeczne typu reintegracyjnego",
  en = "Reintegration-type social enterprise",
  check = function(a)
    local t = a.enterprise.ps_type
    local p = t == "reintegration" and param "score.reintegration_type" or 0
    return points(p, "%s — %s", about("ps_type", t), plural(p, "pkt", "pkt", "pkt", "pt", "pts"))
  end,
}

criterion "SC-04" {
  basis = "regulamin naboru (przykład), kryterium premiujące 4",
  pl = "Podmiot działający krócej niż rok",
  en = "Entity younger than a year",
  check = function(a)
    local founded, months = a.enterprise.founded_on, param "score.young_enterprise_months"
    local young = as_of() < add_months(founded, months)
    local p = young and param "score.young_enterprise" or 0
    return points(p, L("data założenia: %s (%d mies. przed wnioskiem) — %d pkt", "founded on %s (%d months before) — %d pt"),
      founded, months_between(founded, as_of()), p)
  end,
}

criterion "SC-05" {
  basis = "regulamin naboru (przykład), kryterium premiujące 5",
  pl = "Spółdzielnia socjalna",
  en = "Social cooperative",
  check = function(a)
    local f = a.enterprise.legal_form
    local p = f == "social_cooperative" and param "score.social_cooperative" or 0
    return points(p, "%s — %s", about("legal_form", f), plural(p, "pkt", "pkt", "pkt", "pt", "pts"))
  end,
}
