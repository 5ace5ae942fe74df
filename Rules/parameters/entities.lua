-- Parametry podmiotów: zakład aktywności zawodowej, spółdzielnia socjalna
-- Parameters of other entities: vocational activity establishment (ZAZ), social cooperative.
-- Wartości zakodowano dla stanu prawnego od wejścia w życie ustawy o ekonomii społecznej (2022-10-30);
-- wcześniejsze brzmienie przepisów nie zostało zweryfikowane, więc ocena na wcześniejszą datę kończy się błędem.

parameter "zaz.disabled_share" {
  unit = "%", basis = "art. 29 ust. 1 pkt 1 ustawy z 27 sierpnia 1997 r. o rehabilitacji zawodowej i społecznej oraz zatrudnianiu osób niepełnosprawnych",
  pl = "Minimalny udział osób niepełnosprawnych (znaczny stopień albo umiarkowany z autyzmem, upośledzeniem umysłowym lub chorobą psychiczną) wśród zatrudnionych w ZAZ",
  en = "Minimum share of disabled staff (severe, or moderate with autism, intellectual disability or mental illness) in a ZAZ",
  { from = "2022-10-30", value = 0.70 },
}

parameter "coop.min_founders" {
  unit = "osoby", basis = "art. 4 ust. 2 ustawy z 27 kwietnia 2006 r. o spółdzielniach socjalnych",
  pl = "Minimalna liczba założycieli spółdzielni socjalnej",
  en = "Minimum number of founders of a social cooperative",
  { from = "2022-10-30", value = 5 },
}

parameter "coop.min_founders_reduced" {
  unit = "osoby", basis = "art. 4 ust. 2 ustawy o spółdzielniach socjalnych",
  pl = "Mniejsza liczba założycieli, dopuszczalna pod warunkiem przyjęcia kolejnych członków",
  en = "Reduced number of founders, allowed if more members join",
  { from = "2022-10-30", value = 3 },
}

parameter "coop.members_to_add" {
  unit = "osoby", basis = "art. 4 ust. 2 ustawy o spółdzielniach socjalnych",
  pl = "Ilu członków zagrożonych wykluczeniem trzeba przyjąć, gdy założycieli było mniej niż 5",
  en = "How many at-risk members must join when there were fewer than 5 founders",
  { from = "2022-10-30", value = 2 },
}

parameter "coop.members_to_add_months" {
  unit = "miesiące", basis = "art. 4 ust. 2 ustawy o spółdzielniach socjalnych",
  pl = "W ciągu ilu miesięcy od rejestracji trzeba przyjąć tych członków",
  en = "Within how many months of registration those members must join",
  { from = "2022-10-30", value = 12 },
}

parameter "coop.at_risk_members_share" {
  unit = "%", basis = "art. 5 ust. 2 ustawy o spółdzielniach socjalnych",
  pl = "Minimalny udział członków zagrożonych wykluczeniem",
  en = "Minimum share of members at risk of exclusion",
  { from = "2022-10-30", value = 0.50 },
}
