-- Kryteria dochodowe pomocy społecznej i FEPŻ
-- Income thresholds of social assistance and the FEPŻ food-aid programme.
-- ustawa z 12 marca 2004 r. o pomocy społecznej (Dz.U. 2004 nr 64 poz. 593, z późn. zm.), art. 8 ust. 1;
-- kwoty weryfikowane rozporządzeniami Rady Ministrów w sprawie zweryfikowanych kryteriów dochodowych.

parameter "ops.income_threshold_single" {
  unit = "zł/miesiąc", basis = "art. 8 ust. 1 pkt 1 u.p.s.",
  pl = "Kryterium dochodowe osoby samotnie gospodarującej",
  en = "Income threshold of a single person",
  -- ZAŁOŻENIE: data 2018-10-01 (kwoty pewne, data niezweryfikowana)
  { from = "2018-10-01", value = 701, confidence = "M" },
  { from = "2022-01-01", value = 776 },
  { from = "2025-01-01", value = 1010 },
}

parameter "ops.income_threshold_per_person" {
  unit = "zł/miesiąc", basis = "art. 8 ust. 1 pkt 2 u.p.s.",
  pl = "Kryterium dochodowe na osobę w rodzinie",
  en = "Income threshold per person in a family",
  -- ZAŁOŻENIE: data 2018-10-01 (kwoty pewne, data niezweryfikowana)
  { from = "2018-10-01", value = 528, confidence = "M" },
  { from = "2022-01-01", value = 600 },
  { from = "2025-01-01", value = 823 },
}

-- Krotność kryterium w pomocy żywnościowej (źródła wtórne — strony ośrodków i organizacji partnerskich):
--   POPŻ 2014–2020, Podprogram 2020: 220% od 2020-11-26 (gops.osiek.pl; wcześniej 200%);
--   POPŻ 2014–2020: 235% od 2023-05-15 (budzow.pl);
--   FEPŻ 2021–2027: 265% od 2024-02-12 (pckrybnik.pl: „od 12 lutego 2024 r. … 265% … 2 056,40 zł / 1 590 zł”;
--   kwoty zgadzają się z 265% × 776 / 600 zł; gops.wielka-wies.pl: 2 676,50 / 2 180,95 zł = 265% × 1010 / 823 zł).
-- Reguła dotyczy programu FEPŻ, więc parametr zaczyna się z jego kryterium; przed 2024-02-12 obowiązywał inny
-- program (POPŻ) — ocena na wcześniejszą datę kończy się błędem „brak wartości”, zamiast użyć cudzego progu.
parameter "fepz.income_multiplier" {
  unit = "× kryterium", basis = "Program Fundusze Europejskie na Pomoc Żywnościową 2021–2027 (FEPŻ), wytyczne kwalifikowania odbiorców",
  pl = "Krotność kryterium dochodowego z art. 8 u.p.s. uprawniająca do pomocy żywnościowej (265%)",
  en = "Multiple of the art. 8 income threshold that qualifies for food aid (265%)",
  { from = "2024-02-12", value = 2.65, note = "FEPŻ 2021–2027; pckrybnik.pl" },
}
