#!/usr/bin/env python3
"""Rebuild release/, the extract of DfE's and ONS's files that `kpiwatch benchmarks` reads by default.

Usage: python3 Sources/KPIWatchBenchmarkData/make_extract.py FULL_DATA_DIR [OUT_DIR]

FULL_DATA_DIR holds the full published files laid out as `kpiwatch benchmarks --data` expects them:
  dfe-YYYY/timeliness_20_week.csv, requests.csv, caseload.csv (and data-guidance.txt)
  ons/ons_mye_england_la_age0_25_<first>_<last>.csv
  reference/statistical_neighbours.csv
The newest dfe-YYYY folder and the newest ONS file are taken, as kpiwatch does. release/ (or OUT_DIR,
which the tests use) is replaced whole, keeping the same relative file names, so a figure's source in a benchmark file names the same
file whichever folder it was computed from.

Only the rows and columns kpiwatch reads are kept (Sources/KPIWatchBenchmarks/*Benchmarks.swift,
GeographicLevel.swift, PopulationEstimates.swift name them): kpiwatch filters and looks up by column
name, so the extract gives the same figures as the full files. Cells are copied as published (`x`, `z`,
`c` kept). Deterministic: the same files give the same bytes. Python 3 standard library only.
"""

import csv
import hashlib
import re
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "release"

GEOGRAPHY = ["time_period", "geographic_level", "country_code", "region_code", "region_name",
             "new_la_code", "old_la_code", "la_name"]
LEVELS = {"national", "regional", "local authority"}

# file name → (total rows' breakdown_topic, measure columns): TimelinessBenchmarks,
# RequestRateBenchmarks and PlansPerPopulationBenchmarks.
DFE = {
    "timeliness_20_week.csv": ("All EHC plans issued", [
        "plans_issued_den", "plans_issued_within_20_weeks", "plans_issued_den_ex", "plans_issued_20_weeks_ex"]),
    "requests.csv": ("All requests for EHC needs assessments", ["requests_received_in_year"]),
    "caseload.csv": ("All EHC plans", ["ehcplans"]),
}

ONS_PREFIX = "ons_mye_england_la_age0_25"
ONS_COLUMNS = ["mid_year", "area_code", "area_name", "pop_0_24", "pop_0_25"]
# England (E92) and the councils that run education: unitary (E06), metropolitan (E08), London (E09),
# county (E10). kpiwatch never asks for a district, region or country of another kind.
ONS_AREAS = ("E92", "E06", "E08", "E09", "E10")
NEIGHBOURS = "reference/statistical_neighbours.csv"

DFE_URL = "https://explore-education-statistics.service.gov.uk/find-statistics/education-health-and-care-plans/{year}"
ONS_URL = ("https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates/"
           "datasets/estimatesofthepopulationforenglandandwales")
NEIGHBOURS_URL = ("https://www.gov.uk/government/publications/"
                  "local-authority-interactive-tool-lait")


def fail(message):
    sys.exit(f"make_extract.py: {message}")


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            fail(f"{path} is empty")
        return header, list(reader)


def column(header, name, path):
    """As kpiwatch does: the exact name, else the same name in another case."""
    if name in header:
        return header.index(name)
    lowered = [h.lower() for h in header]
    if name.lower() in lowered:
        return lowered.index(name.lower())
    fail(f"{path} has no column '{name}'")


def write_csv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def newest_dfe(source, name):
    folders = sorted((p for p in source.iterdir() if p.is_dir() and p.name.lower().startswith("dfe-")),
                     key=lambda p: p.name, reverse=True)
    for folder in folders:
        if (folder / name).is_file():
            return folder
    fail(f"no {name} in any dfe-YYYY folder of {source}")


def extract_dfe(source, staging):
    """Each file's total rows for England, its regions and its authorities; returns provenance lines."""
    notes = []
    for name, (topic, measures) in DFE.items():
        folder = newest_dfe(source, name)
        path = folder / name
        header, rows = read_csv(path)
        kept_columns = GEOGRAPHY + ["breakdown_topic"] + measures
        index = [column(header, c, path) for c in kept_columns]
        topic_index = column(header, "breakdown_topic", path)
        level_index = column(header, "geographic_level", path)
        kept = [[row[i] if i < len(row) else "" for i in index] for row in rows
                if len(row) > max(topic_index, level_index)
                and row[topic_index].lower() == topic.lower() and row[level_index].lower() in LEVELS]
        periods = sorted({row[0] for row in kept})
        write_csv(staging / folder.name / name, kept_columns, kept)
        notes.append((f"{folder.name}/{name}", path, len(rows), len(kept), kept_columns,
                      f'breakdown_topic "{topic}"; National, Regional and Local authority rows; '
                      f"time_period {', '.join(periods)}"))
    return notes


