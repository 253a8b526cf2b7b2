#!/usr/bin/env python3
"""Generate the national benchmark dataset: a synthetic SEND service for every English local authority.

Writes benchmarks/data/{assessments,plans}.csv (git-ignored) in the demo's column style
(examples/demo/data: human headers, dd/mm/yyyy dates, blank cells and a few N/A), with a
"Local Authority" column in front. Three years of requests (November 2023 to the extract on
31 October 2026) for the 153 LAs of DfE's 2024 requests table, each LA sized by its own published
figures (Sources/KPIWatchBenchmarkData/release/dfe-2025: requests received in 2024, 20-week timeliness
excluding exceptions, EHC plans at January 2025), so that the national totals come out near England's:
about 465,000 assessments and 600,000 plans.

Deterministic: one seed per LA, no use of the current date, Python 3 standard library only.
Run: python3 benchmarks/generate.py [--scale 0.1] [--out DIR]
"""

import argparse
import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "examples/demo"))
from expected import add_months, age_on  # noqa: E402  the demo's calendar helpers, not a copy of them

RELEASE = HERE.parent / "Sources/KPIWatchBenchmarkData/release/dfe-2025"
SEED = 20261031
EXTRACT = date(2026, 10, 31)
FIRST_REQUEST = date(2023, 11, 1)
# Requests per Nov..Oct window relative to the LA's 2024 figure: demand kept growing.
WINDOW_GROWTH = [0.94, 1.0, 1.07]
SEASON = [1.05, 1.0, 1.15, 0.9, 1.1, 1.1, 1.05, 0.55, 0.95, 1.1, 1.1, 0.75]  # Jan..Dec, as the demo
TEAMS = ["North", "South", "East", "West", "Central"]
# Codes as case-management systems record them: the three reg. 13(3) exceptions in rules/targets.yaml,
# written in mixed case and with stray spaces, and two that are not exceptions.
EXCEPTION_CODES = [
    "personal_circumstances", "Personal_Circumstances", "away_from_area_4_weeks", " setting_closed_4_weeks",
    "school_holiday", "missed_appointment",
]
NULL_LOOKING = ["N/A", "n/a", "-"]
FIRST_NAMES = [
    "Zephyrine", "Thaddeus", "Elowen", "Caspian", "Orlaith", "Zebedee", "Marisol", "Peregrine", "Saoirse",
    "Lysander", "Isolde", "Barnaby", "Ottoline", "Cosmo", "Perdita", "Ignatius", "Wilhelmina", "Evander",
    "Clementine", "Leopold", "Araminta", "Seraphina", "Ambrose", "Tamsin", "Lucius", "Romilly", "Octavia",
    "Florian", "Casimir", "Delphine", "Jolyon", "Calliope", "Horatio", "Marigold", "Crispin", "Elspeth",
]
SURNAMES = [
    "Quillthorpe", "Bramblewick", "Thistlecombe", "Marrowhollow", "Fennbrook", "Gorseshaw", "Wrenridge",
    "Hazelstead", "Nettleworth", "Sorrelgate", "Tansymere", "Kestrelford", "Rookwhistle", "Larkfeather",
    "Heronbottom", "Mossridge", "Flintcombe", "Cobblestead", "Pebbleworth", "Briarbrook",
]
SETTINGS = {
    "early": ["Early years setting"] * 6 + ["Mainstream primary"] * 3 + ["Special school"] * 2,
    "primary": ["Mainstream primary"] * 11 + ["Special school"] * 5 + ["Resourced provision", "EOTAS"],
    "secondary": ["Mainstream secondary"] * 9 + ["Special school"] * 6 + ["Independent special school"] * 2
    + ["Alternative provision"],
    "post16": ["FE college"] * 9 + ["Special school sixth form"] * 5 + ["Mainstream sixth form"] * 2 + ["NEET"],
    "adult": ["FE college"] * 4 + ["Independent specialist college"] * 2 + ["Supported internship", "NEET", "NEET"],
}
CEASE_REASONS = ["Moved out of the area", "Needs met without a plan", "Moved to employment",
                 "Moved to higher education", "No longer in education or training"]

