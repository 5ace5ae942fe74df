-- Parametry definicji osób (osoba zagrożona wykluczeniem, osoba długotrwale bezrobotna)
-- Parameters of the person definitions.
-- ustawa z 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2022 poz. 1812; t.j. Dz.U. 2024 poz. 113), art. 2 pkt 6;
-- ustawa o promocji zatrudnienia (do 2025-05-31) / ustawa o rynku pracy i służbach zatrudnienia (od 2025-06-01).

-- Art. 2 pkt 6 lit. c u.e.s.: osoba poszukująca pracy bez zatrudnienia (1) do 30. roku życia oraz po ukończeniu
-- 50. roku życia lub (2) będąca opiekunem osoby niepełnosprawnej, z wyłączeniem opiekunów pobierających świadczenie
-- pielęgnacyjne, specjalny zasiłek opiekuńczy albo zasiłek dla opiekuna (źródła: rowes.com.pl cytuje lit. c do
-- słowa „lub”; drugą alternatywę w tym samym brzmieniu zawiera art. 49 pkt 7 ustawy o promocji zatrudnienia —
-- zielonalinia.gov.pl — i lista założycieli spółdzielni socjalnej; pewność M).
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

-- WYBÓR CENTRUM (domyślnie wyłączony): art. 2 pkt 6 u.e.s. nie wymienia osób bezdomnych, uzależnionych po terapii
-- ani klientów pomocy społecznej jako osobnych grup (żadne źródło ich nie podaje). Centrum, które chce je liczyć
-- (np. zgodnie z regulaminem swojego projektu), włącza je we własnym pliku Rules/local/*.lua:
--   override "per.at_risk_extended_groups" { basis = "regulamin projektu …", { from = "2022-10-30", value = true } }
parameter "per.at_risk_extended_groups" {
  unit = "tak/nie", basis = "wybór centrum — poza art. 2 pkt 6 u.e.s.",
  pl = "Czy liczyć grupy spoza art. 2 pkt 6 (wybór centrum): bezdomni, uzależnieni po terapii, korzystający z pomocy społecznej",
  en = "Whether to count groups outside art. 2 pkt 6 (a centre's choice): homeless, addiction after therapy, social-assistance clients",
  { from = "2022-10-30", value = false, note = "wybór centrum; domyślnie wyłączone" },
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
