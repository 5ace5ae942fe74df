-- PUP: refundacja składek na ubezpieczenia społeczne w przedsiębiorstwie społecznym
-- ustawa z dnia 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2022 poz. 1812; t.j. Dz.U. 2024 poz. 113), art. 21;
-- stopy składek: ustawa z 13 października 1998 r. o systemie ubezpieczeń społecznych (Dz.U. 1998 nr 137 poz. 887).

-- Limit refundacji dla stanowiska: składki od płacy minimalnej (proporcjonalnie do etatu)
-- × (miesiące w 100% + 50% × miesiące w obniżonej wysokości). Brak months = pełny okres 24 + 12.
local function job_cap(j)
  local full, red, share = param "pup.contribution_full_months", param "pup.contribution_reduced_months", param "pup.contribution_reduced_share"
  local m = get(j, "months", full + red)
  local monthly = round2(param "minimum_wage" * j.fte * param "zus.social_contributions_rate")
  return round2(monthly * (math.min(m, full) + share * math.max(0, math.min(m - full, red)))), monthly, m
end
local function cap_of(a)
  local cap = 0
  for _, j in ipairs(a.jobs) do cap = cap + job_cap(j) end
  return round2(cap)
end

rule "pup-contribution-refund" {
  applies_to = "application",
  title = { pl = "PUP: refundacja składek na ubezpieczenia społeczne", en = "PUP: social-security contribution refund" },
  basis = "art. 21 ustawy o ekonomii społecznej (Dz.U. 2024 poz. 113)",
  -- kwota: wnioskowana, najwyżej limit składek
  amount = function(a)
    local cap = cap_of(a)
    return math.min(get(a, "requested_amount", cap), cap)
  end,
}

criterion "PUP-03a" { uses = "pup.applicant-holds-ps-status", basis = "art. 21 u.e.s." }   -- Rules/shared/pup.lua

criterion "PUP-03b" { uses = "pup.workers-at-risk", basis = "art. 21 u.e.s." }   -- Rules/shared/pup.lua

criterion "PUP-03c" {
  basis = "art. 21 u.e.s.",
  pl = "Refundacja najwyżej 24 miesiące w 100% i 12 kolejnych w 50%",
  en = "Refund for at most 24 months at 100% and 12 more at 50%",
  check = function(a)
    local max, longest = param "pup.contribution_full_months" + param "pup.contribution_reduced_months", 0
    for _, j in ipairs(a.jobs) do longest = math.max(longest, get(j, "months", max)) end
    return at_most(longest, max, { pl = "najdłuższy okres refundacji (miesiące)", en = "longest refund period (months)" })
  end,
}

criterion "PUP-03d" {
  basis = "art. 21 u.e.s.",
  pl = "Wnioskowana kwota nie przekracza składek od płacy minimalnej",
  en = "The amount requested is within the contributions on the minimum wage",
  -- ZAŁOŻENIE: limit = składki pracodawcy i pracownika od płacy minimalnej w dniu wniosku, proporcjonalnie do etatu
  -- (stopa: parametr zus.social_contributions_rate, 31,64%).
  assumption = { pl = "ZAŁOŻENIE: limit = składki (31,64%) od płacy minimalnej w dniu wniosku, proporcjonalnie do etatu",
                 en = "ASSUMPTION: cap = contributions (31.64%) on the minimum wage on the application date, pro rata to FTE" },
  check = function(a)
    return at_most(a.requested_amount, cap_of(a),
      { pl = "wnioskowana kwota (limit: składki %s × płaca minimalna %s, %d stan.)",
        en = "amount requested (cap: contributions %s × minimum wage %s, %d jobs)", pct(param "zus.social_contributions_rate", 2), money(param "minimum_wage"), #a.jobs }, "zł")
  end,
}
