-- Płaca minimalna i przeciętne wynagrodzenie
-- Minimum wage and average wage, with the dates they apply from.

parameter "minimum_wage" {
  unit = "zł/miesiąc",
  basis = "rozporządzenia Rady Ministrów w sprawie wysokości minimalnego wynagrodzenia za pracę",
  { from = "2023-01-01", value = 3490 },
  { from = "2023-07-01", value = 3600 },
  { from = "2024-01-01", value = 4242 },
  { from = "2024-07-01", value = 4300 },
  { from = "2025-01-01", value = 4666 },
  { from = "2026-01-01", value = 4806 },
}

-- Przeciętne wynagrodzenie w gospodarce narodowej w poprzednim roku (obwieszczenie Prezesa GUS),
-- stosowane od dnia ogłoszenia (przyjęto: od 1 lutego roku następnego — ZAŁOŻENIE).
parameter "average_wage_annual" {
  unit = "zł/miesiąc",
  basis = "obwieszczenie Prezesa GUS w sprawie przeciętnego wynagrodzenia w gospodarce narodowej",
  { from = "2024-02-01", value = 7155.48, confidence = "M", note = "za 2023 r." },
  { from = "2025-02-01", value = 8181.72, note = "za 2024 r." },
}

-- Przeciętne wynagrodzenie z poprzedniego kwartału (obwieszczenie Prezesa GUS),
-- stosowane od pierwszego dnia kolejnego kwartału (ZAŁOŻENIE co do dnia).
parameter "average_wage_quarterly" {
  unit = "zł/miesiąc",
  basis = "obwieszczenie Prezesa GUS w sprawie przeciętnego wynagrodzenia w poprzednim kwartale",
  { from = "2024-01-01", value = 7540.36, note = "IV kw. 2023" },
  { from = "2025-01-01", value = 8477.21, note = "IV kw. 2024" },
  { from = "2025-04-01", value = 8962.28, note = "I kw. 2025" },
}
