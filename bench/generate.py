#!/usr/bin/env python3
"""Deterministic synthetic batch for `make bench`.

usage: bench/generate.py N OUTPUT.jsonl [--seed S] [--as-of YYYY-MM-DD]

Records: ~90% enterprises (3-12 employees, every contract field), ~10% applications
(owes-job-creation with an enterprise and 1-3 jobs, each with a full person profile).
Outcomes are mixed (roughly a third eligible under ps-status). Same seed, same bytes.
"""
import json, random, sys

FORMS = ["social_cooperative", "labour_cooperative", "disabled_cooperative", "agricultural_cooperative",
         "foundation", "association", "nonprofit_company", "sports_club", "church_legal_person", "cis", "kis",
         "zaz", "wtz"]
BAD_FORMS = ["commercial_company", "trade_union", "political_party"]
CONTRACTS = ["employment"] * 6 + ["cooperative_employment"] * 2 + ["civil", "other"]
DIS = ["none", "none", "none", "mild", "moderate", "severe"]
KINDS = ["intellectual", "mental_illness", "autism", "epilepsy", "other"]
BODIES = ["consultative_body", "supervisory_board", "audit_committee", "consultation_meeting"]
PAID = ["business", "paid_public_benefit", "other_paid"]
LABOUR = ["employed", "unemployed", "job_seeker", "inactive"]
GROUNDS = ["poverty", "orphanhood", "homelessness", "unemployment", "disability", "long_illness",
           "domestic_violence", "addiction"]


def date(r, y0, y1):
    return "%04d-%02d-%02d" % (r.randint(y0, y1), r.randint(1, 12), r.randint(1, 28))


def person(r, i):
    p = {"kind": "person", "id": "P%07d" % i, "birth_date": date(r, 1950, 2006),
         "labour_status": r.choice(LABOUR), "unemployed_days_last_24_months": r.randint(0, 730),
         "disability": r.choice(DIS), "mental_disorder": r.random() < 0.05, "homeless": r.random() < 0.05,
         "cis_kis_graduate": r.random() < 0.05, "special_care_allowance": r.random() < 0.03,
         "leaving_foster_care": r.random() < 0.02, "prison": r.choice(["none"] * 8 + ["serving", "released"]),
         "refugee": r.random() < 0.03, "addiction_after_therapy": r.random() < 0.03,
         "social_assistance": r.random() < 0.2, "household_size": r.randint(1, 6),
         "household_monthly_income": round(r.uniform(0, 12000), 2), "benefits": []}
    if p["disability"] != "none":
        p["disability_kinds"] = r.sample(KINDS, r.randint(0, 2))
    if p["prison"] == "released":
        p["released_on"] = date(r, 2018, 2024)
    if p["social_assistance"]:
        p["social_assistance_grounds"] = r.sample(GROUNDS, r.randint(1, 3))
    return p


def employee(r):
    e = {"contract": r.choice(CONTRACTS), "fte": r.choice([0.25, 0.5, 0.5, 0.75, 1, 1, 1, 1]),
         "at_risk": r.random() < 0.5, "disability": r.choice(DIS)}
    e["disability_kinds"] = r.sample(KINDS, r.randint(0, 2)) if e["disability"] != "none" else []
    return e


def enterprise(r, i):
    form = r.choice(FORMS) if r.random() < 0.93 else r.choice(BAD_FORMS)
    as_of = date(r, 2023, 2025)
    y = int(as_of[:4])
    e = {"kind": "enterprise", "id": "E%07d" % i, "name": "Podmiot %d" % i, "as_of": as_of,
         "legal_form": form, "paid_activity": r.sample(PAID, r.randint(0 if r.random() < 0.05 else 1, 2)),
         "public_control": r.random() < 0.05, "founded_by_legal_persons": r.random() < 0.1,
         "ps_type": r.choice(["reintegration", "social_services"]),
         "employees": [employee(r) for _ in range(r.randint(3, 12))],
         "bodies": r.sample(BODIES, r.randint(0 if r.random() < 0.1 else 1, 3)),
         "statute": {"not_for_profit": r.random() < 0.95, "income_to_statutory_aims": r.random() < 0.95,
                     "no_profit_distribution": r.random() < 0.95},
         "max_monthly_salary": round(r.uniform(4000, 16000 if r.random() < 0.9 else 30000), 2),
         "last_report_filed_on": "%04d-%02d-%02d" % ((y if int(as_of[5:7]) > 3 else y - 1) - (0 if r.random() < 0.9 else 1),
                                                     r.randint(1, 3), r.randint(1, 28)),
         "status_lost_on": None if r.random() < 0.95 else date(r, 2021, 2024),
         "founded_on": date(r, 2005, 2022)}
    if form.endswith("cooperative"):
        e["members"] = [{"at_risk": r.random() < 0.5, "legal_person": r.random() < 0.1}
                        for _ in range(r.randint(3, 8))]
    if r.random() < 0.05:  # some with unknown fields
        for k in r.sample(["statute", "bodies", "max_monthly_salary", "public_control"], 1):
            e.pop(k, None)
    return e


def application(r, i):
    ent = enterprise(r, i)
    ent.pop("as_of", None)
    return {"kind": "application", "id": "A%07d" % i, "program": "owes-job-creation",
            "submitted_on": date(r, 2023, 2025), "enterprise": ent,
            "jobs": [{"fte": r.choice([0.5, 1]), "net_new": r.random() < 0.9, "worker": person(r, i)}
                     for _ in range(r.randint(1, 3))],
            "requested_amount": round(r.uniform(10000, 150000), 2)}


def main():
    args = sys.argv[1:]
    seed = 20240501
    if "--seed" in args:
        k = args.index("--seed"); seed = int(args[k + 1]); del args[k:k + 2]
    n, out = int(args[0]), args[1]
    r = random.Random(seed)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(1, n + 1):
            x = r.random()
            rec = enterprise(r, i) if x < 0.9 else application(r, i)
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")


if __name__ == "__main__":
    main()
