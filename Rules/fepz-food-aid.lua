-- Pomoc żywnościowa FEPŻ
-- Program Fundusze Europejskie na Pomoc Żywnościową 2021–2027 (FEPŻ), wytyczne kwalifikowania odbiorców;
-- w związku z art. 7 i art. 8 ustawy z 12 marca 2004 r. o pomocy społecznej (Dz.U. 2004 nr 64 poz. 593).

rule "fepz-food-aid" {
  applies_to = "person",
  title = { pl = "Pomoc żywnościowa FEPŻ 2021–2027", en = "FEPŻ food aid 2021–2027" },
  basis = "Program FEPŻ 2021–2027; art. 7 i 8 ustawy o pomocy społecznej",
}

criterion "PER-05a" {
  basis = "art. 7 u.p.s.",
  pl = "Występuje co najmniej jedna przesłanka z art. 7 ustawy o pomocy społecznej",
  en = "At least one ground of art. 7 of the Social Assistance Act applies",
  check = function(p)
    local g = p.social_assistance_grounds
    return verdict(#g > 0,
      L("przesłanki z art. 7 u.p.s.: ", "art. 7 grounds: ") .. label("social_assistance_grounds", g),
      { pl = "brak przesłanek z art. 7 (pusta lista)", en = "no art. 7 ground (empty list)" })
  end,
}

criterion "PER-05b" {
  basis = "Program FEPŻ 2021–2027 (265% kryterium z art. 8 u.p.s.)",
  pl = "Dochód nie przekracza 265% kryterium dochodowego",
  en = "Income within 265% of the income threshold",
  check = function(p)
    local m = missing(p, "household_size", "household_monthly_income")   -- ask for both at once
    if m then return m end
    local size, income, k = p.household_size, p.household_monthly_income, param "fepz.income_multiplier"
    if size == 1 then
      local limit = round2(k * param "ops.income_threshold_single")
      return at_most(income, limit,
        { pl = "dochód osoby samotnej (limit = %s%% × %s)",
          en = "income of a single person (limit = %s%% × %s)", num(k * 100), money(param "ops.income_threshold_single") }, "zł")
    end
    local limit = round2(k * param "ops.income_threshold_per_person")
    return at_most(income / size, limit,
      { pl = "dochód na osobę (%s / %d os.; limit = %s%% × %s)",
        en = "income per person (%s / %d; limit = %s%% × %s)", money(income), size, num(k * 100), money(param "ops.income_threshold_per_person") }, "zł")
  end,
}
