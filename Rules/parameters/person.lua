-- Parametry definicji osób (osoba zagrożona wykluczeniem, osoba długotrwale bezrobotna)
-- Parameters of the person definitions.
-- ustawa z 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2022 poz. 1812; t.j. Dz.U. 2024 poz. 113), art. 2 pkt 6;
-- ustawa o promocji zatrudnienia (do 2025-05-31) / ustawa o rynku pracy i służbach zatrudnienia (od 2025-06-01).

parameter "per.young_job_seeker_age" {
  unit = "lata", basis = "art. 2 pkt 6 u.e.s.",
  pl = "Poszukujący pracy bez zatrudnienia: do 30. roku życia (wiek < 30)",
  en = "Job seeker without a job: under 30 (age < 30)",
  { from = "2022-10-30", value = 30 },
}

parameter "per.older_job_seeker_age" {
  unit = "lata", basis = "art. 2 pkt 6 u.e.s.",
  pl = "Poszukujący pracy bez zatrudnienia: po ukończeniu 50. roku życia (wiek >= 50)",
  en = "Job seeker without a job: aged 50 or more",
  { from = "2022-10-30", value = 50 },
}

-- ZAŁOŻENIE: „osoba starsza” w rozumieniu ustawy z 11 września 2015 r. o osobach starszych: ukończone 60 lat.
parameter "per.older_person_age" {
  unit = "lata", basis = "art. 2 pkt 6 u.e.s. w zw. z art. 4 pkt 1 ustawy o osobach starszych (niezweryfikowane)",
  confidence = "M",
  pl = "Wiek, od którego osoba jest „osobą starszą”",
  en = "Age from which a person is an 'older person'",
  { from = "2022-10-30", value = 60, confidence = "M" },
}

-- ZAŁOŻENIE: lista z art. 2 pkt 6 może być niepełna; grupy docelowe CIS (bezdomni, osoby uzależnione
-- po terapii) i klienci pomocy społecznej liczone jako osoby zagrożone wykluczeniem, dopóki ten
-- parametr ma wartość true. Ustaw false, aby liczyć tylko grupy potwierdzone (C).
parameter "per.at_risk_extended_groups" {
  unit = "tak/nie", basis = "art. 2 pkt 6 u.e.s. (kompletność listy niezweryfikowana)",
  confidence = "M",
  pl = "Czy liczyć grupy niepotwierdzone: bezdomni, uzależnieni po terapii, korzystający z pomocy społecznej",
  en = "Whether to count unverified groups: homeless, addiction after therapy, social-assistance clients",
  { from = "2022-10-30", value = true, confidence = "M" },
}

-- ZAŁOŻENIE: „ponad 12 miesięcy” liczone w dniach jako więcej niż 365 dni rejestracji w ciągu 24 miesięcy
-- (inna możliwa praktyka: miesiąc = 30 dni, tj. ponad 360 dni).
parameter "per.long_term_unemployed_days" {
  unit = "dni", basis = "art. 2 ust. 1 pkt 5 ustawy o promocji zatrudnienia; ustawa o rynku pracy i służbach zatrudnienia",
  confidence = "M",
  pl = "Osoba długotrwale bezrobotna: w rejestrze łącznie więcej niż tyle dni w ostatnich 24 miesiącach (12 miesięcy)",
  en = "Long-term unemployed: registered more than this many days in the last 24 months (12 months)",
  { from = "2004-06-01", value = 365, confidence = "M" },
}

parameter "labour_market.act" {
  unit = "akt prawny", basis = "ustawa o rynku pracy i służbach zatrudnienia, przepisy przejściowe",
  pl = "Ustawa rynku pracy obowiązująca w dniu oceny",
  en = "The labour-market act in force on the as-of date",
  { from = "2004-06-01", value = "ustawa z 20 kwietnia 2004 r. o promocji zatrudnienia i instytucjach rynku pracy (Dz.U. 2004 nr 99 poz. 1001)" },
  { from = "2025-06-01", value = "ustawa z 20 marca 2025 r. o rynku pracy i służbach zatrudnienia (Dz.U. 2025 poz. 620)" },
}
