-- Warunki wspólne instrumentów PUP z art. 21–22 ustawy o ekonomii społecznej
-- Conditions shared by the PUP instruments of art. 21–22 of the social economy act
-- ustawa z dnia 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2024 poz. 113).
-- Reguła korzysta z nich tak: criterion "PUP-01a" { uses = "pup.applicant-holds-ps-status", basis = "art. 22 u.e.s." }

shared_criterion "pup.applicant-holds-ps-status" {
  pl = "Wnioskodawca jest przedsiębiorstwem społecznym",
  en = "The applicant is a social enterprise",
  -- ZAŁOŻENIE: instrumenty z art. 21–22 u.e.s. przysługują podmiotom ze statusem PS.
  assumption = { pl = "ZAŁOŻENIE: wsparcie z art. 21–22 przysługuje tylko podmiotom ze statusem PS",
                 en = "ASSUMPTION: art. 21–22 support is only for entities with PS status" },
  -- Najpierw forma prawna (PS-01): podmiot, który nie może mieć statusu PS (np. spółka handlowa działająca dla
  -- zysku), nie spełnia warunku bez względu na pole has_ps_status. Pole jest potrzebne tylko przy formie uprawnionej.
  check = function(a)
    local e = a.enterprise
    local form = check_rule("ps-status", e).criteria[1]   -- PS-01: forma prawna
    if form.outcome == "fail" then
      return fail { pl = form.reason .. " — nie może mieć statusu PS", en = form.reason .. " — cannot hold PS status" }
    end
    local s = get(e, "has_ps_status")
    if s == nil then
      return unknown({ pl = "potrzebna informacja, czy podmiot ma status przedsiębiorstwa społecznego: forma prawna na to pozwala, ale jej nie przesądza",
                       en = "needed: whether the entity holds PS status: its legal form allows it but does not decide it" },
        "enterprise.has_ps_status")
    end
    return verdict(s == true,
      { pl = "podmiot ma status przedsiębiorstwa społecznego", en = "the entity holds PS status" },
      { pl = "podmiot nie ma statusu przedsiębiorstwa społecznego", en = "the entity does not hold PS status" })
  end,
}

-- Każda osoba zatrudniona w ramach wsparcia musi być zagrożona wykluczeniem (art. 2 pkt 6).
-- with = { who = { pl = "stanowisko ", en = "job " } } zmienia słowo w uzasadnieniu.
shared_criterion "pup.workers-at-risk" {
  pl = "Zatrudnione osoby są zagrożone wykluczeniem społecznym",
  en = "The employees are at risk of social exclusion",
  -- ZAŁOŻENIE: wsparcie dotyczy zatrudnienia osoby zagrożonej wykluczeniem (art. 2 pkt 6).
  assumption = { pl = "ZAŁOŻENIE: refundacja dotyczy zatrudnienia osoby zagrożonej wykluczeniem (art. 2 pkt 6)",
                 en = "ASSUMPTION: the refund concerns employing a person at risk of exclusion (art. 2 pkt 6)" },
  check = function(a, c)
    local who = c.with and c.with.who or { pl = "pracownik ", en = "employee " }
    return requires_each("at-risk-person", a.jobs, function(j) return j.worker end,
      function(i) return text(who) .. i end)
  end,
}
