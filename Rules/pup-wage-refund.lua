-- PUP: refundacja wynagrodzenia osoby zatrudnionej w przedsiębiorstwie społecznym
-- ustawa z dnia 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2022 poz. 1812; t.j. Dz.U. 2024 poz. 113), art. 22;
-- płaca minimalna: rozporządzenia RM w sprawie minimalnego wynagrodzenia za pracę.

rule "pup-wage-refund" {
  applies_to = "application",
  title = { pl = "PUP: refundacja wynagrodzenia", en = "PUP: wage refund" },
  basis = "art. 22 ustawy o ekonomii społecznej (Dz.U. 2024 poz. 113)",
  -- kwota: wnioskowana, najwyżej Σ (płaca minimalna × miesiące refundacji stanowiska; brak months = 6)
  amount = function(a)
    local cap = 0
    for _, j in ipairs(a.jobs) do cap = cap + param "minimum_wage" * get(j, "months", param "pup.wage_refund_months") end
    return math.min(get(a, "requested_amount", cap), cap)
  end,
}

criterion "PUP-02a" { uses = "pup.applicant-holds-ps-status", basis = "art. 22 u.e.s." }   -- Rules/shared/pup.lua

criterion "PUP-02b" { uses = "pup.workers-at-risk", basis = "art. 22 u.e.s." }   -- Rules/shared/pup.lua

criterion "PUP-02c" {
  basis = "art. 22 u.e.s.",
  pl = "Refundacja najwyżej przez 6 miesięcy na stanowisko",
  en = "Refund for at most 6 months per job",
  check = function(a)
    local max, longest = param "pup.wage_refund_months", 0
    for _, j in ipairs(a.jobs) do longest = math.max(longest, get(j, "months", max)) end
    return at_most(longest, max, { pl = "najdłuższy okres refundacji (miesiące)", en = "longest refund period (months)" })
  end,
}

criterion "PUP-02d" {
  basis = "art. 22 u.e.s.",
  pl = "Wnioskowana kwota nie przekracza płacy minimalnej za każdy miesiąc refundacji",
  en = "The amount requested is within the minimum wage per month refunded",
  check = function(a)
    local mw, months = param "minimum_wage", 0
    for _, j in ipairs(a.jobs) do months = months + get(j, "months", param "pup.wage_refund_months") end
    return at_most(a.requested_amount, mw * months,
      { pl = "wnioskowana kwota (limit: %d mies. × %s)",
        en = "amount requested (cap: %d months × %s)", months, money(mw) }, "zł")
  end,
}

criterion "PUP-02e" {
  basis = "art. 22 u.e.s.",
  pl = "Zobowiązanie do utrzymania zatrudnienia przez 12 miesięcy",
  en = "Commitment to keep the employment for 12 months",
  check = function(a)
    local need = param "pup.wage_refund_keep_months"
    local c = get(a, "commitment_months")
    if c == nil then   -- pole spoza kontraktu: nic innego we wniosku nie rozstrzyga tego warunku
      return unknown({ pl = "brak deklaracji, przez ile miesięcy zatrudnienie zostanie utrzymane — potrzebna deklaracja wnioskodawcy (commitment_months): wymagane co najmniej %d mies.",
                       en = "no declaration of how many months the employment will be kept — the applicant's declaration is needed (commitment_months): at least %d months required", need },
        "commitment_months")
    end
    return at_least(c, need,
      { pl = "zadeklarowany okres utrzymania zatrudnienia (miesiące)", en = "declared retention period (months)" })
  end,
}
