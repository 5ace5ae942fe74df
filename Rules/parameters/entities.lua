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

-- Spółdzielnia socjalna: ustawa z 27 kwietnia 2006 r. o spółdzielniach socjalnych po nowelizacji z 15 grudnia 2017 r.
-- (w mocy od 2018 r.). Źródła wtórne: zielonalinia.gov.pl („Spółdzielnia socjalna”, stan prawny 2024-01-10),
-- fundacjarc.org.pl, spoldzielniasocjalnawpraktyce.pl. Wartości zakodowano od 2022-10-30 jak pozostałe (data nowelizacji
-- niezweryfikowana).

parameter "coop.min_founders" {
  unit = "os.", basis = "art. 5 ustawy z 27 kwietnia 2006 r. o spółdzielniach socjalnych",
  pl = "Minimalna liczba założycieli spółdzielni socjalnej — osób fizycznych",
  en = "Minimum number of founders of a social cooperative — natural persons",
  { from = "2022-10-30", value = 3 },
}

parameter "coop.min_founders_legal" {
  unit = "os. prawne", basis = "art. 5 ustawy o spółdzielniach socjalnych",
  pl = "Minimalna liczba założycieli spółdzielni socjalnej — osób prawnych",
  en = "Minimum number of founders of a social cooperative — legal persons",
  { from = "2022-10-30", value = 2 },
}

parameter "coop.min_members" {
  unit = "os.", basis = "art. 5 ustawy o spółdzielniach socjalnych",
  pl = "Minimalna liczba członków — osób fizycznych (w spółdzielni założonej przez mniej niż 5 osób: po 12 miesiącach od wpisu do KRS)",
  en = "Minimum number of members — natural persons (for a cooperative founded by fewer than 5: from 12 months after the KRS entry)",
  { from = "2022-10-30", value = 5 },
}

parameter "coop.min_members_legal" {
  unit = "os. prawne", basis = "art. 5 ustawy o spółdzielniach socjalnych",
  pl = "Minimalna liczba członków będących osobami prawnymi w spółdzielni założonej przez osoby prawne",
  en = "Minimum number of legal-person members of a cooperative founded by legal persons",
  { from = "2022-10-30", value = 2 },
}

parameter "coop.max_members" {
  unit = "os.", basis = "art. 5 ustawy o spółdzielniach socjalnych",
  pl = "Największa liczba członków spółdzielni socjalnej",
  en = "Maximum number of members of a social cooperative",
  { from = "2022-10-30", value = 50 },
}

parameter "coop.members_to_add" {
  unit = "os.", basis = "art. 5 ustawy o spółdzielniach socjalnych",
  pl = "Ile osób zagrożonych wykluczeniem spółdzielnia założona przez 3 osoby fizyczne musi przyjąć w poczet członków i zatrudnić",
  en = "How many people at risk of exclusion a cooperative founded by 3 natural persons must admit as members and employ",
  { from = "2022-10-30", value = 2 },
}

parameter "coop.members_to_add_months" {
  unit = "mies.", basis = "art. 5 ustawy o spółdzielniach socjalnych",
  pl = "W ciągu ilu miesięcy od wpisu do KRS trzeba przyjąć i zatrudnić te osoby",
  en = "Within how many months of the KRS entry those people must be admitted and employed",
  { from = "2022-10-30", value = 12 },
}

parameter "coop.at_risk_members_share" {
  unit = "%", basis = "art. 5 ustawy o spółdzielniach socjalnych (członkowie spoza grup zagrożonych: najwyżej 50%)",
  pl = "Minimalny udział członków zagrożonych wykluczeniem (osoby spoza tych grup: najwyżej 50% członków)",
  en = "Minimum share of members at risk of exclusion (others: at most 50% of members)",
  { from = "2022-10-30", value = 0.50 },
}
