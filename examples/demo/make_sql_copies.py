#!/usr/bin/env python3
"""Make SQL copies of the demo data, for the SQLite and PostgreSQL variants of the demo project.

Reads data/*.csv with the field types of kpiwatch.yaml and writes
- data/demo.sql: portable CREATE TABLE and INSERT statements (ISO dates, NULL for blanks and for
  the project's null_values), which both SQLite and PostgreSQL accept;
- data/demo.sqlite: that script run through SQLite.
Tables are named after the CSV files and keep their column names, so kpiwatch.sqlite.yaml and
kpiwatch.postgres.yaml differ from kpiwatch.yaml only in their sources.

Python 3 standard library only. Run: python3 examples/demo/make_sql_copies.py
"""

import csv
import re
import sqlite3
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SQL_TYPES = {"string": "TEXT", "int": "BIGINT", "number": "DOUBLE PRECISION", "date": "DATE"}


def datasets():
    """(table, csv file, {column: type}, null values) for each dataset of kpiwatch.yaml."""
    text = (HERE / "kpiwatch.yaml").read_text()
    section = "\n" + text.split("\ndatasets:\n", 1)[1].split("\nsinks:", 1)[0]
    blocks = re.split(r"\n  (\w+):\n    source: csv\n", section)
    for name, body in zip(blocks[1::2], blocks[2::2]):
        path = re.search(r"path: (\S+)", body).group(1)
        nulls = re.search(r"null_values: \[(.*)\]", body)
        null_values = {v.strip().strip('"') for v in nulls.group(1).split(",")} if nulls else {""}
        types = {}
        for line in body.splitlines():
            typed = re.match(r'\s+\w+: \{ column: "([^"]+)", type: (\w+)', line)
            bare = re.match(r'\s+\w+: "([^"]+)"$', line)
            if typed:
                types[typed.group(1)] = typed.group(2)
            elif bare:
                types[bare.group(1)] = "string"
        yield name, HERE / path, types, null_values | {""}


def literal(value, kind, null_values):
    value = value.strip()
    if value in null_values:
        return "NULL"
    if kind == "date":
        return "'" + datetime.strptime(value, "%d/%m/%Y").date().isoformat() + "'"
    if kind in ("int", "number"):
        return str(int(value)) if kind == "int" else repr(float(value))
    return "'" + value.replace("'", "''") + "'"


def script():
    lines = []
    for table, path, types, null_values in datasets():
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        columns = ", ".join(f'"{c}" {SQL_TYPES[types.get(c, "string")]}' for c in header)
        lines.append(f"DROP TABLE IF EXISTS {table};")
        lines.append(f"CREATE TABLE {table} ({columns});")
        for row in rows[1:]:
            if not any(cell.strip() for cell in row):
                continue
            values = ", ".join(literal(cell, types.get(c, "string"), null_values) for c, cell in zip(header, row))
            lines.append(f"INSERT INTO {table} VALUES ({values});")
    return "\n".join(lines) + "\n"


def main():
    sql = script()
    (HERE / "data" / "demo.sql").write_text(sql)
    target = HERE / "data" / "demo.sqlite"
    target.unlink(missing_ok=True)
    with sqlite3.connect(target) as db:
        db.executescript(sql)
    print(f"wrote {HERE / 'data' / 'demo.sql'} and {target}")


if __name__ == "__main__":
    main()
