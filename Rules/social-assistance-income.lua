-- Kryterium dochodowe pomocy społecznej
-- ustawa z dnia 12 marca 2004 r. o pomocy społecznej (Dz.U. 2004 nr 64 poz. 593, z późn. zm.), art. 8 ust. 1;
-- kwoty: rozporządzenia Rady Ministrów w sprawie zweryfikowanych kryteriów dochodowych (parametry ops.*).

rule "social-assistance-income" {
  applies_to = "person",
  title = { pl = "Kryterium dochodowe pomocy społecznej", en = "Social-assistance income test" },
  basis = "art. 8 ust. 1 ustawy o pomocy społecznej (Dz.U. 2004 nr 64 poz. 593)",
}

criterion "PER-04" {
  basis = "art. 8 ust. 1 pkt 1–2 u.p.s.",
  pl = "Dochód na osobę nie przekracza kryterium dochodowego (osoba samotna albo osoba w rodzinie)",
  en = "Income per person within the threshold (single person or person in a family)",
  check = function(p)
    local m = missing(p, "household_size", "household_monthly_income")   -- ask for both at once
    if m then return m end
    local size, income = p.household_size, p.household_monthly_income
    if size == 1 then
      return at_most(income, param "ops.income_threshold_single",
        { pl = "dochód osoby samotnie gospodarującej", en = "income of a single person" }, "zł")
    end
    return at_most(income / size, param "ops.income_threshold_per_person",
      { pl = "dochód na osobę w rodzinie (%s / %d os.)",
        en = "income per person in the family (%s / %d)", money(income), size }, "zł")
  end,
}
