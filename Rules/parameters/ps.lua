-- Parametry statusu przedsiębiorstwa społecznego
-- Parameters of the social enterprise (PS) status.
-- ustawa z 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2024 poz. 113)

parameter "ps.min_employees" {
  unit = "osoby", basis = "art. 5 ust. 1 u.e.s.",
  pl = "Minimalna liczba osób zatrudnionych na umowę o pracę lub spółdzielczą umowę o pracę",
  { from = "2022-10-30", value = 3 },
}

parameter "ps.min_fte" {
  unit = "etat", basis = "art. 5 ust. 1 u.e.s.",
  pl = "Minimalny wymiar czasu pracy każdej z tych osób",
  { from = "2022-10-30", value = 0.5 },
}

parameter "ps.at_risk_share" {
  unit = "%", basis = "art. 5 ust. 2 u.e.s.",
  pl = "Minimalny udział osób zagrożonych wykluczeniem wśród zatrudnionych (typ reintegracyjny)",
  { from = "2022-10-30", value = 0.30 },
}

parameter "ps.pay_cap_multiple" {
  unit = "× przeciętne wynagrodzenie w sektorze przedsiębiorstw", basis = "art. 9 u.e.s. (liczba niezweryfikowana)",
  confidence = "M",
  pl = "Krotność przeciętnego miesięcznego wynagrodzenia w sektorze przedsiębiorstw: limit płacy pracowników i członków organów",
  -- ZAŁOŻENIE: 3 — przedsiebiorstwospoleczne.pl („Podział zysku i zarabianie w PS”): limit z art. 9 ust. 1 pkt 2
  -- u.d.p.p., 3-krotność przeciętnego miesięcznego wynagrodzenia w sektorze przedsiębiorstw za rok poprzedni;
  -- inne źródła wtórne wskazują 4. Tekstu art. 9 u.e.s. nie odczytano, więc pewność M.
  { from = "2022-10-30", value = 3, confidence = "M" },
}

parameter "ps.reapply_bar_years" {
  unit = "lata", basis = "art. 18 u.e.s.",
  pl = "Karencja: ile lat od utraty statusu można złożyć nowy wniosek",
  { from = "2022-10-30", value = 1 },
}
