#!/usr/bin/env python3
"""Generate the kpiwatch demo: a synthetic SEND service calibrated to North Somerset (DfE LA 802).

Writes examples/demo/data/{assessments,plans,staff,population}.csv in the style of a case-management
export (human headers, dd/mm/yyyy dates, blanks and a few N/A), then re-reads those files and writes
examples/demo/expected.json: values known by construction as of the extract date, each with its
definition, for tests and for writing matching KPIs.

Deterministic: a fixed seed, no use of the current date. Python 3 standard library only.
Run: python3 examples/demo/generate.py
"""

import calendar
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
# North Somerset's rows of ONS's mid-year estimates file, kept in the repository with the plugin that reads it.
ONS_FILE = HERE.parents[1] / "plugins/ons-population/sample-mye.csv"
SEED = 20261031

EXTRACT = date(2026, 10, 31)
FIRST_REQUEST = date(2023, 11, 1)

# --- calibration: North Somerset's latest published figures (see README.md) -----------------------
LA_NAME = "North Somerset"
LA_CODE = "E06000024"
PUBLISHED = {
    "requests_received_2024": 1092,
    "plans_at_january_2024": 2114,
    "plans_at_january_2025": 2644,
    "timeliness_20w_ex_2024": 61.5,
}
# The demo runs one year after the published data: its calendar 2025 plays the LA's 2024, its
# January 2025 and January 2026 censuses play the LA's January 2024 and January 2025.
CENSUS_2025 = date(2025, 1, 16)  # SEN2 census day: third Thursday of January
CENSUS_2026 = date(2026, 1, 15)
TARGET_PLANS_CENSUS_2025 = 2114
TARGET_PLANS_CENSUS_2026 = 2644

# Requests per 12-month window (Nov..Oct); the last two windows give about 1,092 a year.
REQUESTS_PER_WINDOW = [960, 1090, 1095]
# Relative monthly volume (Jan..Dec): fewer requests in August and December.
SEASON = [1.05, 1.0, 1.15, 0.9, 1.1, 1.1, 1.05, 0.55, 0.95, 1.1, 1.1, 0.75]

TEAMS = ["North", "South", "East", "West"]
TEAM_WEIGHT = {"North": 0.27, "South": 0.26, "East": 0.24, "West": 0.23}
# Share of non-exception plans issued within 20 weeks; West struggles (as Surrey's SW quadrant did).
ON_TIME = {"North": 0.72, "South": 0.64, "East": 0.61, "West": 0.47}

P_WITHDRAWN_BEFORE_DECISION = 0.02
P_REFUSED = 0.25
P_WITHDRAWN_AFTER_ASSESS = 0.02
P_NOT_ISSUED = 0.05
P_EXCEPTION = 0.05
P_REREQUEST = 0.03

# The export's exception codes. Only reg. 13(3)'s reasons (reg. 10(4)(a)-(d)) take a plan out of the 20-week
# measure; the case-management system also lets officers record two that do not (a missed appointment excuses
# the adviser under reg. 8(2), not the LA; a half-term is not a closure of 4+ weeks), as real exports do.
# Four codes, as before, so that the random draws and every other column stay the same.
EXCEPTION_REASONS = [
    "school_holiday",
    "personal_circumstances",
    "away_from_area_4_weeks",
    "missed_appointment",
]

# Officers: (name, team, role, fte). Assessment officers hold open assessments, review officers plans.
STAFF = [
    ("Imogen Ashdown", "North", "Assessment", 1.0),
    ("Rafael Okonjo", "North", "Assessment", 0.8),
    ("Bethany Carrow", "South", "Assessment", 1.0),
    ("Tomasz Wyndham", "South", "Assessment", 0.6),
    ("Nadia Fairbairn", "East", "Assessment", 1.0),
    ("Callum Ritchley", "East", "Assessment", 0.8),
    ("Shireen Holloway", "West", "Assessment", 1.0),
    ("Gareth Pennick", "West", "Assessment", 0.6),
    ("Louise Amberley", "North", "Review", 1.0),
    ("Dominic Saxby", "North", "Review", 1.0),
    ("Aisha Trelawney", "North", "Review", 0.8),
    ("Nathaniel Corbridge", "North", "Review", 0.6),
    ("Fern Molyneux", "South", "Review", 1.0),
    ("Owen Stapleford", "South", "Review", 1.0),
    ("Priya Castellan", "South", "Review", 0.8),
    ("Megan Illingworth", "East", "Review", 1.0),
    ("Kwame Bastable", "East", "Review", 1.0),
    ("Harriet Quennell", "East", "Review", 0.8),
    ("Jonah Tremayne", "West", "Review", 1.0),
    ("Rosalind Achebe", "West", "Review", 1.0),
    ("Declan Pryor", "West", "Review", 0.6),
]
UNKNOWN_OFFICER = "Agency Worker 3"  # the deliberate officer missing from staff.csv

