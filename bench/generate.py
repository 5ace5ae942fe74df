#!/usr/bin/env python3
"""Deterministic synthetic input for `make bench`.

usage: bench/generate.py N OUTPUT.jsonl [--seed S] [--workload enterprises|applications]

enterprises (default): enterprise profiles (kind=enterprise) in the shape of the data contract, about 1.35 KB
  each: all 19 legal forms (5 of them not social-economy forms), 0-40 employees (log-normal, mostly small),
  contracts, FTE, at-risk flags around the 30 % threshold, bodies that match the form most of the time, statute
  clauses, salaries around the pay cap (some exactly on it and one grosz over), report dates around the 31 March
  deadline, status losses around the one-year bar; about 5 % lose one or two top-level fields (unknown, not false).
  Outcomes are mixed under ps-status.
applications: application profiles (kind=application) with a nested enterprise and nested worker person profiles,
  made by varying the valid records of Playground/applications.jsonl (ids, dates, amounts, FTE, employees,
  person fields); evaluated with all rules that apply (the program's rule and its scoring sheets).

Same seed, same bytes.
"""
import copy, datetime as dt, json, os, random, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# legal form -> relative weight; the last five are not forms of a social economy entity (PS-01 fails)
LEGAL_FORMS = {
    "social_cooperative": 33, "association": 20, "foundation": 16, "nonprofit_company": 8, "sports_club": 3,
    "labour_cooperative": 2, "disabled_cooperative": 1, "agricultural_cooperative": 1, "church_legal_person": 2,
    "jst_association": 1, "cis": 2, "kis": 1, "zaz": 2, "wtz": 2,
    "commercial_company": 3, "political_party": 1, "trade_union": 1, "employers_organisation": 0.5,
    "professional_self_government": 0.5,
}
FORM_NAMES, FORM_WEIGHTS = list(LEGAL_FORMS), list(LEGAL_FORMS.values())
COOPERATIVES = ("social_cooperative", "labour_cooperative", "disabled_cooperative", "agricultural_cooperative")
# the body a form usually has (PS-07 looks for it)
USUAL_BODY = {"foundation": ("consultative_body",), "association": ("consultative_body",),
              "nonprofit_company": ("supervisory_board", "audit_committee"),
              "sports_club": ("audit_committee", "supervisory_board"),
              "social_cooperative": ("consultation_meeting",), "commercial_company": ("supervisory_board",)}
BODIES = ("consultative_body", "supervisory_board", "audit_committee", "consultation_meeting")
PAID = ("business", "paid_public_benefit", "other_paid")
DISABILITY = (("none", 84), ("mild", 6), ("moderate", 6), ("severe", 4))
FTE = ((1.0, 58), (0.75, 12), (0.5, 15), (0.25, 8), (0.8, 4), (0.6, 3))
CONTRACT_COOP = (("cooperative_employment", 42), ("employment", 38), ("civil", 15), ("other", 5))
CONTRACT_OTHER = (("employment", 74), ("cooperative_employment", 4), ("civil", 16), ("other", 6))
# as-of dates: mostly one reporting season, some later in the year and the next spring
AS_OF = (("2025-06-01", 68), ("2025-09-30", 11), ("2025-12-31", 11), ("2026-04-15", 10))
DROPPABLE = ("legal_form", "paid_activity", "public_control", "founded_by_legal_persons", "ps_type", "employees",
             "bodies", "statute", "max_monthly_salary", "last_report_filed_on", "status_lost_on")
PAY_CAP = 3 * 8265.92     # ps.pay_cap_multiple x average_wage_enterprise_annual from 2025-02-01: 24 797.76 zł


def pick(r, pairs):
    return r.choices([v for v, _ in pairs], [w for _, w in pairs])[0]


def iso(day):
    return dt.date.fromordinal(day).isoformat()


def day(s):
    return dt.date.fromisoformat(s).toordinal()


def between(r, a, b):
    return iso(r.randint(day(a), day(b)))