def release_title(folder):
    """DfE's data-guidance.txt starts with the publication's title and 'Reporting year YYYY'."""
    guidance = folder / "data-guidance.txt"
    year = re.sub(r"\D", "", folder.name)
    if guidance.is_file():
        lines = [line.strip() for line in guidance.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
        if len(lines) >= 2 and lines[1].lower().startswith("reporting year"):
            return lines[0], lines[1].split()[-1]
    return "Education, health and care plans", year


def extract_ons(source, staging):
    candidates = sorted(p for folder in (source / "ons", source) if folder.is_dir()
                        for p in folder.iterdir() if p.name.startswith(ONS_PREFIX) and p.suffix.lower() == ".csv")
    if not candidates:
        fail(f"no ons/{ONS_PREFIX}_*.csv in {source}")
    path = max(candidates, key=lambda p: p.name)
    header, rows = read_csv(path)
    index = [column(header, c, path) for c in ONS_COLUMNS]
    code = column(header, "area_code", path)
    kept = [[row[i] for i in index] for row in rows if row[code][:3] in ONS_AREAS]
    write_csv(staging / "ons" / path.name, ONS_COLUMNS, kept)
    sources = sorted({row[column(header, "source", path)] for row in rows}) if "source" in header else []
    years = sorted({row[0] for row in kept})
    return (f"ons/{path.name}", path, len(rows), len(kept), ONS_COLUMNS,
            f"area codes {', '.join(c + '…' for c in ONS_AREAS)} (England and upper-tier councils); "
            f"mid-years {', '.join(years)}"), sources


def copy_neighbours(source, staging):
    path = source / NEIGHBOURS
    if not path.is_file():
        fail(f"no {NEIGHBOURS} in {source}")
    (staging / "reference").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, staging / NEIGHBOURS)
    header, rows = read_csv(path)
    return (NEIGHBOURS, path, len(rows), len(rows), ["every column"], "the whole file: every row is read")


def provenance(dfe_notes, dfe_title, ons_note, ons_sources, neighbours_note):
    title, year = dfe_title
    lines = [
        "# Where these files come from",
        "",
        "Written by `make_extract.py` (beside this folder); do not edit by hand. Crown copyright,",
        "Open Government Licence v3.0. Each file keeps only the rows and columns `kpiwatch benchmarks`",
        "reads, under the name the full file has, so a benchmark's `source` names the same file.",
        "",
        f"- DfE, \"{title}\", reporting year {year}: {DFE_URL.format(year=year)}",
        f"- ONS, mid-year population estimates by single year of age: {ONS_URL}",
    ]
    if ons_sources:
        lines.append("  (the full file's `source` column says where each mid-year's table was taken from: "
                     + "; ".join(ons_sources) + ")")
    lines += [
        f"- DfE, children's services statistical neighbours (as in LAIT): {NEIGHBOURS_URL}",
        "",
        "| file | rows kept / in the full file | columns kept | which rows | full file's SHA-256 |",
        "|---|---|---|---|---|",
    ]
    for relative, path, total, kept, columns, what in dfe_notes + [ons_note, neighbours_note]:
        lines.append(f"| `{relative}` | {kept} / {total} | {', '.join(columns)} | {what} | `{sha256(path)}` |")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: make_extract.py FULL_DATA_DIR [OUT_DIR] (dfe-YYYY/, ons/ and reference/ as published)")
    source = Path(sys.argv[1]).resolve()
    if not source.is_dir():
        fail(f"{source} is not a folder")
    out = Path(sys.argv[2]).resolve() if len(sys.argv) == 3 else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    # Staged beside the target so that a failure leaves the old extract whole.
    with tempfile.TemporaryDirectory(dir=out.parent) as temporary:
        staging = Path(temporary) / "release"
        dfe_notes = extract_dfe(source, staging)
        dfe_title = release_title(newest_dfe(source, "timeliness_20_week.csv"))
        ons_note, ons_sources = extract_ons(source, staging)
        neighbours_note = copy_neighbours(source, staging)
        (staging / "SOURCES.md").write_text(
            provenance(dfe_notes, dfe_title, ons_note, ons_sources, neighbours_note), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        shutil.move(str(staging), str(out))
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"wrote {out} ({total:,} bytes)")


if __name__ == "__main__":
    main()