FIRST_NAMES = [
    "Zephyrine", "Thaddeus", "Elowen", "Caspian", "Orlaith", "Zebedee", "Marisol", "Peregrine", "Saoirse",
    "Lysander", "Isolde", "Barnaby", "Ottoline", "Cosmo", "Perdita", "Ignatius", "Wilhelmina", "Evander",
    "Clementine", "Leopold", "Araminta", "Fitzgerald", "Seraphina", "Ambrose", "Tamsin", "Lucius", "Romilly",
    "Bartholomew", "Octavia", "Florian", "Hermione", "Casimir", "Delphine", "Jolyon", "Calliope", "Radley",
    "Persephone", "Horatio", "Marigold", "Sebastian", "Ondine", "Ptolemy", "Rosamund", "Crispin", "Elspeth",
    "Auberon", "Imelda", "Lachlan", "Philippa", "Wolfgang", "Temperance", "Alaric", "Hyacinth", "Quentin",
    "Verity", "Fabian", "Ianthe", "Gulliver", "Melisande", "Tobias",
]
SURNAME_HEADS = [
    "Quill", "Bramble", "Thistle", "Marrow", "Fenn", "Gorse", "Wren", "Hazel", "Nettle", "Sorrel",
    "Tansy", "Kestrel", "Rook", "Lark", "Heron", "Moss", "Flint", "Cobble", "Pebble", "Briar",
]
SURNAME_TAILS = [
    "thorpe", "wick", "combe", "whistle", "feather", "bottom", "hollow", "ridge", "stead", "worth",
    "gate", "mere", "ford", "shaw", "brook",
]

# Age (whole years) at a request for assessment: mostly early years and primary.
REQUEST_AGE_WEIGHT = [1, 2, 5, 8, 9, 8, 7, 7, 7, 6, 6, 6, 5, 5, 5, 4, 3, 2, 1.5, 1, 0.6, 0.4, 0.3, 0.2, 0.2, 0.1]
# Age at the extract of a child whose plan began before the demo window (SEN2 caseload shape).
LEGACY_AGE_WEIGHT = {
    5: 3, 6: 4, 7: 5, 8: 6, 9: 6, 10: 7, 11: 7, 12: 7, 13: 7, 14: 7, 15: 7, 16: 6, 17: 6, 18: 5, 19: 4,
    20: 3, 21: 2, 22: 1.5, 23: 1.2, 24: 1, 25: 0.6,
}

ASSESSMENT_HEADERS = [
    "Case Ref", "Child ID", "Child Name", "Date of Birth", "Team", "Case Officer", "Request Received",
    "Decision Date", "Decision", "EP Advice Requested", "EP Advice Received", "Health Advice Requested",
    "Health Advice Received", "Social Care Advice Requested", "Social Care Advice Received",
    "Draft Plan Issued", "Final EHCP Issued", "Outcome", "Date Closed", "Exception Reason",
]
PLAN_HEADERS = [
    "Plan Ref", "Child ID", "Child Name", "Date of Birth", "Team", "Case Officer", "Plan Start",
    "Last Review Meeting", "Review Decision Date", "Next Review Due", "Date Ceased", "Setting",
]
# Columns some exports carry and others do not (the rules in rules/send_extra read them), drawn with a random
# generator of their own so that every column above stays as it was.
PLAN_DETAIL_HEADERS = [
    "Cease Reason", "Amendment Notice Sent", "Amended Plan Issued", "Interim Review", "Next Phase Transfer",
    "Transfer To Post-16", "Transfer Plan Amended",
]
CEASE_REASONS = {
    "adult": {"Moved to employment": 3, "Moved to higher education": 2, "No longer in education or training": 2,
              "Needs met without a plan": 1, "Moved out of the area": 1},
    "post16": {"Moved out of the area": 2, "Needs met without a plan": 2, "Moved to employment": 1,
               "No longer in education or training": 1},
    "child": {"Moved out of the area": 3, "Needs met without a plan": 2},
}