def enterprise(r, i):
    as_of = pick(r, AS_OF)
    y = int(as_of[:4])
    form = r.choices(FORM_NAMES, FORM_WEIGHTS)[0]
    coop = form in COOPERATIVES
    by_legal = form == "social_cooperative" and r.random() < 0.08
    ps_type = "reintegration" if r.random() < (0.78 if coop else 0.56) else "social_services"

    # staff: log-normal size, at-risk share per enterprise drawn around the 30 % line
    size = min(40, int(r.lognormvariate(1.9, 0.8)))
    at_risk_p = r.uniform(0.1, 0.7) if ps_type == "reintegration" else r.uniform(0.0, 0.4)
    contracts = CONTRACT_COOP if coop else CONTRACT_OTHER
    staff = []
    for _ in range(size):
        dis = pick(r, DISABILITY)
        staff.append({"contract": pick(r, contracts), "fte": pick(r, FTE),
                      "at_risk": dis in ("moderate", "severe") or r.random() < at_risk_p, "disability": dis})

    usual = USUAL_BODY.get(form)
    bodies = [r.choice(usual)] if usual and r.random() < 0.87 else []
    if r.random() < 0.1:
        b = r.choice(BODIES)
        if b not in bodies:
            bodies.append(b)

    p_clause = 0.95 if form == "nonprofit_company" else 0.86
    statute = {k: r.random() < p_clause for k in ("not_for_profit", "income_to_statutory_aims", "no_profit_distribution")}

    x = r.random()
    if x < 0.004:
        salary = PAY_CAP                       # on the cap: passes
    elif x < 0.006:
        salary = round(PAY_CAP + 0.01, 2)      # one grosz over: fails
    else:
        salary = r.lognormvariate(9.05, 0.4)
        salary = float(round(salary)) if r.random() < 0.25 else round(salary, 2)

    # the last annual report: mostly in this year's window, some on or just after 31 March, some a year old
    x = r.random()
    if x < 0.77:
        report = between(r, "%d-01-02" % y, "%d-03-31" % y)
    elif x < 0.80:
        report = "%d-03-31" % y
    elif x < 0.82:
        report = "%d-04-01" % y
    elif x < 0.91:
        report = iso(r.randint(day("%d-04-01" % y), min(day(as_of), day("%d-05-31" % y))))
    else:
        report = between(r, "%d-01-02" % (y - 1), "%d-03-31" % (y - 1))

    # a lost status: mostly none; some exactly a year back (passes) or a day less (fails)
    x = r.random()
    year_back = "%d%s" % (y - 1, as_of[4:])
    if x < 0.88:
        lost = None
    elif x < 0.89:
        lost = year_back
    elif x < 0.895:
        lost = iso(day(year_back) + 1)
    else:
        lost = iso(r.randint(day(as_of) - 3 * 365, day(as_of) - 30))

    n_paid = r.choice((1, 1, 1, 2, 2, 3))
    e = {"kind": "enterprise", "id": "ENT-%06d" % i, "as_of": as_of, "legal_form": form,
         "paid_activity": r.sample(PAID, n_paid) if r.random() < 0.92 else [],
         "public_control": r.random() < (0.5 if by_legal else 0.04), "founded_by_legal_persons": by_legal,
         "ps_type": ps_type, "employees": staff, "bodies": bodies, "statute": statute,
         "max_monthly_salary": salary, "last_report_filed_on": report, "status_lost_on": lost}
    if coop:
        e["members"] = [{"at_risk": r.random() < 0.55, "legal_person": by_legal and j < 2}
                        for j in range(r.randint(5, 15))]
    e["founded_on"] = between(r, "2005-01-01", "2024-12-31")
    if r.random() < 0.05:                      # unknown fields: absent, not false
        for k in r.sample(DROPPABLE, 1 if r.random() < 0.8 else 2):
            del e[k]
    return e


