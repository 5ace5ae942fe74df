-- Osoba długotrwale bezrobotna
-- do 2025-05-31: ustawa z 20 kwietnia 2004 r. o promocji zatrudnienia i instytucjach rynku pracy
--   (Dz.U. 2004 nr 99 poz. 1001), art. 2 ust. 1 pkt 5;
-- od 2025-06-01: ustawa z 20 marca 2025 r. o rynku pracy i służbach zatrudnienia (Dz.U. 2025 poz. 620).
-- Która ustawa obowiązuje w dniu oceny — parametr "labour_market.act".

rule "long-term-unemployed" {
  applies_to = "person",
  title = { pl = "Osoba długotrwale bezrobotna", en = "Long-term unemployed person" },
  basis = "ustawa o promocji zatrudnienia (do 2025-05-31) / ustawa o rynku pracy i służbach zatrudnienia (od 2025-06-01)",
}

criterion "PER-03a" {
  basis = "definicja bezrobotnego w ustawie rynku pracy",
  pl = "Osoba zarejestrowana w PUP jako bezrobotna",
  en = "Registered at the labour office (PUP) as unemployed",
  check = function(p)
    return verdict(p.labour_status == "unemployed",
      { pl = "osoba bezrobotna zarejestrowana w PUP (" .. param "labour_market.act" .. ")",
        en = "status: registered unemployed (" .. param "labour_market.act" .. ")" },
      about("labour_status", p.labour_status) .. L(" — nie jest zarejestrowana jako osoba bezrobotna", " — not registered as unemployed"))
  end,
}

criterion "PER-03b" {
  basis = "definicja osoby długotrwale bezrobotnej",
  pl = "W rejestrze PUP łącznie ponad 12 miesięcy w ostatnich 24 miesiącach",
  en = "Registered more than 12 months in total in the last 24 months",
  -- ZAŁOŻENIE: 12 miesięcy = 365 dni; wymagane więcej niż 365 dni (parametr per.long_term_unemployed_days)
  assumption = { pl = "ZAŁOŻENIE: „ponad 12 miesięcy” = więcej niż 365 dni (parametr per.long_term_unemployed_days)",
                 en = "ASSUMPTION: 'more than 12 months' = more than 365 days (parameter per.long_term_unemployed_days)" },
  check = function(p)
    local d, min = p.unemployed_days_last_24_months, param "per.long_term_unemployed_days"
    return verdict(d > min,
      { pl = "dni w rejestrze w ostatnich 24 miesiącach: %d, wymagane ponad %d",
        en = "days registered in the last 24 months: %d, more than %d required", d, min },
      { pl = "dni w rejestrze w ostatnich 24 miesiącach: %d, wymagane ponad %d (brakuje %d)",
        en = "days registered in the last 24 months: %d, more than %d required (%d short)", d, min, min + 1 - d })
  end,
}
