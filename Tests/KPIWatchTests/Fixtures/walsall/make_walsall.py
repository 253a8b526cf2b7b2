#!/usr/bin/env python3
"""Case-level rows that reproduce Walsall's published 20-week table (Schools Forum, 9 March 2021, section 4.1).

Plans issued excluding exceptions, March 2020 .. January 2021, and how many of them within 20 weeks
(days between request and final plan <= 140). Around them, rows a correct KPI must leave out:
exception cases issued in those months, plans issued in February 2020 and February 2021, open cases,
refusals, withdrawals and decisions not to issue; and a boundary pair in October 2020 (day 140 on time,
day 141 late). Two teams, North and South, share every month's counts.

Deterministic (fixed seed, no current date). Writes assessments.csv beside this file and prints the
counts by construction (the table in README.md).
Run: python3 Tests/KPIWatchTests/Fixtures/walsall/make_walsall.py
"""

import csv
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 335  # Walsall's DfE LA number

# (year, month, plans issued excluding exceptions, of which within 20 weeks): Walsall's table
PUBLISHED = [
    (2020, 3, 54, 9), (2020, 4, 47, 9), (2020, 5, 68, 13), (2020, 6, 35, 8), (2020, 7, 28, 5),
    (2020, 8, 21, 3), (2020, 9, 49, 9), (2020, 10, 81, 15), (2020, 11, 38, 15), (2020, 12, 29, 18),
    (2021, 1, 34, 22),
]
# Outside the window: a month either side, so a period filter that is one month out gets a wrong count.
OUTSIDE = [(2020, 2, 31, 3), (2021, 2, 36, 24)]
# Exception cases issued per month (Feb 2020 .. Feb 2021); every other one within 20 weeks.
EXCEPTIONS = {
    (2020, 2): 1, (2020, 3): 2, (2020, 4): 1, (2020, 5): 3, (2020, 6): 1, (2020, 7): 0, (2020, 8): 1,
    (2020, 9): 2, (2020, 10): 4, (2020, 11): 1, (2020, 12): 1, (2021, 1): 2, (2021, 2): 1,
}
BOUNDARY_MONTH = (2020, 10)
OPEN_CASES = 20
CLOSED_CASES = [("Refused", 12), ("Not issued", 4), ("Withdrawn", 4)]
AS_OF = date(2021, 1, 31)

TEAMS = ["North", "South"]
OFFICERS = {"North": ["Dilys Harrowgate", "Amrit Selworthy"], "South": ["Colm Fairweather", "Ines Blackmore"]}
EXCEPTION_REASONS = [
    "Reg 10(4): exceptional personal circumstances",
    "Reg 10(4): child and family away from the area for 4+ weeks",
    "Reg 10(4): advice requested during school holiday",
]
FIRST = ["Peregrine", "Ottoline", "Lysander", "Romilly", "Thaddeus", "Elowen", "Zebedee", "Isolde", "Caspian",
         "Perdita", "Ambrose", "Seraphina", "Crispin", "Marigold", "Florian", "Ianthe", "Gulliver", "Tamsin"]
LAST_A = ["Wren", "Thistle", "Quill", "Sorrel", "Bracken", "Heron", "Nettle", "Kestrel", "Gorse", "Flint"]
LAST_B = ["combe", "wick", "thorpe", "feather", "hollow", "mere", "ridge", "shaw"]

HEADERS = [
    "Case Ref", "Child ID", "Child Name", "Date of Birth", "Team", "Case Officer", "Request Received",
    "Decision Date", "Decision", "EP Advice Requested", "EP Advice Received", "Health Advice Requested",
    "Health Advice Received", "Social Care Advice Requested", "Social Care Advice Received",
    "Draft Plan Issued", "Final EHCP Issued", "Outcome", "Date Closed", "Exception Reason",
]


def uk(d):
    return d.strftime("%d/%m/%Y") if d else ""


def weekdays(year, month):
    d = date(year, month, 1)
    out = []
    while d.month == month:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


def on_time_days(rng):
    return 140 - min(54, int(rng.expovariate(1 / 12)))


