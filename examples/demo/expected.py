"""Values of the demo data known by construction, computed from the CSV files as written.

Used by generate.py to write expected.json. Every value sits next to its definition, phrased with
the standard pack's field names (request_date, final_plan_date, exception, ...) and kpiwatch's
semantics: periods include both ends, blanks and "N/A" are null, a comparison with null is false,
and counts are over rows as they stand in the file (the duplicated row counts twice where in scope).
"""

import csv
from collections import Counter
from datetime import date, timedelta

ASSESSMENT_FIELDS = {
    "Case Ref": "case_id", "Child ID": "child_id", "Team": "team", "Case Officer": "caseworker",
    "Request Received": "request_date", "Decision Date": "decision_date", "Decision": "decision",
    "EP Advice Requested": "ep_advice_requested", "EP Advice Received": "ep_advice_received",
    "Health Advice Requested": "health_advice_requested", "Health Advice Received": "health_advice_received",
    "Social Care Advice Requested": "social_care_advice_requested",
    "Social Care Advice Received": "social_care_advice_received", "Draft Plan Issued": "draft_plan_date",
    "Final EHCP Issued": "final_plan_date", "Outcome": "outcome", "Date Closed": "closed_date",
    "Exception Reason": "exception",
}
PLAN_FIELDS = {
    "Plan Ref": "plan_id", "Child ID": "child_id", "Date of Birth": "date_of_birth", "Team": "team",
    "Case Officer": "caseworker", "Plan Start": "start_date", "Last Review Meeting": "last_review_date",
    "Review Decision Date": "review_decision_date", "Next Review Due": "next_review_due",
    "Date Ceased": "ceased_date", "Setting": "setting", "Cease Reason": "ceased_reason",
    "Amendment Notice Sent": "amendment_notice_date", "Amended Plan Issued": "amended_plan_date",
    "Interim Review": "interim_review_date", "Next Phase Transfer": "transfer_date",
    "Transfer To Post-16": "transfer_to_post16", "Transfer Plan Amended": "transfer_amended_date",
}
DATE_FIELDS = {
    "request_date", "decision_date", "ep_advice_requested", "ep_advice_received", "health_advice_requested",
    "health_advice_received", "social_care_advice_requested", "social_care_advice_received", "draft_plan_date",
    "final_plan_date", "closed_date", "date_of_birth", "start_date", "last_review_date", "review_decision_date",
    "next_review_due", "ceased_date", "amendment_notice_date", "amended_plan_date", "interim_review_date",
    "transfer_date", "transfer_amended_date",
}
NULLS = {"", "N/A", "n/a", "-"}
# The 20-week exceptions the law allows (SEND Regulations 2014 reg. 13(3), pointing to reg. 10(4)(a)-(d)), as the
# demo's export codes them, and SEN2's week20 = 1. Anything else recorded as a reason does not take a plan out.
ALLOWED_EXCEPTIONS = {"setting_closed_4_weeks", "personal_circumstances", "away_from_area_4_weeks", "1"}
NO_EXCEPTION = {"0", "n", "no", "none", "false"}
CONVENTIONS = (
    "Field names are the standard pack's (README.md maps each to its column). Periods include both ends; "
    "blank cells and N/A are null; a comparison with null is false; counts are over rows as they stand in "
    "the files, so the duplicated assessments row counts twice where it is in scope (it is a 2023 refusal, "
    "outside every dated window below). days_between(a, b) = b - a in days; weeks_between = whole weeks. "
    "Percent values are 100 * numerator / denominator rounded to 4 decimals. In by-team maps the key "
    "\"null\" is the row whose Team cell is blank."
)


def load(path, fields):
    out = []
    with open(path, encoding="utf-8") as f:
        for raw in csv.DictReader(f):
            row = {}
            for column, name in fields.items():
                v = raw[column].strip()
                if v in NULLS:
                    row[name] = None
                elif name in DATE_FIELDS:
                    row[name] = date(int(v[6:]), int(v[3:5]), int(v[:2]))
                else:
                    row[name] = v
            out.append(row)
    return out


def days(a, b):
    return None if a is None or b is None else (b - a).days


def add_months(d, n):
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)).day
    return date(y, m, min(d.day, last))


def age_on(dob, day):
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def month_end(d):
    return add_months(date(d.year, d.month, 1), 1) - timedelta(days=1)


def pct(a, b):
    return None if b == 0 else round(100 * a / b, 4)


def within(d, lo, hi):
    return d is not None and lo <= d <= hi


def team_key(r):
    return "null" if r["team"] is None else r["team"]


def by_team(rows, groups=None):
    """Counts per team; `groups` lists the teams of the denominator, so a group may count 0."""
    c = Counter(team_key(r) for r in rows)
    keys = sorted(set(c) | {team_key(r) for r in groups or []})
    return {k: c[k] for k in keys}