def playground_applications():
    """The valid application records of Playground/applications.jsonl (two lines there are broken on purpose)."""
    seeds = []
    with open(os.path.join(ROOT, "Playground", "applications.jsonl"), encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and rec.get("kind") == "application" and isinstance(rec.get("enterprise"), dict):
                seeds.append(rec)
    if not seeds:
        sys.exit("generate.py: no valid application in Playground/applications.jsonl")
    return seeds


def shift(r, s, lo, hi):
    """A date string moved by a random number of days in [lo, hi]; anything else as it is."""
    try:
        return iso(day(s) + r.randint(lo, hi))
    except (TypeError, ValueError):
        return s


def vary_person(r, p):
    if not isinstance(p, dict):
        return
    if "birth_date" in p:
        p["birth_date"] = shift(r, p["birth_date"], -1500, 1500)
    if isinstance(p.get("unemployed_days_last_24_months"), int):
        p["unemployed_days_last_24_months"] = max(0, min(730, p["unemployed_days_last_24_months"] + r.randint(-200, 200)))
    if isinstance(p.get("household_monthly_income"), (int, float)):
        p["household_monthly_income"] = round(max(0.0, p["household_monthly_income"] * r.uniform(0.6, 1.4)), 2)
    if isinstance(p.get("household_size"), int):
        p["household_size"] = max(1, min(8, p["household_size"] + r.randint(-1, 1)))
    if "labour_status" in p and r.random() < 0.15:
        p["labour_status"] = r.choice(("employed", "unemployed", "job_seeker", "inactive"))
    for k in ("homeless", "mental_disorder", "cis_kis_graduate", "refugee", "addiction_after_therapy"):
        if isinstance(p.get(k), bool) and r.random() < 0.05:
            p[k] = not p[k]


def vary_enterprise(r, e, i):
    e["id"] = "ENT-%06d" % i
    if isinstance(e.get("name"), str):
        e["name"] = "%s (%d)" % (e["name"], i)
    for k in ("last_report_filed_on", "founded_on"):
        if isinstance(e.get(k), str):
            e[k] = shift(r, e[k], -60, 60)
    if isinstance(e.get("max_monthly_salary"), (int, float)):
        e["max_monthly_salary"] = round(e["max_monthly_salary"] * r.uniform(0.8, 1.25), 2)
    staff = e.get("employees")
    if isinstance(staff, list) and staff:
        for x in staff:
            if isinstance(x, dict):
                if "fte" in x and r.random() < 0.2:
                    x["fte"] = r.choice((0.25, 0.5, 0.75, 1))
                if isinstance(x.get("at_risk"), bool) and r.random() < 0.15:
                    x["at_risk"] = not x["at_risk"]
                if isinstance(x.get("person"), dict):
                    vary_person(r, x["person"])
        # grow or shrink the staff a little
        if r.random() < 0.4:
            staff.append(copy.deepcopy(r.choice(staff)))
        elif r.random() < 0.3 and len(staff) > 1:
            staff.pop(r.randrange(len(staff)))


def application(r, i, seeds):
    a = copy.deepcopy(r.choice(seeds))
    a["id"] = "APP-%06d" % i
    if isinstance(a.get("submitted_on"), str):
        a["submitted_on"] = shift(r, a["submitted_on"], -45, 45)
    if isinstance(a.get("requested_amount"), (int, float)):
        a["requested_amount"] = round(a["requested_amount"] * r.uniform(0.7, 1.3), 2)
    vary_enterprise(r, a["enterprise"], i)
    jobs = a.get("jobs")
    if isinstance(jobs, list):
        for j in jobs:
            if isinstance(j, dict):
                if "fte" in j and r.random() < 0.2:
                    j["fte"] = r.choice((0.5, 0.75, 1))
                vary_person(r, j.get("worker"))
        if jobs and r.random() < 0.2:
            jobs.append(copy.deepcopy(r.choice(jobs)))
    return a


def main():
    args = sys.argv[1:]
    seed, workload = 20240501, "enterprises"
    if "--seed" in args:
        k = args.index("--seed"); seed = int(args[k + 1]); del args[k:k + 2]
    if "--workload" in args:
        k = args.index("--workload"); workload = args[k + 1]; del args[k:k + 2]
    if len(args) != 2 or workload not in ("enterprises", "applications"):
        sys.exit(__doc__)
    n, out = int(args[0]), args[1]
    r = random.Random(seed)
    seeds = playground_applications() if workload == "applications" else None
    with open(out, "w", encoding="utf-8") as f:
        for i in range(1, n + 1):
            rec = enterprise(r, i) if seeds is None else application(r, i, seeds)
            f.write(json.dumps(rec, ensure_ascii=False))
            f.write("\n")


if __name__ == "__main__":
    main()