# --- dates -----------------------------------------------------------------------------------------
def add_months(d, n):
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def age_on(dob, day):
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def review_interval_months(dob, day):
    return 6 if age_on(dob, day) < 5 else 12


def weekday_on_or_before(d):
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


def weekday_near(d):
    """Meetings and letters happen on working days: move Saturday back, Sunday forward."""
    if d.weekday() == 5:
        return d - timedelta(days=1)
    if d.weekday() == 6:
        return d + timedelta(days=1)
    return d


def uk(d):
    return d.strftime("%d/%m/%Y") if isinstance(d, date) else (d or "")


# --- people ----------------------------------------------------------------------------------------
class People:
    """Distinctive fake names and pseudonymous ids, unique across the whole demo."""

    def __init__(self, rng):
        self.rng = rng
        self.names = set()
        self.ids = set()

    def child(self, dob, team):
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAME_HEADS)}{self.rng.choice(SURNAME_TAILS)}"
            if name not in self.names:
                break
        while True:
            cid = f"CH{self.rng.getrandbits(28):07X}"
            if cid not in self.ids:
                break
        self.names.add(name)
        self.ids.add(cid)
        return {"child_id": cid, "name": name, "dob": dob, "team": team}


def weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def officers(team, role):
    return [(name, fte) for name, t, r, fte in STAFF if t == team and r == role]


def pick_officer(rng, team, role):
    pool = officers(team, role)
    return rng.choices([n for n, _ in pool], weights=[f for _, f in pool])[0]