def late_days(rng, year, month):
    """The 2020 backlog (359 cases in March) makes the late plans of spring and summer very late."""
    mean = 120 if (year, month) < (2020, 11) else 40
    return 141 + min(560, int(rng.expovariate(1 / mean)))


def fit_request(final, days, on_time):
    """Move the request to a working day, keeping the case on the same side of day 140."""
    while (final - timedelta(days=days)).weekday() >= 5:
        days += -1 if on_time else 1
    return final - timedelta(days=days), days


def working_day(d):
    """Letters go out on working days: Saturday moves back to Friday, Sunday on to Monday."""
    if d is None or d.weekday() < 5:
        return d
    return d - timedelta(days=1) if d.weekday() == 5 else d + timedelta(days=1)


def process(rng, request, end, with_draft):
    """Decision, advice and draft dates between a request and its end (final plan or closure)."""
    span = (end - request).days
    decision = request + timedelta(days=min(rng.randint(35, 45), max(span - 40, 20)))
    ask = decision + timedelta(days=1)
    room = (end - ask).days
    draft = end - timedelta(days=rng.randint(15, 25)) if with_draft else None
    latest = (draft - ask).days - 3 if draft else room - 1
    ep = ask + timedelta(days=max(10, min(rng.randint(30, 90), latest)))
    health = ask + timedelta(days=max(10, min(rng.randint(21, 45), latest)))
    social = ask + timedelta(days=max(10, min(rng.randint(14, 42), latest)))
    return tuple(working_day(d) for d in (decision, ask, ep, health, social, draft))


class Children:
    def __init__(self, rng):
        self.rng, self.n, self.names = rng, 0, set()

    def next(self, request):
        while True:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST_A)}{self.rng.choice(LAST_B)}"
            if name not in self.names:
                break
        self.names.add(name)
        self.n += 1
        age = self.rng.choices(range(20), weights=[1, 2, 4, 6, 7, 7, 6, 6, 6, 5, 5, 5, 4, 4, 4, 3, 2, 2, 1, 1])[0]
        dob = request - timedelta(days=int(age * 365.25) + self.rng.randint(1, 364))
        return f"W{self.n:05d}", name, dob


def issued_case(rng, year, month, on_time, team, days=None, exception=None):
    final = rng.choice(weekdays(year, month))
    if days is None:
        days = on_time_days(rng) if on_time else late_days(rng, year, month)
        request, days = fit_request(final, days, on_time)
    else:  # an exact day count: pick a final date whose request falls on a working day
        final = next(d for d in weekdays(year, month) if (d - timedelta(days=days)).weekday() < 5)
        request = final - timedelta(days=days)
    return {"team": team, "request": request, "final": final, "outcome": "Issued", "exception": exception}


def build(rng):
    cases = []
    boundary = {}
    for year, month, issued, within in PUBLISHED + OUTSIDE:
        for k in range(issued):
            on_time = k < within
            team = TEAMS[k % 2] if on_time else TEAMS[(k - within) % 2]
            days = None
            if (year, month) == BOUNDARY_MONTH and k in (0, within):
                days = 140 if on_time else 141
            case = issued_case(rng, year, month, on_time, team, days)
            if days is not None:
                boundary[days] = case
            cases.append(case)
    for (year, month), n in EXCEPTIONS.items():
        for k in range(n):
            cases.append(issued_case(rng, year, month, k % 2 == 0, TEAMS[k % 2],
                                     exception=EXCEPTION_REASONS[k % len(EXCEPTION_REASONS)]))
    for k in range(OPEN_CASES):
        request = date(2020, 8, 3) + timedelta(days=rng.randint(0, 175))
        while request.weekday() >= 5:
            request += timedelta(days=1)
        cases.append({"team": TEAMS[k % 2], "request": request, "final": None, "outcome": "Open", "exception": None})
    for outcome, n in CLOSED_CASES:
        for k in range(n):
            closed = rng.choice(weekdays(2020, rng.randint(3, 12)))
            back = 42 if outcome == "Refused" else rng.randint(60, 110)
            while (closed - timedelta(days=back)).weekday() >= 5:
                back += 1
            cases.append({"team": TEAMS[k % 2], "request": closed - timedelta(days=back), "final": None,
                          "closed": closed, "outcome": outcome, "exception": None})
    return cases, boundary


