"""Figure-by-figure comparison of kpiwatch's `--format json` output with benchmarks/duckdb_pack.py's."""

import json


def kpiwatch_figures(path):
    """KPI values and case alerts from kpiwatch's JSON lines (KPI alerts carry no key and are left out)."""
    return _figures(path, case_rules=None)


def _figures(path, case_rules):
    values, alerts = {}, set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if o["type"] == "kpi":
                key = (o["id"], o["period"], tuple(sorted(o["group"].items())))
                if key in values:
                    raise ValueError(f"{path}: {key} appears twice")
                values[key] = (o["value"], o["count"])
            elif o["type"] == "alert" and "key" in o:
                alerts.add((o["rule"], o["key"]))
    return values, alerts


def differences(kpiwatch_path, duckdb_path, limit=20):
    """Every disagreement, as lines of text (empty when every value, count and alert agrees)."""
    kv, ka = _figures(kpiwatch_path, None)
    dv, da = _figures(duckdb_path, None)
    out = []
    for key in sorted(kv.keys() | dv.keys(), key=repr):
        a, b = kv.get(key), dv.get(key)
        if a is None or b is None:
            out.append(f"{key}: only in {'DuckDB' if a is None else 'kpiwatch'}")
        elif a[1] != b[1] or (a[0] is None) != (b[0] is None) or (a[0] is not None and float(a[0]) != float(b[0])):
            out.append(f"{key}: kpiwatch {a[0]!r} ({a[1]} records), DuckDB {b[0]!r} ({b[1]} records)")
    for rule, key in sorted(ka ^ da):
        out.append(f"alert {rule} {key}: only in {'kpiwatch' if (rule, key) in ka else 'DuckDB'}")
    return out[:limit] + ([f"... and {len(out) - limit} more"] if len(out) > limit else [])


def summary(path):
    values, alerts = _figures(path, None)
    return len(values), len(alerts)