ASSESSMENT_HEADERS = [
    "Local Authority", "Case Ref", "Child ID", "Child Name", "Date of Birth", "Team", "Case Officer",
    "Request Received", "Decision Date", "Decision", "EP Advice Requested", "EP Advice Received",
    "Health Advice Requested", "Health Advice Received", "Social Care Advice Requested",
    "Social Care Advice Received", "Draft Plan Issued", "Final EHCP Issued", "Outcome", "Date Closed",
    "Exception Reason",
]
PLAN_HEADERS = [
    "Local Authority", "Plan Ref", "Child ID", "Child Name", "Date of Birth", "Team", "Case Officer",
    "Plan Start", "Last Review Meeting", "Review Decision Date", "Next Review Due", "Date Ceased", "Setting",
    "Cease Reason", "Amendment Notice Sent", "Amended Plan Issued",
]

_UK = {}


def uk(d):
    """dd/mm/yyyy, cached: the same few thousand days are written a million times."""
    if d is None:
        return ""
    s = _UK.get(d)
    if s is None:
        s = _UK[d] = d.strftime("%d/%m/%Y")
    return s


def working_day(d):
    """Meetings and letters happen on working days: Saturday moves back, Sunday forward."""
    w = d.weekday()
    return d - timedelta(days=1) if w == 5 else d + timedelta(days=1) if w == 6 else d


def seen(d):
    """A date as the export shows it on the extract day: blank while it still lies in the future."""
    return d if d is not None and d <= EXTRACT else None


# --- the authorities and their published figures ----------------------------------------------------
def read_rows(name, period):
    with open(RELEASE / name, encoding="utf-8-sig") as f:
        return {r["new_la_code"]: r for r in csv.DictReader(f)
                if r["time_period"] == period and r["geographic_level"] == "Local authority"}


def authorities():
    requests = read_rows("requests.csv", "2024")
    timeliness = read_rows("timeliness_20_week.csv", "2024")
    caseload = read_rows("caseload.csv", "202425")
    out = []
    for code, r in sorted(requests.items(), key=lambda kv: kv[1]["old_la_code"]):
        t = timeliness.get(code)
        # Suppressed or zero figures (a small LA's "x" or 0) take England's rate.
        ok = t and t["plans_issued_den_ex"].isdigit() and t["plans_issued_20_weeks_ex"].isdigit() \
            and int(t["plans_issued_den_ex"]) > 0
        on_time = int(t["plans_issued_20_weeks_ex"]) / int(t["plans_issued_den_ex"]) if ok else 0.46
        plans = caseload.get(code, {}).get("ehcplans", "")
        plans = int(plans) if plans.isdigit() else 3 * int(r["requests_received_in_year"])
        out.append({"name": r["la_name"], "number": r["old_la_code"], "requests": int(r["requests_received_in_year"]),
                    "on_time": on_time, "plans": plans})
    return out


