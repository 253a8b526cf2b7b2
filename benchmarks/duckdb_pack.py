#!/usr/bin/env python3
"""The national pack (benchmarks/national/rules/national.yaml) written as SQL for DuckDB.

Reads the same CSVs as `kpiwatch check --config benchmarks/national/kpiwatch.yaml` and prints the same
figures in kpiwatch's `--format json` shape (one object per KPI value and per case alert; only the fields
that carry figures: id, period, group, value, count; rule and key for alerts), so that run.py can compare
them one by one.

The periods are kpiwatch's (docs/rules.md, "Periods"; Sources/KPIWatchEngine/Evaluation/PeriodCalendar.swift):
`history: N` shows N periods ending with the current one and computes one more before them, whose records
still make a group appear; a record counts in a period when its date lies between the period's first and
last day and not after the run's as-of date; a snapshot re-evaluates `where` with as_of = the snapshot day
(the run's as-of date, then the ends of the months before it). Runs in benchmarks/.venv (run.py makes it):
DuckDB is the benchmark's dependency, never kpiwatch's.
"""

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
NULLS = "('', 'N/A', 'n/a', '-')"
# benchmark.twenty_week_exception_codes in rules/targets.yaml.
EXCEPTION_CODES = "('setting_closed_4_weeks', 'personal_circumstances', 'away_from_area_4_weeks', '1')"
NOT_EXCEPTION = f"(exception IS NULL OR lower(trim(exception)) NOT IN {EXCEPTION_CODES})"
OPEN_ON_AS_OF = ("request_date <= as_of AND (final_plan_date IS NULL OR final_plan_date > as_of) "
                 "AND (closed_date IS NULL OR closed_date > as_of)")
ACTIVE_ON_AS_OF = "start_date <= as_of AND (ceased_date IS NULL OR ceased_date > as_of)"

# One entry per KPI of the national pack: its table, where (as_of stands for the period's as-of date), date,
# period, history, cumulative, aggregate and its argument, and group fields.
KPIS = [
    dict(id="timeliness_20w", table="a", where=f"final_plan_date IS NOT NULL AND {NOT_EXCEPTION}",
         date="final_plan_date", period="month", history=12, agg="percent",
         arg="final_plan_date - request_date <= 140", group=["la", "team"]),
    dict(id="timeliness_20w_cumulative", table="a", where=f"final_plan_date IS NOT NULL AND {NOT_EXCEPTION}",
         date="final_plan_date", period="month", cumulative=True, history=12, agg="percent",
         arg="final_plan_date - request_date <= 140", group=["la"]),
    dict(id="timeliness_20w_ytd", table="a", where=f"final_plan_date IS NOT NULL AND {NOT_EXCEPTION}",
         date="final_plan_date", period="year_to_date", history=2, agg="percent",
         arg="final_plan_date - request_date <= 140", group=["la"]),
    dict(id="timeliness_20w_rolling_12m", table="a", where=f"final_plan_date IS NOT NULL AND {NOT_EXCEPTION}",
         date="final_plan_date", period="rolling_12_months", history=12, agg="percent",
         arg="final_plan_date - request_date <= 140", group=["la"]),
    dict(id="timeliness_20w_incl_exceptions", table="a", where="final_plan_date IS NOT NULL",
         date="final_plan_date", period="month", history=12, agg="percent",
         arg="final_plan_date - request_date <= 140", group=["la"]),
    dict(id="plans_issued", table="a", where="final_plan_date IS NOT NULL", date="final_plan_date",
         period="month", history=12, agg="count", group=["la"]),
    dict(id="decisions_within_6w", table="a", where="decision_date IS NOT NULL", date="decision_date",
         period="month", history=12, agg="percent", arg="decision_date - request_date <= 42", group=["la"]),
    dict(id="plans_due_on_time", table="a",
         where=f"(final_plan_date IS NOT NULL OR closed_date IS NULL OR closed_date > as_of) AND {NOT_EXCEPTION}",
         date="request_date + 140", period="month", history=12, agg="percent",
         arg="final_plan_date IS NOT NULL AND final_plan_date <= as_of AND final_plan_date - request_date <= 140",
         group=["la"]),
    dict(id="plans_issued_after_52_weeks", table="a", where="final_plan_date IS NOT NULL",
         date="final_plan_date", period="month", history=12, agg="percent",
         arg="final_plan_date - request_date > 364", group=["la"]),
    dict(id="requests_per_month", table="a", date="request_date", period="month", history=24, agg="count",
         group=["la"]),
    dict(id="requests_12m", table="a", date="request_date", period="rolling_12_months", history=1, agg="count",
         group=["la"]),
    dict(id="open_assessments", table="a", where=OPEN_ON_AS_OF, period="snapshot", history=12, agg="count",
         group=["la"]),
    dict(id="open_past_20w", table="a", where=f"{OPEN_ON_AS_OF} AND as_of - request_date > 140",
         period="snapshot", history=12, agg="count", group=["la"]),
    dict(id="open_assessment_age_median", table="a", where=OPEN_ON_AS_OF, period="snapshot", history=1,
         agg="median", arg="(as_of - request_date)::DOUBLE / 7", group=["la"]),
    dict(id="active_plans", table="p", where=ACTIVE_ON_AS_OF, period="snapshot", history=13, agg="count",
         group=["la"]),
    dict(id="reviews_overdue_share", table="p", where=ACTIVE_ON_AS_OF, period="snapshot", history=1,
         agg="percent", arg="(coalesce(last_review_date, start_date) + to_months(12))::DATE <= as_of",
         group=["la"]),
]
CASE_ALERT = dict(
    rule="assessment_past_52_weeks",
    where="(final_plan_date IS NULL OR final_plan_date > as_of) AND (closed_date IS NULL OR closed_date > as_of) "
          "AND as_of - request_date > 364")


