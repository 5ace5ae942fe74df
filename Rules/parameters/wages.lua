-- Płaca minimalna i przeciętne wynagrodzenie
-- Minimum wage and average wage, with the dates they apply from.

parameter "minimum_wage" {
  unit = "zł/miesiąc",
  pl = "Minimalne wynagrodzenie za pracę", en = "Minimum wage",
  basis = "rozporządzenia Rady Ministrów w sprawie wysokości minimalnego wynagrodzenia za pracę",
  { from = "2023-01-01", value = 3490 },
  { from = "2023-07-01", value = 3600 },
  { from = "2024-01-01", value = 4242 },
  { from = "2024-07-01", value = 4300 },
  { from = "2025-01-01", value = 4666 },
  { from = "2026-01-01", value = 4806 },
}

-- Przeciętne wynagrodzenie w gospodarce narodowej w poprzednim roku (komunikat Prezesa GUS, art. 20 pkt 1 ustawy
-- o emeryturach i rentach z FUS: do 7. dnia roboczego lutego). Nieużywane przez regułę PS-09 (ta bierze sektor
-- przedsiębiorstw) — zostaje dla reguł centrów.
-- ZAŁOŻENIE: stosowane od dnia po ogłoszeniu; przyjęto 1 marca (pierwszy dzień miesiąca po ogłoszeniu).
parameter "average_wage_annual" {
  unit = "zł/miesiąc",
  pl = "Przeciętne wynagrodzenie w gospodarce narodowej w poprzednim roku", en = "Average wage in the national economy, previous year",
  basis = "komunikat Prezesa GUS w sprawie przeciętnego wynagrodzenia w gospodarce narodowej w poprzednim roku (art. 20 pkt 1 ustawy o emeryturach i rentach z FUS)",
  { from = "2024-03-01", value = 7155.48, confidence = "M", note = "za 2023 r.; data M" },
  { from = "2025-03-01", value = 8181.72, confidence = "M", note = "za 2024 r. (dorzeczy.pl, rmf24.pl za GUS); data M" },
}

-- Przeciętne miesięczne wynagrodzenie w sektorze przedsiębiorstw za poprzedni rok (obwieszczenie Prezesa GUS,
-- ok. 15–20 stycznia; portalstatystyczny.pl) — podstawa limitu płac w PS (PS-09; art. 9 ust. 1 pkt 2 u.d.p.p.).
-- ZAŁOŻENIE: stosowane od 1 lutego (po ogłoszeniu w styczniu; dokładny dzień niezweryfikowany).
-- Kwoty: za 2024 r. 8 265,92 zł (dorzeczy.pl, styczeń 2025, za GUS: „w całym 2024 r. wynagrodzenia w przedsiębiorstwach
-- wzrosły o 11,0% do średnio 8265,92 zł”); za 2023 r. 7 444,39 zł (z pamięci, zgodne ze wzrostem 11,0%: M).
-- Nie ustalono, czy limit liczy się od kwoty z wypłatami z zysku, czy bez — stąd M.
parameter "average_wage_enterprise_annual" {
  unit = "zł/miesiąc",
  pl = "Przeciętne miesięczne wynagrodzenie w sektorze przedsiębiorstw w poprzednim roku", en = "Average monthly wage in the enterprise sector, previous year",
  basis = "obwieszczenie Prezesa GUS w sprawie przeciętnego miesięcznego wynagrodzenia w sektorze przedsiębiorstw w poprzednim roku",
  { from = "2024-02-01", value = 7444.39, confidence = "M", note = "za 2023 r.; kwota i data M" },
  { from = "2025-02-01", value = 8265.92, confidence = "M", note = "za 2024 r.; kwota C (dorzeczy.pl za GUS), data M" },
}

-- Przeciętne wynagrodzenie w poprzednim kwartale (komunikat Prezesa GUS w „Monitorze Polskim”, ogłaszany do 7. dnia
-- roboczego drugiego miesiąca kwartału: art. 20 pkt 2 ustawy o emeryturach i rentach z FUS). Stosowane „od pierwszego
-- dnia następnego miesiąca po ogłoszeniu” (definicja przeciętnego wynagrodzenia w ustawie o promocji zatrudnienia,
-- art. 2 ust. 1 pkt 28, cytowana na forum.ops.pl): IV kw. → od 1 marca, I kw. → od 1 czerwca, II kw. → od 1 września,
-- III kw. → od 1 grudnia. Wcześniej kwota jeszcze nie istniała.
parameter "average_wage_quarterly" {
  unit = "zł/miesiąc",
  pl = "Przeciętne wynagrodzenie w poprzednim kwartale", en = "Average wage, previous quarter",
  basis = "komunikat Prezesa GUS w sprawie przeciętnego wynagrodzenia w poprzednim kwartale (art. 20 pkt 2 ustawy o emeryturach i rentach z FUS); art. 2 ust. 1 pkt 28 ustawy o promocji zatrudnienia",
  { from = "2024-03-01", value = 7540.36, note = "IV kw. 2023 (ogłoszone w lutym 2024)" },
  { from = "2024-06-01", value = 8147.38, note = "I kw. 2024 (ogłoszone 13.05.2024; bizblog.spidersweb.pl, businessinsider.com.pl)" },
  { from = "2024-09-01", value = 8038.41, note = "II kw. 2024 (ogłoszone w sierpniu 2024; biznes.wprost.pl)" },
  { from = "2024-12-01", value = 8161.62, note = "III kw. 2024 (ogłoszone w listopadzie 2024; dorzeczy.pl)" },
  { from = "2025-03-01", value = 8477.21, note = "IV kw. 2024 (ogłoszone w lutym 2025)" },
  { from = "2025-06-01", value = 8962.28, note = "I kw. 2025 (ogłoszone w maju 2025)" },
}
