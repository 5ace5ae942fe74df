-- Parametry instrumentów wsparcia: OWES (EFS+ 2021–2027) i Fundusz Pracy (PUP)
-- Parameters of the support instruments: OWES (ESF+ 2021–2027) and the Labour Fund (PUP).

-- OWES: Wytyczne dotyczące realizacji projektów z udziałem środków EFS+ w regionalnych programach
-- na lata 2021–2027 (stawki jednostkowe) — okres kwalifikowalności od 2021-01-01.
--
-- Stawki są REGIONALNE: każdy OWES działa w programie regionalnym swojego województwa (FE-xx 2021–2027),
-- a programy indeksują stawki w różnych terminach (komunikat Ministra Funduszy i Polityki Regionalnej
-- z 26.03.2024 r. w sprawie indeksacji stawek jednostkowych). Wartość bez `programme` to wartość domyślna
-- (stawka z Wytycznych, bez indeksacji); wartość z `programme = "FELD"` dotyczy tylko wniosków z tym
-- programem (pole wniosku `programme`, reguła: param_for). Kody programów (jak w numerach działań SL2021):
--   FEDS dolnośląskie · FEKP kujawsko-pomorskie · FELU lubelskie · FELB lubuskie · FELD łódzkie ·
--   FEMP małopolskie · FEMA mazowieckie · FEOP opolskie · FEPK podkarpackie · FEPD podlaskie ·
--   FEPM pomorskie · FESL śląskie · FESW świętokrzyskie · FEWM warmińsko-mazurskie · FEWP wielkopolskie ·
--   FEPZ zachodniopomorskie.
-- Centrum, które zna stawkę swojego programu, dopisuje ją we własnym pliku Rules/local/*.lua
-- deklaracją `override` (zob. Rules/local/README.md), bez zmiany tego pliku.

parameter "owes.job_creation_unit_cost" {
  unit = "zł/miejsce pracy", basis = "Wytyczne EFS+ 2021–2027, stawka jednostkowa na utworzenie miejsca pracy w PES; regulaminy OWES w programach regionalnych",
  pl = "Stawka jednostkowa na utworzenie jednego miejsca pracy",
  en = "Unit cost of creating one job",
  -- domyślna: stawka z Wytycznych (strony OWES: owies.eswip.pl, owes.cio.slupsk.pl, mowes.tozch.edu.pl: 31 229 zł)
  { from = "2021-01-01", value = 31229, note = "stawka z Wytycznych, bez indeksacji" },
  -- FEWM (OWIES Elbląg, owies.eswip.pl) i FEPM (OWES Słupsk, owes.cio.slupsk.pl): 31 229 zł
  { programme = "FEWM", from = "2021-01-01", value = 31229, note = "owies.eswip.pl" },
  { programme = "FEPM", from = "2021-01-01", value = 31229, note = "owes.cio.slupsk.pl" },
  -- FELD: 35 212 zł — OWES Fundacji Instytut Spraw Obywatelskich (7 powiatów woj. łódzkiego), nabór od 17.05.2024
  -- (owes.instytutsprawobywatelskich.pl, „Wsparcie finansowe na tworzenie miejsc pracy [region]”); kwota po indeksacji
  -- z komunikatu z 26.03.2024. ZAŁOŻENIE: od dnia otwarcia naboru; inne OWES w łódzkim mogą mieć własny termin (override).
  { programme = "FELD", from = "2024-05-17", value = 35212, confidence = "M", note = "owes.instytutsprawobywatelskich.pl; kwota C, dzień M" },
}

parameter "owes.max_jobs_per_entity" {
  unit = "miejsca pracy", basis = "Wytyczne EFS+ 2021–2027",
  pl = "Najwięcej miejsc pracy finansowanych stawką w jednym podmiocie",
  en = "Maximum jobs financed by the unit cost in one entity",
  { from = "2021-01-01", value = 10 },
}

-- OWES-01d: źródła (strony OWES) mówią, że podmiot ekonomii społecznej może otrzymać stawkę „pod warunkiem
-- przekształcenia w przedsiębiorstwo społeczne”; żadne nie podaje terminu. Termin nie jest więc parametrem
-- prawa, tylko warunkiem umowy z OWES — reguła nie sprawdza żadnej liczby miesięcy.

parameter "owes.maintenance_full_time" {
  unit = "zł/12 miesięcy", basis = "Wytyczne EFS+ 2021–2027, wsparcie pomostowe na utrzymanie miejsca pracy; regulaminy OWES",
  pl = "Wsparcie na utrzymanie miejsca pracy: pełny etat, 12 miesięcy",
  en = "Job-maintenance support: full time, 12 months",
  { from = "2021-01-01", value = 32400 },
  -- FELD: „wsparcie finansowe na utrzymanie miejsca pracy przez 12 miesięcy w wysokości do 38 700 zł”
  -- (owes.instytutsprawobywatelskich.pl, nabór od 17.05.2024); ZAŁOŻENIE: dotyczy pełnego etatu, od dnia naboru.
  { programme = "FELD", from = "2024-05-17", value = 38700, confidence = "M", note = "owes.instytutsprawobywatelskich.pl; pełny etat i dzień M" },
}

parameter "owes.maintenance_three_quarters" {
  unit = "zł/12 miesięcy", basis = "Wytyczne EFS+ 2021–2027",
  pl = "Wsparcie na utrzymanie miejsca pracy: 3/4 etatu, 12 miesięcy",
  en = "Job-maintenance support: 3/4 FTE, 12 months",
  { from = "2021-01-01", value = 24300 },
  -- ZAŁOŻENIE: FELD — 3/4 stawki pełnoetatowej 38 700 zł (proporcja jak w Wytycznych; brak źródła)
  { programme = "FELD", from = "2024-05-17", value = 29025, confidence = "M", note = "proporcjonalnie do 38 700 zł" },
}

parameter "owes.maintenance_half_time" {
  unit = "zł/12 miesięcy", basis = "Wytyczne EFS+ 2021–2027",
  pl = "Wsparcie na utrzymanie miejsca pracy: 1/2 etatu, 12 miesięcy",
  en = "Job-maintenance support: 1/2 FTE, 12 months",
  { from = "2021-01-01", value = 16200 },
  -- ZAŁOŻENIE: FELD — 1/2 stawki pełnoetatowej 38 700 zł (proporcja jak w Wytycznych; brak źródła)
  { programme = "FELD", from = "2024-05-17", value = 19350, confidence = "M", note = "proporcjonalnie do 38 700 zł" },
}

parameter "owes.maintenance_months" {
  unit = "miesiące", basis = "Wytyczne EFS+ 2021–2027",
  pl = "Okres finansowania wsparcia na utrzymanie miejsca pracy",
  en = "Period financed by the job-maintenance support",
  { from = "2021-01-01", value = 12 },
}

parameter "owes.maintenance_after_months" {
  unit = "miesiące", basis = "Wytyczne EFS+ 2021–2027",
  pl = "Ile miesięcy po okresie finansowania trzeba utrzymać miejsce pracy",
  en = "How many months after the financed period the job must be kept",
  { from = "2021-01-01", value = 6 },
}

parameter "owes.reintegration_min_wage_multiple" {
  unit = "× minimalne wynagrodzenie", basis = "zasady udzielania wsparcia OWES (Warmia i Mazury)",
  pl = "Najwyższe wsparcie reintegracyjne na jedną zatrudnioną osobę zagrożoną wykluczeniem (300% płacy minimalnej)",
  en = "Maximum reintegration support per at-risk employee (300% of the minimum wage)",
  { from = "2021-01-01", value = 3 },
}

-- PUP: ustawa z 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2024 poz. 113), art. 21–22, od 2022-10-30.

parameter "pup.job_grant_avg_wage_multiple" {
  unit = "× przeciętne wynagrodzenie", basis = "art. 22 u.e.s.",
  pl = "Środki na utworzenie stanowiska pracy: najwyżej tyle przeciętnych wynagrodzeń na stanowisko",
  en = "Job grant: at most this many average wages per job",
  { from = "2022-10-30", value = 6 },
}

parameter "pup.job_grant_keep_months" {
  unit = "miesiące", basis = "art. 22 u.e.s.",
  pl = "Okres utrzymania stanowiska pracy finansowanego z Funduszu Pracy",
  en = "How long a job financed by the Labour Fund must be kept",
  { from = "2022-10-30", value = 24 },
}

parameter "pup.wage_refund_months" {
  unit = "miesiące", basis = "art. 22 u.e.s.",
  pl = "Najdłuższy okres refundacji wynagrodzenia",
  en = "Longest wage-refund period",
  { from = "2022-10-30", value = 6 },
}

parameter "pup.wage_refund_keep_months" {
  unit = "miesiące", basis = "art. 22 u.e.s.",
  pl = "Okres utrzymania zatrudnienia po refundacji wynagrodzenia",
  en = "How long employment must be kept with a wage refund",
  { from = "2022-10-30", value = 12 },
}

parameter "pup.contribution_full_months" {
  unit = "miesiące", basis = "art. 21 u.e.s.",
  pl = "Refundacja składek w 100%: liczba miesięcy",
  en = "Contribution refund at 100%: months",
  { from = "2022-10-30", value = 24 },
}

parameter "pup.contribution_reduced_months" {
  unit = "miesiące", basis = "art. 21 u.e.s.",
  pl = "Refundacja składek w obniżonej wysokości: liczba kolejnych miesięcy",
  en = "Contribution refund at the reduced rate: further months",
  { from = "2022-10-30", value = 12 },
}

parameter "pup.contribution_reduced_share" {
  unit = "%", basis = "art. 21 u.e.s.",
  pl = "Obniżona refundacja składek (50%)",
  en = "Reduced contribution refund (50%)",
  { from = "2022-10-30", value = 0.5 },
}

-- ZAŁOŻENIE: refundowane są składki na ubezpieczenia społeczne pracodawcy i pracownika:
-- emerytalne 19,52% + rentowe 8% + chorobowe 2,45% + wypadkowe 1,67% = 31,64% podstawy
-- (stopa wypadkowa zależy od płatnika; zakres refundacji niezweryfikowany).
parameter "zus.social_contributions_rate" {
  unit = "% podstawy", basis = "ustawa z 13 października 1998 r. o systemie ubezpieczeń społecznych (stopy składek)",
  confidence = "M",
  pl = "Łączna stopa składek na ubezpieczenia społeczne przyjęta do limitu refundacji",
  en = "Total social-security contribution rate used for the refund cap",
  { from = "2022-10-30", value = 0.3164, confidence = "M" },
}
