-- OWES: wsparcie reintegracyjne dla pracowników zagrożonych wykluczeniem
-- Zasady udzielania wsparcia OWES (Warmia i Mazury), w ramach Wytycznych EFS+ 2021–2027;
-- osoba zagrożona wykluczeniem: art. 2 pkt 6 ustawy o ekonomii społecznej (Dz.U. 2024 poz. 113);
-- płaca minimalna: rozporządzenia RM w sprawie minimalnego wynagrodzenia za pracę.

rule "owes-reintegration" {
  applies_to = "application",
  title = { pl = "OWES: wsparcie reintegracyjne", en = "OWES: reintegration support" },
  basis = "zasady udzielania wsparcia OWES (Warmia i Mazury); art. 2 pkt 6 u.e.s.",
  -- kwota: wnioskowana, najwyżej limit (liczba pracowników × 300% płacy minimalnej)
  amount = function(a)
    local cap = #a.jobs * round2(param "owes.reintegration_min_wage_multiple" * param "minimum_wage")
    return math.min(get(a, "requested_amount", cap), cap)
  end,
}

criterion "OWES-03a" {
  basis = "art. 2 pkt 6 u.e.s.",
  pl = "Każdy pracownik objęty wsparciem jest osobą zagrożoną wykluczeniem społecznym",
  en = "Every employee supported is a person at risk of social exclusion",
  check = function(a)
    return requires_each("at-risk-person", a.jobs, function(j) return j.worker end,
      function(i) return L("pracownik ", "employee ") .. i end)
  end,
}

criterion "OWES-03b" {
  basis = "zasady OWES: do 300% minimalnego wynagrodzenia na osobę",
  pl = "Wnioskowana kwota nie przekracza 300% płacy minimalnej na pracownika",
  en = "The amount requested is within 300% of the minimum wage per employee",
  check = function(a)
    local k, mw = param "owes.reintegration_min_wage_multiple", param "minimum_wage"
    local per = round2(k * mw)
    return at_most(a.requested_amount, #a.jobs * per,
      { pl = "wnioskowana kwota (limit: %d os. × %s%% × %s)",
        en = "amount requested (cap: %d × %s%% × %s)", #a.jobs, num(k * 100), money(mw) }, "zł")
  end,
}