def text(column):
    """A text cell as kpiwatch reads it: surrounding spaces trimmed, the project's null values null."""
    return f"CASE WHEN trim(\"{column}\") IN {NULLS} THEN NULL ELSE trim(\"{column}\") END"


def day(column):
    return f"strptime({text(column)}, '%d/%m/%Y')::DATE"


MACROS = """
    CREATE MACRO kw_rank(s) AS 0.5::DOUBLE * (len(s) - 1)::DOUBLE;
    CREATE MACRO kw_median(s) AS CASE WHEN len(s) = 0 THEN NULL ELSE
        s[floor(kw_rank(s))::BIGINT + 1]
        + (s[least(floor(kw_rank(s))::BIGINT + 2, len(s))] - s[floor(kw_rank(s))::BIGINT + 1])
          * (kw_rank(s) - floor(kw_rank(s))) END;
"""


def load(con, data):
    """The columns the pack reads, typed once (what a SQL analyst would load)."""
    con.execute(f"""
        CREATE TABLE a AS SELECT
            {text('Local Authority')} AS la, {text('Case Ref')} AS case_id, {text('Team')} AS team,
            {day('Request Received')} AS request_date, {day('Decision Date')} AS decision_date,
            {day('Final EHCP Issued')} AS final_plan_date, {day('Date Closed')} AS closed_date,
            {text('Exception Reason')} AS exception
        FROM read_csv('{data / "assessments.csv"}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')""")
    con.execute(f"""
        CREATE TABLE p AS SELECT
            {text('Local Authority')} AS la, {text('Team')} AS team, {day('Plan Start')} AS start_date,
            {day('Last Review Meeting')} AS last_review_date, {day('Date Ceased')} AS ceased_date
        FROM read_csv('{data / "plans.csv"}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')""")


def months_back(expr, n):
    return f"({expr} - to_months({n}::INTEGER))::DATE"


def periods_sql(kind, history, cumulative, as_of):
    """back (0 = current), label, first and last day and the as-of date of each period, as PeriodCalendar."""
    a = f"DATE '{as_of.isoformat()}'"
    month_end = f"({a} = last_day({a}))"
    first_of_month = f"date_trunc('month', {a})::DATE"
    # A window `back` months earlier ends on the same day of the month, or on the month's end from a month end.
    aligned = (f"CASE WHEN back = 0 THEN {a} WHEN {month_end} THEN last_day({months_back(first_of_month, 'back')}) "
               f"ELSE {months_back(a, 'back')} END")
    if kind == "month":
        first = months_back(first_of_month, "back")
        start = f"make_date(year({first}), 1, 1)" if cumulative else first
        cols = f"strftime({first}, '%Y-%m') AS label, {start} AS pstart, last_day({first}) AS pend, {a} AS as_of"
    elif kind == "rolling_12_months":
        first_of_end = "date_trunc('month', e)::DATE"
        start = f"CASE WHEN e = last_day(e) THEN {months_back(first_of_end, 11)} ELSE {months_back('e', 12)} + 1 END"
        return f"""SELECT back, '12 months to ' || strftime(e, '%Y-%m-%d') AS label, {start} AS pstart, e AS pend,
                          {a} AS as_of
                   FROM (SELECT back, {aligned} AS e FROM range(0, {history + 1}) r(back))"""
    elif kind == "year_to_date":
        aligned12 = (f"CASE WHEN back = 0 THEN {a} WHEN {month_end} THEN "
                     f"last_day({months_back(first_of_month, '12 * back')}) ELSE {months_back(a, '12 * back')} END")
        cols = (f"(year({a}) - back)::VARCHAR || ' YTD' AS label, make_date(year({a}) - back, 1, 1) AS pstart, "
                f"{aligned12} AS pend, {a} AS as_of")
    elif kind == "snapshot":
        d = f"CASE WHEN back = 0 THEN {a} ELSE last_day({months_back(first_of_month, 'back')}) END"
        cols = f"strftime({d}, '%Y-%m-%d') AS label, NULL::DATE AS pstart, {d} AS pend, {d} AS as_of"
    else:
        raise ValueError(kind)
    return f"SELECT back, {cols} FROM range(0, {history + 1}) r(back)"