def rows_for(rng, cases):
    children = Children(rng)
    cases.sort(key=lambda c: (c["request"], c["final"] or date.max))
    rows = []
    for i, c in enumerate(cases):
        child_id, name, dob = children.next(c["request"])
        decision = ask = ep = health = social = draft = None
        closed = c.get("closed")
        choice = "Assess"
        if c["outcome"] == "Issued":
            decision, ask, ep, health, social, draft = process(rng, c["request"], c["final"], True)
        elif c["outcome"] == "Refused":
            decision, choice = closed, "Refuse"
        elif c["outcome"] in ("Not issued", "Withdrawn"):
            decision, ask, ep, health, social, _ = process(rng, c["request"], closed, False)
        else:  # open at 31/01/2021: only the steps already taken
            decision, ask, ep, health, social, draft = process(
                rng, c["request"], c["request"] + timedelta(days=rng.randint(120, 200)), True)
            ep, health, social, draft = (d if d and d <= AS_OF else None for d in (ep, health, social, draft))
            if decision > AS_OF:
                decision = ask = None
                choice = ""
        c["case_ref"] = f"EHC-{i + 1:06d}"
        rows.append({
            "Case Ref": c["case_ref"], "Child ID": child_id, "Child Name": name, "Date of Birth": uk(dob),
            "Team": c["team"], "Case Officer": rng.choice(OFFICERS[c["team"]]), "Request Received": uk(c["request"]),
            "Decision Date": uk(decision), "Decision": choice if decision else "",
            "EP Advice Requested": uk(ask), "EP Advice Received": uk(ep), "Health Advice Requested": uk(ask),
            "Health Advice Received": uk(health), "Social Care Advice Requested": uk(ask),
            "Social Care Advice Received": uk(social), "Draft Plan Issued": uk(draft),
            "Final EHCP Issued": uk(c["final"]), "Outcome": c["outcome"], "Date Closed": uk(closed),
            "Exception Reason": c["exception"] or "",
        })
    return rows


def summary(cases):
    """The counts by construction, recomputed from the cases as written."""
    def issued(y, m, team=None, ex=False):
        sel = [c for c in cases if c["final"] and (c["final"].year, c["final"].month) == (y, m)
               and (c["exception"] is not None) == ex and (team is None or c["team"] == team)]
        return len(sel), sum((c["final"] - c["request"]).days <= 140 for c in sel)

    lines = ["| month | issued ex. exceptions | within 20 weeks | % | North | South | exception cases |",
             "|---|---|---|---|---|---|---|"]
    for y, m, *_ in OUTSIDE[:1] + PUBLISHED + OUTSIDE[1:]:
        n, w = issued(y, m)
        nn, nw = issued(y, m, "North")
        sn, sw = issued(y, m, "South")
        en, ew = issued(y, m, ex=True)
        lines.append(f"| {y}-{m:02d} | {n} | {w} | {100 * w / n:.1f}% | {nn} ({nw}) | {sn} ({sw}) | {en} ({ew}) |")
    return "\n".join(lines)


def main():
    rng = random.Random(SEED)
    cases, boundary = build(rng)
    rows = rows_for(rng, cases)
    for y, m, n, w in PUBLISHED + OUTSIDE:  # the table must come out exactly as published
        sel = [c for c in cases if c["final"] and (c["final"].year, c["final"].month) == (y, m) and not c["exception"]]
        assert len(sel) == n and sum((c["final"] - c["request"]).days <= 140 for c in sel) == w, (y, m)
    with open(HERE / "assessments.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=HEADERS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(summary(cases))
    for days, c in sorted(boundary.items()):
        print(f"day {days}: {c['case_ref']} request {c['request']} final {c['final']} team {c['team']}")
    print("rows", len(rows), "open", sum(c["outcome"] == "Open" for c in cases))


if __name__ == "__main__":
    main()