# --- one authority ------------------------------------------------------------------------------------
class Authority:
    def __init__(self, la, index, scale):
        self.la = la
        self.rng = random.Random(SEED * 1000 + index)
        self.scale = scale
        n_teams = 3 if la["requests"] < 500 else 4 if la["requests"] < 1500 else 5
        self.teams = TEAMS[:n_teams]
        rng = self.rng
        self.officers = {
            role: {t: [f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                       for _ in range(max(2, round(la["requests"] * (1 if role == "a" else 3) / 250 / n_teams)))]
                   for t in self.teams}
            for role in ("a", "r")
        }
        self.issued = []  # (child, final plan date) of every plan the assessments issued

    def child(self, dob):
        rng = self.rng
        return {"id": f"CH{rng.getrandbits(32):08X}", "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                "dob": dob, "team": rng.choice(self.teams)}

    def officer(self, team, role):
        r = self.rng.random()
        if r < 0.01:
            return ""
        if r < 0.015:
            return "Unallocated"
        return self.rng.choice(self.officers[role][team])

    def request_dates(self):
        rng = self.rng
        for w, growth in enumerate(WINDOW_GROWTH):
            start = add_months(FIRST_REQUEST, 12 * w)
            months = [add_months(start, i) for i in range(12)]
            weights = [SEASON[m.month - 1] for m in months]
            total = self.la["requests"] * growth * self.scale
            for m, weight in zip(months, weights):
                n = int(total * weight / sum(weights) + rng.random())
                last = min(add_months(m, 1) - timedelta(days=1), EXTRACT)
                days = [m + timedelta(days=i) for i in range((last - m).days + 1)]
                days = [d for d in days if d.weekday() < 5]
                yield from sorted(rng.choice(days) for _ in range(n))

    def assessments(self):
        rng = self.rng
        number = self.la["number"]
        for i, req in enumerate(self.request_dates()):
            age = min(25, int(rng.expovariate(1 / 7)))
            c = self.child(req - timedelta(days=int(age * 365.25) + rng.randint(1, 364)))
            t = self.timeline(req)
            final, closed = seen(t.get("final")), seen(t.get("closed"))
            outcome = "Issued" if final else (t["outcome"] if closed else "Open")
            dec = seen(t.get("decision_date"))
            exception = t.get("exception") or ""
            team = c["team"] if rng.random() > 0.002 else ""
            sc_req, sc_rec = seen(t.get("sc_req")), seen(t.get("sc_rec"))
            sc = (uk(sc_req), uk(sc_rec))
            if sc_req is not None and rng.random() < 0.04:
                sc = (rng.choice(NULL_LOOKING),) * 2  # no social care involvement: the export says so
            if final:
                self.issued.append((c, final))
            yield [
                self.la["name"], f"{number}-EHC-{i + 1:06d}", c["id"], c["name"], uk(c["dob"]), team,
                self.officer(c["team"], "a"), uk(req), uk(dec), t.get("decision", "") if dec else "",
                uk(seen(t.get("ep_req"))), uk(seen(t.get("ep_rec"))), uk(seen(t.get("h_req"))),
                uk(seen(t.get("h_rec"))), sc[0], sc[1], uk(seen(t.get("draft"))), uk(final), outcome, uk(closed),
                exception,
            ]

    def timeline(self, req):
        """A case's dates; the 20-week outcome is drawn first (the LA's published rate), the steps fitted to it."""
        rng = self.rng
        r = rng.random()
        if r < 0.02:
            return {"outcome": "Withdrawn", "closed": working_day(req + timedelta(days=rng.randint(5, 40)))}
        dec = working_day(req + timedelta(days=rng.randint(30, 42) if rng.random() < 0.8 else rng.randint(43, 70)))
        if r < 0.25:
            return {"decision_date": dec, "decision": "Refuse", "outcome": "Refused", "closed": dec}
        t = {"decision_date": dec, "decision": "Assess",
             "ep_req": working_day(dec + timedelta(days=rng.randint(0, 2))),
             "h_req": working_day(dec + timedelta(days=rng.randint(0, 3))),
             "sc_req": working_day(dec + timedelta(days=rng.randint(0, 3)))}
        r = rng.random()
        exception = rng.choice(EXCEPTION_CODES) if rng.random() < 0.05 else None
        if r < 0.07:
            closed = working_day(req + timedelta(days=rng.randint(60, 150)))
            t.update(outcome="Withdrawn" if r < 0.02 else "Not issued", closed=closed)
            for k, lo, hi in (("ep_rec", 28, 130), ("h_rec", 21, 49), ("sc_rec", 14, 60)):
                d = t[k[:-3] + "req"] + timedelta(days=rng.randint(lo, hi))
                t[k] = working_day(d) if d < closed else None
            return t
        on_time = rng.random() < (0.3 if exception else self.la["on_time"])
        total = 140 - min(40, int(rng.expovariate(1 / 12))) if on_time else 141 + int(rng.expovariate(1 / 60))
        if not on_time and rng.random() < 0.08:
            total += rng.randint(100, 300)  # stuck: placement disputes, tribunal
        final = req + timedelta(days=total)
        draft = final - timedelta(days=rng.randint(15, 30))
        t["ep_rec"] = working_day(min(t["ep_req"] + timedelta(days=rng.randint(28, 120)), draft - timedelta(days=3)))
        t["h_rec"] = working_day(min(t["h_req"] + timedelta(days=rng.randint(21, 49)), draft - timedelta(days=3)))
        t["sc_rec"] = working_day(min(t["sc_req"] + timedelta(days=rng.randint(14, 60)), draft - timedelta(days=3)))
        t.update(draft=working_day(draft), final=working_day(final), outcome="Issued", exception=exception)
        return t

    def plans(self):
        """Plans in force before the window (started 2014 on, some ceased long ago), then the new ones."""
        rng = self.rng
        legacy = []
        for _ in range(int(self.la["plans"] * 0.7 * self.scale)):
            age_now = min(25, 3 + int(rng.expovariate(1 / 8)))
            dob = EXTRACT - timedelta(days=int(age_now * 365.25) + rng.randint(1, 364))
            lo = max(add_months(dob, 24), date(2014, 9, 1))
            span = (FIRST_REQUEST - lo).days
            if span <= 0:
                continue
            legacy.append((self.child(dob), working_day(lo + timedelta(days=int(span * (1 - rng.random() ** 1.7))))))
        number = self.la["number"]
        for i, (c, start) in enumerate(sorted(legacy, key=lambda x: x[1]) + self.issued):
            age_at_extract = age_on(c["dob"], EXTRACT)
            p_cease = 0.55 if age_at_extract >= 19 else 0.2 if age_at_extract >= 16 else 0.08
            ceased = None
            if rng.random() < p_cease:
                lo = start + timedelta(days=120)
                if lo < EXTRACT:
                    ceased = working_day(lo + timedelta(days=int((EXTRACT - lo).days * rng.random())))
                    ceased = seen(ceased)
            horizon = ceased or EXTRACT
            meeting, decided, due = self.review(c["dob"], start, horizon, ceased is not None)
            notice = amended = None
            if decided is not None and rng.random() < 0.4:
                notice = seen(working_day(decided + timedelta(days=rng.randint(0, 10))))
                if notice is not None and rng.random() < 0.85:
                    amended = seen(working_day(notice + timedelta(days=rng.randint(20, 120))))
            age = age_on(c["dob"], horizon)
            band = "early" if age < 5 else "primary" if age < 11 else "secondary" if age < 16 else \
                "post16" if age < 20 else "adult"
            setting = rng.choice(SETTINGS[band]) if rng.random() > 0.003 else "N/A"
            yield [
                self.la["name"], f"{number}-PLN-{i + 1:06d}", c["id"], c["name"], uk(c["dob"]),
                c["team"] if rng.random() > 0.002 else "", self.officer(c["team"], "r"), uk(start), uk(meeting),
                uk(decided), uk(due) if rng.random() > 0.003 else "", uk(ceased), setting,
                rng.choice(CEASE_REASONS) if ceased else "", uk(notice), uk(amended),
            ]

    def review(self, dob, start, horizon, ceased):
        """Last review meeting, its decision and the next due date, as the export shows them at the extract."""
        rng = self.rng
        months = 6 if age_on(dob, horizon) < 5 else 12
        first_due = add_months(start, months)
        if first_due > horizon:
            return None, None, first_due
        r = rng.random()
        if ceased or r < 0.8:  # reviewed within its interval
            lo = add_months(horizon, -months) + timedelta(days=1)
            meeting = lo + timedelta(days=rng.randint(0, (horizon - lo).days))
        elif r < 0.96:  # overdue by up to a year
            meeting = add_months(EXTRACT - timedelta(days=rng.randint(1, 365)), -12)
        else:  # overdue by more than a year
            meeting = add_months(EXTRACT - timedelta(days=rng.randint(366, 700)), -12)
        meeting = working_day(meeting)
        if meeting < start + timedelta(days=150) or meeting > horizon:
            return None, None, first_due
        due = add_months(meeting, months)
        r = rng.random()
        decided = (working_day(meeting + timedelta(days=rng.randint(3, 28))) if r < 0.85 else
                   working_day(meeting + timedelta(days=rng.randint(29, 80))) if r < 0.95 else None)
        return meeting, seen(decided) if decided and decided <= horizon else None, due


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of each LA's volume (1.0 = national)")
    parser.add_argument("--out", type=Path, default=HERE / "data")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = {name: args.out / f"{name}.csv.partial" for name in ("assessments", "plans")}
    counts = {"assessments": 0, "plans": 0}
    with open(tmp["assessments"], "w", newline="", encoding="utf-8") as fa, \
            open(tmp["plans"], "w", newline="", encoding="utf-8") as fp:
        wa, wp = csv.writer(fa, lineterminator="\n"), csv.writer(fp, lineterminator="\n")
        wa.writerow(ASSESSMENT_HEADERS)
        wp.writerow(PLAN_HEADERS)
        for index, la in enumerate(authorities()):
            a = Authority(la, index, args.scale)
            for row in a.assessments():
                wa.writerow(row)
                counts["assessments"] += 1
            for row in a.plans():
                wp.writerow(row)
                counts["plans"] += 1
    # Renamed only when complete, so that an interrupted run is never mistaken for the dataset.
    for name, path in tmp.items():
        path.replace(args.out / f"{name}.csv")
    print(f"{counts['assessments']} assessments, {counts['plans']} plans in {args.out}")


if __name__ == "__main__":
    main()