def breach_probabilities(a, as_of, deadline=140, window_months=36, min_sample=30):
    """rules/send/forecasts.yaml's time_to_plan, computed here without kpiwatch (docs/forecasts.md): for each
    open case outside the exceptions, P(still open on day 140 | open at its age, stage, team), a landmark
    Kaplan-Meier estimate over the cases seen as they stood on as_of, with the same fallbacks."""
    stage_fields = ["decision_date", "ep_advice_received", "draft_plan_date"]
    earliest = add_months(as_of, -window_months)
    seen = []  # (case_id, start, days, stopped, stages known by as_of, team)
    for r in a:
        s = r["request_date"]
        if r["exception"] is not None or s is None or s > as_of:
            continue
        stops = [d for d in (r["final_plan_date"], r["closed_date"]) if d is not None and d <= as_of]
        stop = min(stops) if stops else None
        stages = [r[f] if r[f] is not None and r[f] <= as_of else None for f in stage_fields]
        seen.append((r["case_id"], s, days(s, stop if stop else as_of), stop is not None, stages, r["team"]))

    def stage_at(item, age):
        cutoff = item[1] + timedelta(days=age)
        best = None
        for i, d in enumerate(item[4]):
            if d is not None and d <= cutoff and (best is None or d >= best[0]):
                best = (d, i)
        return None if best is None else best[1]

    history = [h for h in seen if h[1] > earliest]
    grouped = any(h[5] is not None for h in history)
    ANY = object()

    def still_running(subset, age):
        product = 1.0
        for day in sorted({h[2] for h in subset if h[3] and age < h[2] <= deadline}):
            at_risk = sum(h[2] >= day for h in subset)
            stops = sum(h[3] and h[2] == day for h in subset)
            product *= 1 - stops / at_risk
        return product

    out = {}
    for item in seen:
        if item[3]:
            continue
        age = item[2]
        if age >= deadline:
            out[item[0]] = 1.0
            continue
        stage = stage_at(item, age)
        levels = ([(stage, item[5])] if grouped else []) + [(stage, ANY), (ANY, ANY)]
        chosen = None
        for want_stage, want_team in levels:
            subset = [h for h in history if h[2] > age and (want_stage is ANY or stage_at(h, age) == want_stage)
                      and (want_team is ANY or h[5] == want_team)]
            chosen = subset
            if len(subset) >= min_sample and reaches(subset, deadline):
                break
        # A curve whose cases were never seen as far as the deadline (and did not all stop) says nothing there.
        out[item[0]] = still_running(chosen, age) if chosen and reaches(chosen, deadline) else None
    return out


def reaches(subset, deadline):
    """Whether a Kaplan-Meier curve over these (case, start, days, stopped, ...) is defined at the deadline: some
    case was seen that long, or every case seen longest stopped then (the curve falls to 0)."""
    longest = max(h[2] for h in subset)
    return longest >= deadline or all(h[3] for h in subset if h[2] == longest)