# --- assessments -----------------------------------------------------------------------------------
def request_dates(rng):
    """Exact monthly request counts (largest remainder within each Nov..Oct window), weekdays only."""
    dates = []
    for w, total in enumerate(REQUESTS_PER_WINDOW):
        start = add_months(FIRST_REQUEST, 12 * w)
        months = [add_months(start, i) for i in range(12)]
        weights = [SEASON[m.month - 1] for m in months]
        raw = [total * x / sum(weights) for x in weights]
        counts = [int(r) for r in raw]
        for i in sorted(range(12), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
            counts[i] += 1
        for m, n in zip(months, counts):
            last = min(add_months(m, 1) - timedelta(days=1), EXTRACT)
            days = [m + timedelta(days=i) for i in range((last - m).days + 1)]
            days = [d for d in days if d.weekday() < 5]
            dates += sorted(rng.choice(days) for _ in range(n))
    return dates


def ep_advice_days(rng):
    r = rng.random()
    return rng.randint(28, 42) if r < 0.45 else rng.randint(43, 84) if r < 0.88 else rng.randint(85, 130)


def social_care_advice_days(rng):
    return rng.randint(14, 42) if rng.random() < 0.88 else rng.randint(43, 70)


def decision_days(rng):
    return rng.randint(30, 42) if rng.random() < 0.85 else rng.randint(43, 49)


class OnTimeDraw:
    """Per-team error diffusion: each team's share of on-time plans follows ON_TIME closely, in any order."""

    def __init__(self, rng):
        self.rng = rng
        self.carry = {t: rng.random() for t in TEAMS}

    def __call__(self, team, exception):
        if exception:
            return self.rng.random() < 0.25
        self.carry[team] += ON_TIME[team]
        if self.carry[team] >= 1 + self.rng.uniform(-0.35, 0.35):
            self.carry[team] -= 1
            return True
        return False


def issued_timeline(rng, req, team, exception, draw_on_time):
    """Dates of a case that ends in a final plan; the 20-week outcome is drawn first, the steps fitted to it."""
    dec = req + timedelta(days=decision_days(rng))
    ep_req = dec + timedelta(days=rng.randint(0, 2))
    h_req = dec + timedelta(days=rng.randint(0, 3))
    sc_req = dec + timedelta(days=rng.randint(0, 3))
    on_time = draw_on_time(team, exception)
    if on_time:
        total = 140 - min(35, int(rng.expovariate(1 / 10)))
    elif exception:
        total = rng.randint(150, 280)
    else:
        total = 141 + int(rng.expovariate(1 / 45))
        if rng.random() < 0.10:
            total += rng.randint(40, 160)
    final = req + timedelta(days=total)
    consult = rng.randint(15, 30)
    draft = final - timedelta(days=consult)
    ep_latest = (draft - timedelta(days=5) - ep_req).days
    if on_time or rng.random() < 0.3:
        ep_days = min(ep_advice_days(rng), ep_latest)
    else:  # late EP advice is what holds most late plans up
        ep_days = ep_latest - rng.randint(0, 14)
    ep_days = max(ep_days, 14)
    ep_rec = ep_req + timedelta(days=ep_days)
    if ep_rec > draft - timedelta(days=3):
        draft = ep_rec + timedelta(days=3)
        final = max(final, draft + timedelta(days=15))
    h_rec = h_req + timedelta(days=min(rng.randint(21, 49), max((draft - h_req).days - 3, 10)))
    sc_rec = sc_req + timedelta(days=min(social_care_advice_days(rng), max((draft - sc_req).days - 3, 7)))
    return {
        "decision_date": dec, "decision": "Assess", "ep_req": ep_req, "ep_rec": ep_rec, "h_req": h_req,
        "h_rec": h_rec, "sc_req": sc_req, "sc_rec": sc_rec, "draft": draft, "final": final,
        "end_outcome": "Issued", "closed": None,
    }


def advice_until(rng, dec, stop):
    """Advice requested after a decision to assess, dropping any reply that would come after `stop`."""
    t = {
        "ep_req": dec + timedelta(days=rng.randint(0, 2)),
        "h_req": dec + timedelta(days=rng.randint(0, 3)),
        "sc_req": dec + timedelta(days=rng.randint(0, 3)),
    }
    t["ep_rec"] = t["ep_req"] + timedelta(days=ep_advice_days(rng))
    t["h_rec"] = t["h_req"] + timedelta(days=rng.randint(21, 49))
    t["sc_rec"] = t["sc_req"] + timedelta(days=social_care_advice_days(rng))
    for k in ("ep_rec", "h_rec", "sc_rec"):
        if t[k] > stop:
            t[k] = None
    return t


def case_timeline(rng, req, team, draw_on_time):
    r = rng.random()
    if r < P_WITHDRAWN_BEFORE_DECISION:
        return {"end_outcome": "Withdrawn", "closed": req + timedelta(days=rng.randint(5, 40))}, None
    dec = req + timedelta(days=decision_days(rng))
    if r < P_WITHDRAWN_BEFORE_DECISION + P_REFUSED:
        return {"decision_date": dec, "decision": "Refuse", "end_outcome": "Refused", "closed": dec}, None
    r = rng.random()
    if r < P_WITHDRAWN_AFTER_ASSESS:
        closed = dec + timedelta(days=rng.randint(10, 100))
        t = advice_until(rng, dec, closed)
        t.update(decision_date=dec, decision="Assess", end_outcome="Withdrawn", closed=closed)
        return t, None
    if r < P_WITHDRAWN_AFTER_ASSESS + P_NOT_ISSUED:
        closed = req + timedelta(days=rng.randint(95, 125))
        t = advice_until(rng, dec, closed - timedelta(days=7))
        t.update(decision_date=dec, decision="Assess", end_outcome="Not issued", closed=closed)
        return t, None
    exception = rng.choice(EXCEPTION_REASONS) if rng.random() < P_EXCEPTION else None
    return issued_timeline(rng, req, team, exception, draw_on_time), exception


def stuck_timeline(rng, req):
    """A case past 52 weeks at the extract: advice in, draft issued, final plan held up (e.g. by placement)."""
    dec = req + timedelta(days=rng.randint(36, 42))
    t = advice_until(rng, dec, EXTRACT)
    t["ep_rec"] = t["ep_req"] + timedelta(days=rng.randint(120, 200))
    draft = t["ep_rec"] + timedelta(days=rng.randint(20, 40))
    t.update(decision_date=dec, decision="Assess", draft=draft, final=None, end_outcome="Issued", closed=None)
    return t


def assessment_row(case_ref, child, officer, req, t, exception, sc_na):
    def seen(key):
        """The date as recorded on a working day, or None while it still lies after the extract."""
        d = t.get(key)
        d = weekday_near(d) if d is not None else None
        return d if d is not None and d <= EXTRACT else None

    final, closed = seen("final"), seen("closed")
    outcome = "Issued" if final else (t["end_outcome"] if closed else "Open")
    decision = t.get("decision") if seen("decision_date") else None
    row = {
        "Case Ref": case_ref, "Child ID": child["child_id"], "Child Name": child["name"],
        "Date of Birth": uk(child["dob"]), "Team": child["team"], "Case Officer": officer,
        "Request Received": uk(req), "Decision Date": uk(seen("decision_date")), "Decision": decision or "",
        "EP Advice Requested": uk(seen("ep_req")), "EP Advice Received": uk(seen("ep_rec")),
        "Health Advice Requested": uk(seen("h_req")), "Health Advice Received": uk(seen("h_rec")),
        "Social Care Advice Requested": uk(seen("sc_req")), "Social Care Advice Received": uk(seen("sc_rec")),
        "Draft Plan Issued": uk(seen("draft")), "Final EHCP Issued": uk(final), "Outcome": outcome,
        "Date Closed": uk(closed), "Exception Reason": exception or "",
    }
    if sc_na and row["Social Care Advice Requested"]:
        # no social care involvement: the export shows N/A rather than a date
        row["Social Care Advice Requested"] = row["Social Care Advice Received"] = "N/A"
    return row


def generate_assessments(rng, people):
    rows, refused_children, issued = [], [], []
    draw_on_time = OnTimeDraw(rng)
    dates = request_dates(rng)
    stuck_at = set(rng.sample([i for i, d in enumerate(dates) if date(2025, 6, 1) <= d <= date(2025, 10, 15)], 4))
    for i, req in enumerate(dates):
        reuse = [c for c, when in refused_children if (req - when).days > 180]
        if reuse and rng.random() < P_REREQUEST:
            child = rng.choice(reuse)
            refused_children = [(c, w) for c, w in refused_children if c is not child]
        else:
            age = rng.choices(range(26), weights=REQUEST_AGE_WEIGHT)[0]
            dob = req - timedelta(days=int(age * 365.25) + rng.randint(1, 364))
            while age_on(dob, req) > 25:
                dob += timedelta(days=30)
            child = people.child(dob, weighted(rng, TEAM_WEIGHT))
        if i in stuck_at:
            t, exception = stuck_timeline(rng, req), None
        else:
            t, exception = case_timeline(rng, req, child["team"], draw_on_time)
        officer = pick_officer(rng, child["team"], "Assessment")
        row = assessment_row(f"EHC-{i + 1:06d}", child, officer, req, t, exception, rng.random() < 0.04)
        rows.append(row)
        if row["Outcome"] == "Refused":
            refused_children.append((child, t["closed"]))
        if row["Outcome"] == "Issued":
            issued.append((child, weekday_near(t["final"])))
    return rows, issued


# --- plans -----------------------------------------------------------------------------------------
SETTINGS = {
    "early": {"Early years setting": 60, "Mainstream primary": 25, "Special school": 15},
    "primary": {
        "Mainstream primary": 55, "Special school": 25, "Resourced provision": 8, "Independent special school": 6,
        "EOTAS": 3, "Elective home education": 3,
    },
    "secondary": {
        "Mainstream secondary": 45, "Special school": 30, "Independent special school": 12,
        "Resourced provision": 5, "Alternative provision": 4, "EOTAS": 4,
    },
    "post16": {
        "FE college": 45, "Special school sixth form": 25, "Mainstream sixth form": 12,
        "Independent specialist college": 8, "Apprenticeship": 3, "NEET": 7,
    },
    "adult": {"FE college": 40, "Independent specialist college": 20, "Supported internship": 15, "NEET": 25},
}


def setting_for(rng, age):
    band = "early" if age < 5 else "primary" if age < 11 else "secondary" if age < 16 else "post16"
    if age >= 20:
        band = "adult"
    return weighted(rng, SETTINGS[band])


def legacy_children(rng, people, n):
    out = []
    for _ in range(n):
        age = weighted(rng, LEGACY_AGE_WEIGHT)
        dob = EXTRACT - timedelta(days=int(age * 365.25) + rng.randint(1, 364))
        lo = max(add_months(dob, 24), date(2014, 9, 1))
        hi = date(2023, 10, 31)
        start = weekday_on_or_before(hi - timedelta(days=int((hi - lo).days * rng.random() ** 1.6)))
        out.append((people.child(dob, weighted(rng, TEAM_WEIGHT)), start))
    return out


def active_on(plan, day):
    return plan["start"] <= day and (plan["ceased"] is None or plan["ceased"] > day)


def cease_weight(plan, day):
    age = age_on(plan["child"]["dob"], day)
    return 8 if age >= 19 else 2 if age >= 16 else 1


def age_out(plans):
    """A plan ends at the end of the academic year (31 July) in which the young person turns 25."""
    for p in plans:
        b25 = add_months(p["child"]["dob"], 300)
        end = date(b25.year + (b25.month >= 8), 7, 31)
        if p["start"] < end <= EXTRACT:
            p["ceased"] = end


def cease_in(rng, plans, n, lo, hi):
    """Cease n more plans on dates in [lo, hi], older young people first, as SEN2 cease reasons suggest."""
    span = (hi - lo).days
    n -= sum(1 for p in plans if p["ceased"] is not None and lo <= p["ceased"] <= hi)
    for _ in range(n):
        day = weekday_on_or_before(lo + timedelta(days=rng.randint(0, span)))
        pool = [p for p in plans if active_on(p, day) and (day - p["start"]).days > 90]
        chosen = rng.choices(pool, weights=[cease_weight(p, day) for p in pool])[0]
        chosen["ceased"] = day


def review_state(rng, plan):
    """Last review meeting, its decision and the next due date, as the export shows them at the extract."""
    dob, start = plan["child"]["dob"], plan["start"]
    horizon = plan["ceased"] or EXTRACT
    first_due = add_months(start, review_interval_months(dob, start))
    if first_due > horizon:
        return None, None, first_due
    r = rng.random()
    if plan["ceased"] is not None or r < 0.78:  # reviewed within its interval
        lo = add_months(horizon, -review_interval_months(dob, horizon)) + timedelta(days=1)
        meeting = lo + timedelta(days=rng.randint(0, (horizon - lo).days))
    elif r < 0.96:  # next review overdue by up to a year
        meeting = add_months(EXTRACT - timedelta(days=rng.randint(1, 365)), -12)
    else:  # overdue by more than a year
        meeting = add_months(EXTRACT - timedelta(days=rng.randint(366, 700)), -12)
    meeting = weekday_on_or_before(meeting)
    if meeting < start + timedelta(days=150):  # never reviewed since the plan began
        return None, None, first_due
    due = add_months(meeting, review_interval_months(dob, meeting))
    r = rng.random()
    if r < 0.85:
        decided = weekday_near(meeting + timedelta(days=rng.randint(3, 28)))
    elif r < 0.95:
        decided = weekday_near(meeting + timedelta(days=rng.randint(29, 80)))
    else:
        decided = None
    if decided is not None and decided > horizon:
        decided = None
    return meeting, decided, due


def generate_plans(rng, people, issued):
    new = [{"child": c, "start": s, "ceased": None} for c, s in sorted(issued, key=lambda x: x[1])]
    new_before_2025 = sum(1 for p in new if p["start"] <= CENSUS_2025)
    new_in_2025 = sum(1 for p in new if CENSUS_2025 < p["start"] <= CENSUS_2026)
    ceased_before_2025 = 180
    n_legacy = TARGET_PLANS_CENSUS_2025 - new_before_2025 + ceased_before_2025
    legacy = [{"child": c, "start": s, "ceased": None} for c, s in legacy_children(rng, people, n_legacy)]
    legacy.sort(key=lambda p: p["start"])
    plans = legacy + new
    age_out(plans)
    cease_in(rng, plans, ceased_before_2025, FIRST_REQUEST, CENSUS_2025 - timedelta(days=1))
    cease_in(rng, plans, TARGET_PLANS_CENSUS_2025 + new_in_2025 - TARGET_PLANS_CENSUS_2026,
             CENSUS_2025, CENSUS_2026 - timedelta(days=1))
    cease_in(rng, plans, 160, CENSUS_2026, EXTRACT)
    rows = []
    for i, p in enumerate(plans):
        child = p["child"]
        meeting, decided, due = review_state(rng, p)
        at = p["ceased"] or EXTRACT
        rows.append({
            "Plan Ref": f"PLN-{i + 1:05d}", "Child ID": child["child_id"], "Child Name": child["name"],
            "Date of Birth": uk(child["dob"]), "Team": child["team"],
            "Case Officer": pick_officer(rng, child["team"], "Review"), "Plan Start": uk(p["start"]),
            "Last Review Meeting": uk(meeting), "Review Decision Date": uk(decided), "Next Review Due": uk(due),
            "Date Ceased": uk(p["ceased"]), "Setting": setting_for(rng, age_on(child["dob"], at)),
        })
    for row in rng.sample(rows, 6):
        row["Setting"] = "N/A"
    return rows


# --- deliberate data-quality defects (each a known count, see expected.json) ----------------------
def inject_defects(rng, assessments, plans):
    def parse(s):
        return date(int(s[6:]), int(s[3:5]), int(s[:2])) if s and s != "N/A" else None

    active = [p for p in plans if not p["Date Ceased"] and p["Last Review Meeting"]]
    for row in rng.sample(active, 3):
        row["Next Review Due"] = ""
    # a year typed wrong: the final plan appears to predate its request
    typo = next(r for r in assessments if r["Outcome"] == "Issued" and parse(r["Request Received"]).year == 2025
                and parse(r["Final EHCP Issued"]).year == 2025 and parse(r["Final EHCP Issued"]).month >= 9)
    f = parse(typo["Final EHCP Issued"])
    typo["Final EHCP Issued"] = uk(f.replace(year=2024))
    open_rows = [r for r in assessments if r["Outcome"] == "Open" and parse(r["Request Received"]) < date(2026, 8, 1)]
    unknown = rng.choice(open_rows)
    unknown["Team"], unknown["Case Officer"] = "Unknown", UNKNOWN_OFFICER
    blank = next(r for r in assessments if r["Outcome"] == "Issued" and r["Final EHCP Issued"].endswith("/2026")
                 and r is not typo)
    blank["Team"] = ""
    # the export repeated a row: an old refused request appears twice
    dup = next(r for r in assessments if r["Outcome"] == "Refused" and r["Request Received"].endswith("/2023"))
    assessments.insert(assessments.index(dup) + 1, dict(dup))
    return {"typo": typo["Case Ref"], "unknown": unknown["Case Ref"], "blank": blank["Case Ref"],
            "duplicate": dup["Case Ref"]}


# --- plan details some exports carry (rules/send_extra) --------------------------------------------
def parse_uk(s):
    return date(int(s[6:]), int(s[3:5]), int(s[:2])) if s and s != "N/A" else None


def add_plan_details(rng, plans):
    """Cease reasons, amendments after reviews (reg. 22), interim reviews and phase transfers (reg. 18)."""
    for row in plans:
        dob, start, ceased = (parse_uk(row[k]) for k in ("Date of Birth", "Plan Start", "Date Ceased"))
        decided = parse_uk(row["Review Decision Date"])
        horizon = ceased or EXTRACT
        details = dict.fromkeys(PLAN_DETAIL_HEADERS, "")
        if ceased is not None:
            age = age_on(dob, ceased)
            if ceased.month == 7 and ceased.day == 31 and age >= 24:
                details["Cease Reason"] = "Reached the age of 25"
            else:
                details["Cease Reason"] = weighted(
                    rng, CEASE_REASONS["adult" if age >= 19 else "post16" if age >= 16 else "child"])
        if decided is not None and rng.random() < 0.45:
            notice = weekday_near(decided + timedelta(days=rng.randint(0, 10)))
            r = rng.random()
            amended = (notice + timedelta(days=rng.randint(20, 56)) if r < 0.7
                       else notice + timedelta(days=rng.randint(57, 120)) if r < 0.9 else None)
            amended = weekday_near(amended) if amended is not None else None
            if notice <= horizon:
                details["Amendment Notice Sent"] = uk(notice)
                details["Amended Plan Issued"] = uk(amended if amended is not None and amended <= horizon else None)
        if ceased is None and rng.random() < 0.06:
            interim = weekday_on_or_before(EXTRACT - timedelta(days=rng.randint(1, 365)))
            if interim > start:
                details["Interim Review"] = uk(interim)
        if ceased is None:
            for year in (2026, 2027):
                age = age_on(dob, date(year, 8, 31))
                if age in (4, 11, 16):
                    break
            else:
                year = None
            if year is not None and start < date(year - 1, 11, 1):
                post16 = age == 16
                deadline = date(year, 3, 31) if post16 else date(year, 2, 15)
                details["Next Phase Transfer"] = uk(date(year, 9, 1))
                details["Transfer To Post-16"] = "Yes" if post16 else "No"
                r = rng.random()
                if year == 2026 and r < 0.75:
                    lo = date(2025, 10, 1)
                    amended = lo + timedelta(days=rng.randint(0, (deadline - lo).days - 1))
                elif year == 2026 and r < 0.92:
                    amended = deadline + timedelta(days=rng.randint(0, (date(2026, 8, 31) - deadline).days))
                elif year == 2027 and r < 0.15:
                    amended = date(2026, 9, 1) + timedelta(days=rng.randint(0, (EXTRACT - date(2026, 9, 1)).days))
                else:
                    amended = None
                amended = weekday_on_or_before(amended) if amended is not None else None
                details["Transfer Plan Amended"] = uk(amended if amended is not None and amended <= EXTRACT else None)
        row.update(details)


# --- complaints (rules/send_extra/complaints.yaml) --------------------------------------------------
def generate_complaints(rng):
    """About two stage-1 complaints a month, a quarter of them escalated to stage 2 a month or two later."""
    rows = []
    day = FIRST_REQUEST
    while day <= EXTRACT:
        for _ in range(rng.choice([1, 2, 2, 3])):
            received = weekday_on_or_before(day + timedelta(days=rng.randint(0, 27)))
            if received > EXTRACT:
                continue
            team = weighted(rng, TEAM_WEIGHT)
            ref = f"CMP-{len(rows) + 1:04d}"
            rows.append({"Complaint Ref": ref, "Received": uk(received), "Stage": "1", "Team": team})
            escalated = weekday_on_or_before(received + timedelta(days=rng.randint(30, 70)))
            if rng.random() < 0.25 and escalated <= EXTRACT:
                rows.append({"Complaint Ref": ref + "-2", "Received": uk(escalated), "Stage": "2", "Team": team})
        day = add_months(day, 1)
    return sorted(rows, key=lambda r: (parse_uk(r["Received"]), r["Complaint Ref"]))


# --- output ----------------------------------------------------------------------------------------
def write_csv(path, headers, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=headers, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def population_rows():
    """ONS mid-2024 single-year estimates; without the ONS file, the committed copy is kept as it is."""
    if ONS_FILE.exists():
        with open(ONS_FILE, encoding="utf-8-sig") as f:
            row = next(r for r in csv.DictReader(f) if r["area_code"] == LA_CODE and r["mid_year"] == "2024")
        return [{"Area": LA_NAME, "Age": a, "Population": row[f"age_{a}"]} for a in range(25)]
    with open(DATA / "population.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    rng = random.Random(SEED)
    people = People(rng)
    assessments, issued = generate_assessments(rng, people)
    plans = generate_plans(rng, people, issued)
    defects = inject_defects(rng, assessments, plans)
    add_plan_details(random.Random(SEED + 1), plans)
    staff = [{"Officer": n, "Team": t, "Role": r, "FTE": f"{fte:.1f}"} for n, t, r, fte in STAFF]
    population = population_rows()
    DATA.mkdir(parents=True, exist_ok=True)
    write_csv(DATA / "assessments.csv", ASSESSMENT_HEADERS, assessments)
    write_csv(DATA / "plans.csv", PLAN_HEADERS + PLAN_DETAIL_HEADERS, plans)
    write_csv(DATA / "staff.csv", ["Officer", "Team", "Role", "FTE"], staff)
    write_csv(DATA / "population.csv", ["Area", "Age", "Population"], population)
    write_csv(DATA / "complaints.csv", ["Complaint Ref", "Received", "Stage", "Team"],
              generate_complaints(random.Random(SEED + 2)))

    import expected  # computed from the files just written, not from the generator's state

    result = expected.compute(DATA, EXTRACT, defects, PUBLISHED)
    (HERE / "expected.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    cal = result["calibration"]
    for k, v in cal.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