def kpi_sql(k, as_of):
    """Every shown period × (overall and every group with a record in any computed period), as kpiwatch."""
    group = k["group"]
    gcols = ", ".join(f"r.{g} AS {g}" for g in group)
    where = k.get("where", "TRUE").replace("as_of", "pe.as_of")
    arg = k.get("arg", "TRUE").replace("as_of", "pe.as_of")
    if k.get("date"):
        d = k["date"]
        on = f"{d} BETWEEN pe.pstart AND pe.pend AND {d} <= DATE '{as_of.isoformat()}'"
    else:
        on = "TRUE"
    value = {
        "count": "count(*)::DOUBLE",
        "percent": "100::DOUBLE * count_if(arg)::DOUBLE / count(*)::DOUBLE",
        # kpiwatch's interpolation, step by step: DuckDB's quantile_cont rounds differently in the last digit.
        "median": "kw_median(list_sort(list(arg) FILTER (WHERE arg IS NOT NULL)))",
    }[k["agg"]]
    # With no records the overall value is count()'s 0 (or no value) over a count of 0; a group shows neither.
    empty = "0::DOUBLE" if k["agg"] == "count" else "NULL::DOUBLE"
    gnames = ", ".join(group)
    null_groups = ", ".join(f"NULL::VARCHAR AS {g}" for g in group)
    join_groups = " AND ".join(f"s.{g} IS NOT DISTINCT FROM x.{g}" for g in group)
    return f"""
        WITH pe AS ({periods_sql(k['period'], k['history'], k.get('cumulative', False), as_of)}),
        hits AS (
            SELECT pe.back, {gcols}, ({arg}) AS arg
            FROM pe JOIN {k['table']} r ON {on}
            WHERE {where}
        ),
        agg AS (
            SELECT back, {gnames}, grouping({gnames}) AS overall, count(*) AS n, {value} AS v
            FROM hits GROUP BY GROUPING SETS ((back), (back, {gnames}))
        ),
        groups AS (
            SELECT TRUE AS is_overall, {null_groups}
            UNION ALL SELECT DISTINCT FALSE, {gnames} FROM hits
        ),
        slots AS (SELECT pe.back, pe.label, s.* FROM pe CROSS JOIN groups s WHERE pe.back < {k['history']})
        SELECT s.back, s.label, s.is_overall, {', '.join('s.' + g for g in group)},
               CASE WHEN x.n IS NOT NULL THEN x.n WHEN s.is_overall THEN 0 END AS n,
               CASE WHEN x.n IS NOT NULL THEN x.v WHEN s.is_overall THEN {empty} END AS v
        FROM slots s LEFT JOIN agg x
          ON x.back = s.back AND (x.overall <> 0) = s.is_overall AND (s.is_overall OR ({join_groups}))
        ORDER BY s.back DESC, s.is_overall DESC, {', '.join('s.' + g for g in group)}"""


def figure(v, agg):
    if v is None:
        return None
    return int(v) if agg == "count" else v


def run(data, as_of, out):
    con = duckdb.connect()
    con.execute(MACROS)
    load(con, data)
    for k in KPIS:
        for back, label, overall, *rest in con.execute(kpi_sql(k, as_of)).fetchall():
            groups, (n, v) = rest[:-2], rest[-2:]
            grp = {} if overall else dict(zip(k["group"], groups))
            out.write(json.dumps({"type": "kpi", "id": k["id"], "period": label, "group": grp,
                                  "value": figure(v, k["agg"]), "count": n}) + "\n")
    where = CASE_ALERT["where"].replace("as_of", f"DATE '{as_of.isoformat()}'")
    for (key,) in con.execute(f"SELECT case_id FROM a WHERE {where} ORDER BY case_id").fetchall():
        out.write(json.dumps({"type": "alert", "rule": CASE_ALERT["rule"], "key": key}) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 31))
    args = parser.parse_args()
    run(args.data, args.as_of, sys.stdout)


if __name__ == "__main__":
    main()
