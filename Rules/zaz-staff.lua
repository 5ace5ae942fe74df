-- Zakład aktywności zawodowej: struktura zatrudnienia
-- ustawa z dnia 27 sierpnia 1997 r. o rehabilitacji zawodowej i społecznej oraz zatrudnianiu osób
-- niepełnosprawnych (Dz.U. 1997 nr 123 poz. 776, z późn. zm.), art. 29 ust. 1 pkt 1

rule "zaz-staff" {
  applies_to = "enterprise",
  title = { pl = "Zakład aktywności zawodowej: zatrudnienie osób niepełnosprawnych", en = "Vocational activity establishment (ZAZ): disabled staff" },
  basis = "art. 29 ust. 1 pkt 1 ustawy o rehabilitacji zawodowej i społecznej oraz zatrudnianiu osób niepełnosprawnych (Dz.U. 1997 nr 123 poz. 776)",
}

criterion "ENT-01a" {
  basis = "art. 29 ust. 1 u.r.z.",
  pl = "Podmiot jest zakładem aktywności zawodowej",
  en = "The entity is a vocational activity establishment (ZAZ)",
  -- gate: when this fails, the rule does not concern this entity (shown as such in reports)
  gate = true,
  check = function(e)
    return verdict(e.legal_form == "zaz",
      about("legal_form", e.legal_form),
      about("legal_form", e.legal_form) .. L(" — wymóg dotyczy ZAZ", " — the requirement is for a ZAZ"))
  end,
}

-- Dane o niepełnosprawności pracownika: z rekordu pracownika albo z zagnieżdżonego profilu osoby.
local function field(x, name)
  if has(x, name) or not has(x, "person") then return x[name] end
  return x.person[name]
end

local KINDS = { autism = true, intellectual = true, mental_illness = true }

local function counts(x)
  local d = field(x, "disability")
  if d == "severe" then return true end
  if d ~= "moderate" then return false end
  for _, k in ipairs(field(x, "disability_kinds")) do
    if KINDS[k] then return true end
  end
  return false
end

criterion "ENT-01b" {
  basis = "art. 29 ust. 1 pkt 1 u.r.z.",
  pl = "Co najmniej 70% zatrudnionych to osoby o znacznym stopniu niepełnosprawności albo umiarkowanym z autyzmem, upośledzeniem umysłowym lub chorobą psychiczną",
  en = "At least 70% of staff are severely disabled, or moderately disabled with autism, intellectual disability or mental illness",
  check = function(e)
    return share_at_least(tally(e.employees, counts), #e.employees, param "zaz.disabled_share",
      { pl = "osoby niepełnosprawne (znaczny stopień lub umiarkowany ze schorzeniem szczególnym)",
        en = "disabled staff (severe, or moderate with a qualifying condition)" })
  end,
}
