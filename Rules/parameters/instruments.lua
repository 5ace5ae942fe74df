-- Parametry instrumentów wsparcia: OWES (EFS+ 2021–2027) i Fundusz Pracy (PUP)
-- Parameters of the support instruments: OWES (ESF+ 2021–2027) and the Labour Fund (PUP).

-- OWES: Wytyczne dotyczące realizacji projektów z udziałem środków EFS+ w regionalnych programach
-- na lata 2021–2027 (stawki jednostkowe) — okres kwalifikowalności od 2021-01-01.

parameter "owes.job_creation_unit_cost" {
  unit = "zł/miejsce pracy", basis = "Wytyczne EFS+ 2021–2027, stawka jednostkowa na utworzenie miejsca pracy w PES",
  pl = "Stawka jednostkowa na utworzenie jednego miejsca pracy",
  en = "Unit cost of creating one job",
  -- ZAŁOŻENIE: coroczna waloryzacja stawki niezweryfikowana; dopisz kolejne wartości z datami.
  { from = "2021-01-01", value = 31229, note = "indeksacja roczna: M" },
}

parameter "owes.max_jobs_per_entity" {
  unit = "miejsca pracy", basis = "Wytyczne EFS+ 2021–2027",
  pl = "Najwięcej miejsc pracy finansowanych stawką w jednym podmiocie",
  en = "Maximum jobs financed by the unit cost in one entity",
  { from = "2021-01-01", value = 10 },
}

-- ZAŁOŻENIE: podmiot ma status PS albo uzyskuje go w ciągu 6 miesięcy (niezweryfikowane).
parameter "owes.ps_status_deadline_months" {
  unit = "miesiące", basis = "Wytyczne EFS+ 2021–2027 (niezweryfikowane)", confidence = "M",
  pl = "W ciągu ilu miesięcy podmiot bez statusu PS musi go uzyskać",
  en = "Within how many months an entity without PS status must obtain it",
  { from = "2021-01-01", value = 6, confidence = "M" },
}

parameter "owes.maintenance_full_time" {
  unit = "zł/12 miesięcy", basis = "Wytyczne EFS+ 2021–2027, wsparcie pomostowe na utrzymanie miejsca pracy",
  pl = "Wsparcie na utrzymanie miejsca pracy: pełny etat, 12 miesięcy",
  en = "Job-maintenance support: full time, 12 months",
  { from = "2021-01-01", value = 32400 },
}

parameter "owes.maintenance_three_quarters" {
  unit = "zł/12 miesięcy", basis = "Wytyczne EFS+ 2021–2027",
  pl = "Wsparcie na utrzymanie miejsca pracy: 3/4 etatu, 12 miesięcy",
  en = "Job-maintenance support: 3/4 FTE, 12 months",
  { from = "2021-01-01", value = 24300 },
}

parameter "owes.maintenance_half_time" {
  unit = "zł/12 miesięcy", basis = "Wytyczne EFS+ 2021–2027",
  pl = "Wsparcie na utrzymanie miejsca pracy: 1/2 etatu, 12 miesięcy",
  en = "Job-maintenance support: 1/2 FTE, 12 months",
  { from = "2021-01-01", value = 16200 },
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