def compute(data, as_of, defects, published):
    a = load(data / "assessments.csv", ASSESSMENT_FIELDS)
    p = load(data / "plans.csv", PLAN_FIELDS)
    with open(data / "staff.csv", encoding="utf-8") as f:
        staff = list(csv.DictReader(f))
    with open(data / "population.csv", encoding="utf-8") as f:
        population = sum(int(r["Population"]) for r in csv.DictReader(f))

    out = {}

    def put(key, value, definition):
        out[key] = {"value": value, "definition": definition}

    def excepted(r):
        return r["exception"] is not None and r["exception"].strip().lower() in ALLOWED_EXCEPTIONS

    issued_ex = [r for r in a if r["final_plan_date"] is not None and not excepted(r)]

    def on_time(r):
        return days(r["request_date"], r["final_plan_date"]) <= 140

    def issued_between(lo, hi):
        rows = [r for r in issued_ex if within(r["final_plan_date"], lo, hi)]
        return rows, [r for r in rows if on_time(r)]

    issued_def = ("assessments rows with final_plan_date in {span} and no allowed exception (exception null or, "
                  "lower-cased and trimmed, not one of " + ", ".join(sorted(ALLOWED_EXCEPTIONS)) + ")")
    within_def = issued_def + ", of which days_between(request_date, final_plan_date) <= 140"

    # --- 20-week timeliness: per month, year to date, rolling 12 months, calendar 2025 -----------
    first = date(2025, 11, 1)
    for i in range(12):
        lo = add_months(first, i)
        hi = month_end(lo)
        rows, ok = issued_between(lo, hi)
        tag = f"{lo.year}_{lo.month:02d}"
        span = f"{lo.isoformat()}..{hi.isoformat()}"
        put(f"plans_issued_{tag}", len(rows), issued_def.format(span=span))
        put(f"plans_issued_{tag}_within_20w", len(ok), within_def.format(span=span))
        put(f"timeliness_20w_{tag}", pct(len(ok), len(rows)),
            f"100 * plans_issued_{tag}_within_20w / plans_issued_{tag} (period: month {lo.year}-{lo.month:02d})")
    windows = [
        ("ytd_2026", date(2026, 1, 1), as_of, "year_to_date with year_start 01-01"),
        ("rolling_12m", date(2025, 11, 1), as_of, "rolling_12_months"),
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "calendar year 2025 (period: year, label 2025)"),
    ]
    for tag, lo, hi, period in windows:
        rows, ok = issued_between(lo, hi)
        span = f"{lo.isoformat()}..{hi.isoformat()}"
        put(f"plans_issued_{tag}", len(rows), issued_def.format(span=span) + f"; period {period}")
        put(f"plans_issued_{tag}_within_20w", len(ok), within_def.format(span=span))
        put(f"timeliness_20w_{tag}", pct(len(ok), len(rows)),
            f"100 * plans_issued_{tag}_within_20w / plans_issued_{tag}")
        if tag == "rolling_12m":
            put("plans_issued_rolling_12m_by_team", by_team(rows),
                "plans_issued_rolling_12m grouped by team (key \"null\" = blank team)")
            put("plans_issued_rolling_12m_within_20w_by_team", by_team(ok, rows),
                "plans_issued_rolling_12m_within_20w grouped by team (key \"null\" = blank team)")
    cur, cur_ok = issued_between(date(2026, 10, 1), as_of)
    put("plans_issued_2026_10_by_team", by_team(cur), "plans_issued_2026_10 grouped by team")
    put("plans_issued_2026_10_within_20w_by_team", by_team(cur_ok, cur),
        "plans_issued_2026_10_within_20w grouped by team")
    exc = [r for r in a if r["final_plan_date"] is not None and excepted(r)
           and within(r["final_plan_date"], date(2025, 11, 1), as_of)]
    put("exception_plans_issued_rolling_12m", len(exc),
        "assessments rows with final_plan_date in 2025-11-01..2026-10-31 and an allowed exception "
        "(excluded from every timeliness value above)")
    bad = [r for r in a if r["final_plan_date"] is not None and within(r["final_plan_date"], date(2025, 11, 1), as_of)
           and r["exception"] is not None and r["exception"].strip().lower() not in ALLOWED_EXCEPTIONS | NO_EXCEPTION]
    put("exception_reason_not_allowed_rolling_12m", len(bad),
        "assessments rows with final_plan_date in 2025-11-01..2026-10-31 whose exception is recorded but is neither an "
        "allowed exception nor a 'no exception' value (" + ", ".join(sorted(NO_EXCEPTION)) + "): counted in timeliness")
    put("exception_reasons_rolling_12m", dict(sorted(Counter(r["exception"] for r in a if r["final_plan_date"] is not None
        and r["exception"] is not None and within(r["final_plan_date"], date(2025, 11, 1), as_of)).items())),
        "exception values of the plans issued in 2025-11-01..2026-10-31")

    # Surrey's measure: cases whose day 140 fell in the month (not after as_of), the share issued by then; open cases
    # are late, cases closed without a plan and allowed exceptions are left out.
    due_by_month = {}
    for i in range(12):
        lo = add_months(date(2025, 11, 1), i)
        hi = min(month_end(lo), as_of)
        rows = [r for r in a if within(r["request_date"] + timedelta(days=140), lo, hi) and not excepted(r)
                and (r["final_plan_date"] is not None or r["closed_date"] is None or r["closed_date"] > as_of)]
        ok = [r for r in rows if r["final_plan_date"] is not None and r["final_plan_date"] <= as_of
              and days(r["request_date"], r["final_plan_date"]) <= 140]
        due_by_month[f"{lo.year}-{lo.month:02d}"] = [len(rows), len(ok)]
    put("plans_due_by_month", due_by_month,
        "month of add_days(request_date, 140) (2025-11..2026-10, up to as_of) -> [cases due, excluding allowed exceptions "
        "and cases closed without a plan; of those, final_plan_date <= as_of and within 140 days]")
    late = {}
    for i in range(12):
        lo = add_months(date(2025, 11, 1), i)
        rows = [r for r in a if within(r["final_plan_date"], lo, month_end(lo))]
        late[f"{lo.year}-{lo.month:02d}"] = [len(rows), sum(days(r["request_date"], r["final_plan_date"]) > 364 for r in rows)]
    put("plans_issued_after_52_weeks_by_month", late,
        "month of final_plan_date -> [plans issued (exceptions included), of which days_between(request_date, "
        "final_plan_date) > 364]")

    # --- open assessments ----------------------------------------------------------------------
    open_rows = [r for r in a if r["final_plan_date"] is None and r["closed_date"] is None
                 and r["request_date"] <= as_of]
    open_def = "final_plan_date is null and closed_date is null and request_date <= as_of"
    assert all(r["outcome"] == "Open" for r in open_rows)
    assert sum(r["outcome"] == "Open" for r in a) == len(open_rows)
    put("open_assessments", len(open_rows), f"assessments rows with {open_def} (the same rows as outcome == \"Open\")")
    age = lambda r: days(r["request_date"], as_of)  # noqa: E731
    put("open_within_20w", sum(age(r) <= 140 for r in open_rows),
        f"{open_def} and days_between(request_date, as_of) <= 140")
    for weeks, limit in ((20, 140), (30, 210), (52, 364)):
        put(f"open_past_{weeks}w", sum(age(r) > limit for r in open_rows),
            f"{open_def} and days_between(request_date, as_of) > {limit}")
    put("open_assessments_by_team", by_team(open_rows), "open_assessments grouped by team")
    wk = lambda r: age(r) // 7  # noqa: E731
    put("at_risk_ep_outstanding_week_12",
        sorted(r["case_id"] for r in open_rows if r["ep_advice_received"] is None and wk(r) >= 12),
        f"case_ids with {open_def} and ep_advice_received is null and weeks_between(request_date, as_of) >= 12 "
        "(whole weeks)")
    put("at_risk_no_draft_week_16",
        sorted(r["case_id"] for r in open_rows if r["draft_plan_date"] is None and wk(r) >= 16),
        f"case_ids with {open_def} and draft_plan_date is null and weeks_between(request_date, as_of) >= 16")
    put("open_past_52w_cases", sorted(r["case_id"] for r in open_rows if age(r) > 364),
        "the case_ids behind open_past_52w")
    no_officer = {"unallocated", "unknown", "tbc", "n/a", "none"}
    put("open_past_20w_without_draft_or_officer",
        sum(age(r) > 140 and (r["draft_plan_date"] is None or r["caseworker"] is None
                              or r["caseworker"].strip().lower() in no_officer) for r in open_rows),
        f"{open_def} and days_between(request_date, as_of) > 140 and (draft_plan_date is null or caseworker is null or "
        "lower(trim(caseworker)) in unallocated/unknown/tbc/n/a/none)")

    # Case alerts: which cases each rule matches on the day, and the one line each case shows once the less
    # urgent rules are held back (urgency, most first, as the pack orders them).
    def still_open(r):
        return ((r["final_plan_date"] is None or r["final_plan_date"] > as_of)
                and (r["closed_date"] is None or r["closed_date"] > as_of))

    def advice_overdue(r, name):
        req, rec = r[f"{name}_advice_requested"], r[f"{name}_advice_received"]
        return req is not None and rec is None and still_open(r) and days(req, as_of) > 42

    # The forecast's probabilities (rules/send/forecasts.yaml), for its case alert and KPI.
    breach = breach_probabilities(a, as_of)
    put("breach_probability_time_to_plan", {k: breach[k] for k in sorted(breach)},
        "open case_id (exception is null) -> P(still open on day 140 | its age, stage and team): landmark "
        "Kaplan-Meier over the cases as they stood on as_of, training_window 36 months, min_sample 30 "
        "(docs/forecasts.md)")
    put("expected_breaches_next_4_weeks",
        sum(breach[r["case_id"]] for r in a if r["case_id"] in breach and still_open(r) and r["exception"] is None
            and 112 < age(r) <= 140 and breach[r["case_id"]] is not None),
        "sum of breach_probability_time_to_plan over open cases with 112 < days_between(request_date, as_of) <= 140")
    case_rules = [
        ("assessment_past_52_weeks", lambda r: still_open(r) and age(r) > 364),
        ("assessment_past_30_weeks", lambda r: still_open(r) and 210 < age(r) <= 364),
        ("assessment_past_20_weeks", lambda r: still_open(r) and 140 < age(r) <= 210),
        ("no_draft_plan_week_16",
         lambda r: still_open(r) and r["draft_plan_date"] is None and age(r) // 7 >= 16 and age(r) <= 140),
        ("likely_to_breach_20_weeks",
         lambda r: still_open(r) and (breach.get(r["case_id"]) or 0) >= 0.7 and age(r) <= 112),
        ("ep_advice_outstanding_week_12",
         lambda r: still_open(r) and r["decision_date"] is not None and r["ep_advice_received"] is None
         and age(r) // 7 >= 12 and age(r) <= 140),
        ("ep_advice_overdue", lambda r: advice_overdue(r, "ep")),
        ("health_advice_overdue", lambda r: advice_overdue(r, "health")),
        ("social_care_advice_overdue", lambda r: advice_overdue(r, "social_care")),
        ("decision_overdue_week_6",
         lambda r: (r["decision_date"] is None or r["decision_date"] > as_of) and still_open(r) and age(r) > 42),
    ]
    matches = {rule: sorted(r["case_id"] for r in a if test(r)) for rule, test in case_rules}
    put("case_alerts_by_rule", matches,
        "case_ids each case alert of cases_at_risk.yaml matches on as_of (conditions as in the rule file)")
    most_urgent = {}
    for rule, _ in case_rules:
        for case in matches[rule]:
            most_urgent.setdefault(case, rule)
    put("case_alert_lines", sum(len(v) for v in matches.values()), "total case alerts before inhibition")
    put("case_alert_most_urgent", dict(sorted(most_urgent.items())),
        "case_id -> the most urgent rule it matches (the one line shown once less urgent rules are inhibited)")

    # --- requests -------------------------------------------------------------------------------
    def requests(lo, hi):
        return sum(within(r["request_date"], lo, hi) for r in a)

    put("requests_last_12_months", requests(date(2025, 11, 1), as_of),
        "assessments rows with request_date in 2025-11-01..2026-10-31 (rolling_12_months, date: request_date)")
    put("requests_2025", requests(date(2025, 1, 1), date(2025, 12, 31)),
        "assessments rows with request_date in 2025-01-01..2025-12-31")
    put("requests_ytd_2026", requests(date(2026, 1, 1), as_of),
        "assessments rows with request_date in 2026-01-01..2026-10-31 (year_to_date)")
    put("requests_same_period_2025", requests(date(2025, 1, 1), date(2025, 10, 31)),
        "assessments rows with request_date in 2025-01-01..2025-10-31 (for growth vs last year)")
    put("requests_all", len(a), "every row of assessments.csv (all, including the duplicated row)")
    monthly = {}
    for i in range(24):
        lo = add_months(date(2024, 11, 1), i)
        monthly[f"{lo.year}-{lo.month:02d}"] = requests(lo, month_end(lo))
    put("requests_by_month", monthly, "assessments rows by month of request_date, 2024-11..2026-10 (period: month)")
    decided = [r for r in a if within(r["decision_date"], date(2025, 11, 1), as_of)]
    put("decisions_last_12_months", len(decided), "rows with decision_date in 2025-11-01..2026-10-31")
    put("decisions_within_6w_last_12_months", sum(days(r["request_date"], r["decision_date"]) <= 42 for r in decided),
        "of decisions_last_12_months, days_between(request_date, decision_date) <= 42")
    put("refused_last_12_months", sum(r["decision"] == "Refuse" for r in decided),
        "of decisions_last_12_months, decision == \"Refuse\"")

    # --- advice timeliness -----------------------------------------------------------------------
    for name in ("ep", "health", "social_care"):
        req, rec = f"{name}_advice_requested", f"{name}_advice_received"
        rows = [r for r in a if within(r[rec], date(2025, 11, 1), as_of) and r[req] is not None]
        put(f"{name}_advice_received_last_12_months", len(rows),
            f"rows with {rec} in 2025-11-01..2026-10-31 and {req} is not null (N/A is null)")
        put(f"{name}_advice_within_6w_last_12_months", sum(days(r[req], r[rec]) <= 42 for r in rows),
            f"of those, days_between({req}, {rec}) <= 42")
    rows = [r for r in a if within(r["final_plan_date"], date(2025, 11, 1), as_of) and r["ep_advice_received"]]
    put("plans_with_ep_advice_rolling_12m", len(rows),
        "rows with final_plan_date in 2025-11-01..2026-10-31 and ep_advice_received is not null (exceptions included)")
    put("plans_within_8w_of_ep_advice_rolling_12m",
        sum(days(r["ep_advice_received"], r["final_plan_date"]) <= 56 for r in rows),
        "of those, days_between(ep_advice_received, final_plan_date) <= 56")

    # Devon's Table 3: EP advice received in a month, and of it the cases whose final plan followed within 56 days;
    # cases closed without a plan are left out, open ones count as not (yet) within 8 weeks.
    by_month = {}
    for i in range(12):
        lo = add_months(date(2025, 11, 1), i)
        hi = month_end(lo)
        rows = [r for r in a if within(r["ep_advice_received"], lo, hi)
                and (r["final_plan_date"] is not None or r["closed_date"] is None or r["closed_date"] > as_of)]
        ok = [r for r in rows if r["final_plan_date"] is not None and r["final_plan_date"] <= as_of
              and days(r["ep_advice_received"], r["final_plan_date"]) <= 56]
        by_month[f"{lo.year}-{lo.month:02d}"] = [len(rows), len(ok)]
    put("ep_advice_followed_by_plan_within_8w_by_month", by_month,
        "month of ep_advice_received (2025-11..2026-10) -> [advice received, excluding cases with closed_date and no "
        "final_plan_date; of those, final_plan_date <= as_of and days_between(ep_advice_received, final_plan_date) <= 56]")

    # --- plans ----------------------------------------------------------------------------------
    def active(day):
        return [r for r in p if r["start_date"] <= day and (r["ceased_date"] is None or r["ceased_date"] > day)]

    act_def = "plans rows with start_date <= {d} and (ceased_date is null or ceased_date > {d})"
    now = active(as_of)
    put("active_plans", len(now), act_def.format(d="as_of (2026-10-31)"))
    for d in (date(2025, 10, 31), date(2025, 1, 16), date(2026, 1, 15)):
        put(f"active_plans_{d.isoformat().replace('-', '_')}", len(active(d)), act_def.format(d=d.isoformat()))
    put("active_plans_growth_census_pct",
        pct(len(active(date(2026, 1, 15))) - len(active(date(2025, 1, 16))), len(active(date(2025, 1, 16)))),
        "100 * (active_plans_2026_01_15 - active_plans_2025_01_16) / active_plans_2025_01_16 (SEN2 census days)")
    put("active_plans_by_team", by_team(now), "active_plans grouped by team")
    put("plans_started_last_12_months", sum(within(r["start_date"], date(2025, 11, 1), as_of) for r in p),
        "plans rows with start_date in 2025-11-01..2026-10-31")
    put("plans_ceased_last_12_months", sum(within(r["ceased_date"], date(2025, 11, 1), as_of) for r in p),
        "plans rows with ceased_date in 2025-11-01..2026-10-31")
    put("plans_rows", len(p), "every row of plans.csv (active and ceased since 2023-11-01)")

    # --- annual reviews -------------------------------------------------------------------------
    base = "active plans (active_plans definition) with"
    put("reviews_overdue", sum(r["next_review_due"] is not None and r["next_review_due"] < as_of for r in now),
        f"{base} next_review_due is not null and next_review_due < as_of")
    put("reviews_overdue_by_more_than_12_months",
        sum(r["next_review_due"] is not None and add_months(r["next_review_due"], 12) < as_of for r in now),
        f"{base} add_months(next_review_due, 12) < as_of")

    def overdue_by_last_review(r):
        months = 6 if age_on(r["date_of_birth"], as_of) < 5 else 12
        return add_months(r["last_review_date"] or r["start_date"], months) < as_of

    put("reviews_overdue_by_last_review", sum(overdue_by_last_review(r) for r in now),
        f"{base} add_months(coalesce(last_review_date, start_date), 6 if age(date_of_birth, as_of) < 5 else 12) "
        "< as_of (the seeds' wording: no review in 12 months, 6 for under-5s; ignores next_review_due)")
    put("review_decisions_over_4_weeks",
        sum(r["review_decision_date"] is not None and days(r["last_review_date"], r["review_decision_date"]) > 28
            for r in now),
        f"{base} review_decision_date is not null and days_between(last_review_date, review_decision_date) > 28")
    pending = [r for r in now if r["last_review_date"] is not None and r["review_decision_date"] is None]
    put("review_decisions_pending", len(pending),
        f"{base} last_review_date is not null and review_decision_date is null")
    put("review_decisions_pending_over_4_weeks", sum(days(r["last_review_date"], as_of) > 28 for r in pending),
        "of review_decisions_pending, days_between(last_review_date, as_of) > 28")

    # The statutory duty (CFA s.44(1)): a review in the period of 12 months starting with the plan's start, then
    # with the last review. That period ends the day before add_months(D, 12), so the review is overdue from
    # add_months(D, 12). Every age: the Code's 3-6-monthly reviews for under-5s are guidance, counted apart.
    def review_base(r):
        return r["last_review_date"] or r["start_date"]

    put("reviews_overdue_statutory", sum(add_months(review_base(r), 12) <= as_of for r in now),
        f"{base} add_months(coalesce(last_review_date, start_date), 12) <= as_of (CFA s.44(1), every age)")
    put("reviews_overdue_statutory_by_team",
        by_team([r for r in now if add_months(review_base(r), 12) <= as_of]),
        "reviews_overdue_statutory grouped by team")
    put("reviews_overdue_24_months", sum(add_months(review_base(r), 24) <= as_of for r in now),
        f"{base} add_months(coalesce(last_review_date, start_date), 24) <= as_of (overdue for 12 months or more)")
    put("reviews_under_5_no_review_6_months",
        sum(age_on(r["date_of_birth"], as_of) < 5 and add_months(review_base(r), 6) <= as_of for r in now),
        f"{base} age(date_of_birth, as_of) < 5 and add_months(coalesce(last_review_date, start_date), 6) <= as_of "
        "(Code of Practice 9.178 guidance, not statutory)")

    def becomes_overdue(r):
        return add_months(review_base(r), 12)

    put("reviews_due_next_4_weeks", sum(as_of < becomes_overdue(r) <= as_of + timedelta(days=28) for r in now),
        f"{base} as_of < add_months(coalesce(last_review_date, start_date), 12) <= as_of + 28 days")
    term_end = date(as_of.year, 3 if as_of.month <= 3 else 7 if as_of.month <= 7 else 12,
                    31)
    put("reviews_due_this_term",
        sum(becomes_overdue(r) > as_of and becomes_overdue(r) - timedelta(days=1) <= term_end for r in now),
        f"{base} not yet overdue and whose last day (the day before add_months(base, 12)) is on or before the term's "
        f"end, {term_end.isoformat()} (terms end 31 March, 31 July, 31 December)")

    def undecided(r):
        d = r["review_decision_date"]
        return d is None or d > as_of or d < r["last_review_date"]

    put("review_decisions_undecided_over_4_weeks",
        sum(r["last_review_date"] is not None and days(r["last_review_date"], as_of) > 28 and undecided(r)
            for r in now),
        f"{base} last_review_date is not null and days_between(last_review_date, as_of) > 28 and (review_decision_date "
        "is null or after as_of or before last_review_date: a decision before the meeting answers the previous review)")

    # --- what rules/send_extra reads (columns some exports carry) ---------------------------------
    months12 = [add_months(date(2025, 11, 1), i) for i in range(12)]

    def tag(d):
        return f"{d.year}-{d.month:02d}"

    outcomes = {}
    for lo in months12:
        c = Counter(r["outcome"] for r in a if within(r["request_date"], lo, month_end(lo)))
        outcomes[tag(lo)] = dict(sorted(c.items()))
    put("requests_by_outcome_by_month", outcomes, "month of request_date -> rows by outcome (Walsall's table)")
    not_issued = {}
    for lo in months12:
        rows = [r for r in a if r["outcome"] is not None and r["outcome"].strip().lower() == "not issued"
                and within(r["closed_date"], lo, month_end(lo))]
        not_issued[tag(lo)] = [len(rows), sum(days(r["request_date"], r["closed_date"]) <= 112 for r in rows)]
    put("not_issued_within_16w_by_month", not_issued,
        "month of closed_date -> [outcome \"Not issued\", of which days_between(request_date, closed_date) <= 112]")
    put("active_plans_no_named_setting", sum(r["setting"] is None for r in now),
        f"{base} setting is null (N/A in the export)")
    put("plans_ceased_by_reason_12m",
        dict(sorted(Counter(r["ceased_reason"] for r in p if within(r["ceased_date"], date(2025, 11, 1), as_of)).items())),
        "plans rows with ceased_date in 2025-11-01..2026-10-31, by ceased_reason")
    amended = {}
    for lo in months12:
        rows = [r for r in p if within(r["amended_plan_date"], lo, month_end(lo)) and r["amendment_notice_date"] is not None
                and r["amended_plan_date"] >= r["amendment_notice_date"]]
        amended[tag(lo)] = [len(rows), sum(days(r["amendment_notice_date"], r["amended_plan_date"]) <= 56 for r in rows)]
    put("amended_plans_within_8w_by_month", amended,
        "month of amended_plan_date -> [amended plans, of which within 56 days of amendment_notice_date] (reg. 22(3))")
    put("amendments_outstanding_past_8w",
        sum(r["amendment_notice_date"] is not None and days(r["amendment_notice_date"], as_of) > 56
            and (r["amended_plan_date"] is None or r["amended_plan_date"] > as_of
                 or r["amended_plan_date"] < r["amendment_notice_date"]) for r in now),
        f"{base} amendment_notice_date more than 56 days before as_of and no amended plan since")
    put("interim_reviews_by_month",
        {tag(lo): sum(within(r["interim_review_date"], lo, month_end(lo)) for r in p) for lo in months12},
        "plans rows by month of interim_review_date")

    def transfer_deadline(r):
        post16 = (r["transfer_to_post16"] or "").strip().lower() in {"yes", "y", "true", "1"}
        return date(r["transfer_date"].year, 3, 31) if post16 else date(r["transfer_date"].year, 2, 15)

    transfers = [r for r in now if r["transfer_date"] is not None]
    put("phase_transfers_late",
        sum(r["transfer_date"].year == as_of.year and as_of >= transfer_deadline(r)
            and (r["transfer_amended_date"] is None or r["transfer_amended_date"] >= transfer_deadline(r))
            for r in transfers),
        f"{base} a transfer_date in as_of's year whose deadline (15 February, 31 March into post-16) is on or before "
        "as_of, and no transfer_amended_date before the deadline (reg. 18)")
    put("phase_transfers_to_amend",
        sum((r["transfer_amended_date"] is None or r["transfer_amended_date"] > as_of) and as_of < transfer_deadline(r) for r in transfers),
        f"{base} a transfer_date whose deadline is after as_of and no transfer_amended_date")

    with open(data / "complaints.csv", encoding="utf-8") as f:
        complaints = list(csv.DictReader(f))
    by_year = {}
    for c in complaints:
        year = c["Received"][6:]
        by_year.setdefault(year, Counter())[c["Stage"]] += 1
    put("complaints_by_year_and_stage", {y: dict(sorted(c.items())) for y, c in sorted(by_year.items())},
        "complaints.csv rows by year of Received and Stage")

    # --- caseloads ------------------------------------------------------------------------------
    fte = {s["Officer"]: float(s["FTE"]) for s in staff}
    open_by = Counter(r["caseworker"] for r in open_rows)
    plans_by = Counter(r["caseworker"] for r in now)
    put("assessment_caseload_by_officer", dict(sorted(open_by.items())),
        "open_assessments grouped by caseworker")
    put("review_caseload_by_officer", dict(sorted(plans_by.items())), "active_plans grouped by caseworker")
    put("review_caseload_per_fte_by_officer", {k: round(v / fte[k], 2) for k, v in sorted(plans_by.items())},
        "active_plans per caseworker / that officer's fte in staff.csv")
    put("assessment_caseload_per_fte_by_officer",
        {k: round(v / fte[k], 2) for k, v in sorted(open_by.items()) if k in fte},
        "open_assessments per caseworker / fte (officers in staff.csv only)")

    # --- data quality -------------------------------------------------------------------------
    put("dq_plans_missing_next_review_due", sum(r["next_review_due"] is None for r in now),
        "active plans with next_review_due is null (also the count over all plans rows)")
    assert sum(r["next_review_due"] is None for r in p) == out["dq_plans_missing_next_review_due"]["value"]
    put("dq_final_before_request",
        sum(r["final_plan_date"] is not None and r["final_plan_date"] < r["request_date"] for r in a),
        f"assessments rows with final_plan_date < request_date (case {defects['typo']})")
    put("dq_unknown_team", sum(r["team"] is None or r["team"] == "Unknown" for r in a),
        f"assessments rows with team is null or team == \"Unknown\" (cases {defects['unknown']}, {defects['blank']})")
    ids = Counter(r["case_id"] for r in a)
    put("dq_duplicate_case_ids", sum(n > 1 for n in ids.values()),
        f"distinct case_id values on more than one assessments row "
        f"(case {defects['duplicate']}, an exact duplicate row)")
    put("dq_duplicate_case_rows", sum(n for n in ids.values() if n > 1), "assessments rows whose case_id repeats")
    known = set(fte)
    missing = sorted({r["caseworker"] for r in a + p} - known)
    put("dq_caseworkers_not_in_staff", len(missing), f"distinct caseworker values not in staff.csv: {missing}")
    put("dq_dates_after_as_of",
        sum(isinstance(v, date) and v > as_of for r in a + p for k, v in r.items()
            if k not in ("next_review_due", "transfer_date")),
        "date cells later than as_of in assessments.csv and plans.csv, other than next_review_due and transfer_date "
        "(planned dates)")

    # --- population and rates -------------------------------------------------------------------
    put("population_0_24", population, "sum of Population over population.csv (ages 0-24, ONS mid-2024)")
    put("request_rate_0_24_pct", pct(out["requests_last_12_months"]["value"], population),
        "100 * requests_last_12_months / population_0_24")

    demo = {
        "requests_2025": out["requests_2025"]["value"],
        "requests_last_12_months": out["requests_last_12_months"]["value"],
        "active_plans_2025_01_16": out["active_plans_2025_01_16"]["value"],
        "active_plans_2026_01_15": out["active_plans_2026_01_15"]["value"],
        "timeliness_20w_2025": out["timeliness_20w_2025"]["value"],
        "timeliness_20w_rolling_12m": out["timeliness_20w_rolling_12m"]["value"],
    }
    calibration = {
        "la": "North Somerset (E06000024, DfE 802)",
        "published": published,
        "demo": demo,
        "pairs": {
            "requests_2025 vs requests_received_2024": [demo["requests_2025"], published["requests_received_2024"]],
            "requests_last_12_months vs requests_received_2024":
                [demo["requests_last_12_months"], published["requests_received_2024"]],
            "active_plans_2025_01_16 vs plans_at_january_2024":
                [demo["active_plans_2025_01_16"], published["plans_at_january_2024"]],
            "active_plans_2026_01_15 vs plans_at_january_2025":
                [demo["active_plans_2026_01_15"], published["plans_at_january_2025"]],
            "timeliness_20w_2025 vs timeliness_20w_ex_2024":
                [demo["timeliness_20w_2025"], published["timeliness_20w_ex_2024"]],
            "timeliness_20w_rolling_12m vs timeliness_20w_ex_2024":
                [demo["timeliness_20w_rolling_12m"], published["timeliness_20w_ex_2024"]],
        },
    }
    return {
        "as_of": as_of.isoformat(),
        "conventions": CONVENTIONS,
        "calibration": calibration,
        "values": out,
    }
