#!/usr/bin/env python3
"""kpiwatch source plugin: an ONS mid-year population estimate as the `population` dataset.

Reads its options as one JSON object on standard input (path, area, mid_year), and writes the
header line {"fields": …} and one record per single year of age: area, age, count.
Standard library only. Protocol: plugins/README.md.
"""
import csv
import json
import re
import sys

AGE_COLUMN = re.compile(r"^age_(\d+)$")


def fail(message):
    print(f"ons-population: {message}", file=sys.stderr)
    sys.exit(2)


def read_options():
    try:
        options = json.loads(sys.stdin.read() or "{}")
    except json.JSONDecodeError as error:
        fail(f"standard input is not a JSON object: {error}")
    for key in ("path", "area"):
        if not options.get(key):
            fail(f"option '{key}' is missing; set it on the dataset in kpiwatch.yaml")
    mid_year = options.get("mid_year")
    if mid_year is not None:
        try:
            mid_year = int(mid_year)
        except (TypeError, ValueError):
            fail(f"option 'mid_year' must be a year such as 2024; got {mid_year!r}")
    return options["path"], str(options["area"]).strip(), mid_year


def matching_rows(path, area):
    """Rows of the file for `area` (by code, or by name ignoring case), and the age columns."""
    wanted = area.casefold()
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as error:
        fail(f"cannot open {path}: {error.strerror}")
    with handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        missing = [name for name in ("mid_year", "area_code", "area_name") if name not in columns]
        if missing:
            fail(f"{path} has no column {', '.join(missing)}; columns are: {', '.join(columns)}")
        ages = sorted((int(m.group(1)), name) for name in columns if (m := AGE_COLUMN.match(name)))
        if not ages:
            fail(f"{path} has no single-year-of-age columns (age_0, age_1, …)")
        rows = [row for row in reader
                if row["area_code"].strip().casefold() == wanted or row["area_name"].strip().casefold() == wanted]
    return rows, ages


def main():
    path, area, mid_year = read_options()
    rows, ages = matching_rows(path, area)
    if not rows:
        fail(f"no area '{area}' in {path}; give its ONS code (such as E06000024) or its name as the file writes it")
    years = sorted({int(row["mid_year"]) for row in rows})
    year = mid_year if mid_year is not None else years[-1]
    chosen = [row for row in rows if int(row["mid_year"]) == year]
    if not chosen:
        fail(f"no mid-{year} estimate for '{area}' in {path}; years available: {', '.join(map(str, years))}")
    if len(chosen) > 1:
        fail(f"'{area}' matches {len(chosen)} areas for mid-{year}; give the area code instead")
    row = chosen[0]
    out = sys.stdout
    out.write(json.dumps({"fields": {"area": "string", "age": "int", "count": "int"}}) + "\n")
    for age, column in ages:
        text = (row[column] or "").strip().replace(",", "")
        if not text:
            continue
        try:
            count = int(text)
        except ValueError:
            fail(f"{path}: mid-{year} {row['area_code']} {column} is not a whole number: {text!r}")
        out.write(json.dumps({"area": row["area_name"].strip(), "age": age, "count": count}) + "\n")


if __name__ == "__main__":
    main()
