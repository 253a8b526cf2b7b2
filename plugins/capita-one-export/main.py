#!/usr/bin/env python3
"""kpiwatch source plugin: a Capita One style EHC assessment report export as the pack's assessments.

Reads its options as one JSON object on standard input (path, columns, date_format), and writes
the header line {"fields": …} and one record per report row, with dates as ISO yyyy-MM-dd.
Standard library only. Protocol: plugins/README.md.
"""
import csv
import datetime
import json
import sys

# pack field -> (report heading, type). "child_name" is built from Forename and Surname.
FIELDS = {
    "case_id": ("Request ID", "string"),
    "child_id": ("Person ID", "string"),
    "date_of_birth": ("DOB", "date"),
    "team": ("Team", "string"),
    "caseworker": ("Caseworker", "string"),
    "request_date": ("Request Received Date", "date"),
    "decision_date": ("Date Decision to Assess", "date"),
    "decision": ("Decision to Assess", "string"),
    "ep_advice_requested": ("EP Advice Requested Date", "date"),
    "ep_advice_received": ("EP Advice Received Date", "date"),
    "health_advice_requested": ("Health Advice Requested Date", "date"),
    "health_advice_received": ("Health Advice Received Date", "date"),
    "social_care_advice_requested": ("Social Care Advice Requested Date", "date"),
    "social_care_advice_received": ("Social Care Advice Received Date", "date"),
    "draft_plan_date": ("Draft EHCP Issue Date", "date"),
    "final_plan_date": ("Final EHCP Issue Date", "date"),
    "outcome": ("Assessment Outcome", "string"),
    "closed_date": ("Date Closed", "date"),
    "exception": ("20 Week Exception Reason", "string"),
}
NAME_HEADINGS = ("Forename", "Surname")
# Fields whose values never appear in an error message.
PERSONAL = {"child_name", "date_of_birth"}
NULLS = {"", "n/a", "na", "-", "null", "not applicable"}
# The report's wording -> the pack's (the demo export's) vocabulary; other values pass unchanged.
DECISIONS = {"yes": "Assess", "no": "Refuse", "agreed": "Assess", "refused": "Refuse"}
OUTCOMES = {"plan issued": "Issued", "not assessed": "Refused", "plan not issued": "Not issued",
            "withdrawn": "Withdrawn", "in progress": "Open"}
DATE_FORMATS = {"dd/MM/yyyy": "%d/%m/%Y", "dd-MMM-yyyy": "%d-%b-%Y", "yyyy-MM-dd": "%Y-%m-%d"}


def fail(message):
    print(f"capita-one-export: {message}", file=sys.stderr)
    sys.exit(2)


def read_options():
    try:
        options = json.loads(sys.stdin.read() or "{}")
    except json.JSONDecodeError as error:
        fail(f"standard input is not a JSON object: {error}")
    if not options.get("path"):
        fail("option 'path' is missing; set it on the dataset in kpiwatch.yaml")
    overrides = options.get("columns") or {}
    if not isinstance(overrides, dict):
        fail("option 'columns' must be a mapping of pack field to report heading")
    unknown = [name for name in overrides if name not in FIELDS and name not in ("forename", "surname")]
    if unknown:
        fail(f"option 'columns' names unknown fields {', '.join(unknown)}; fields are: {', '.join(FIELDS)}")
    written = options.get("date_format") or "dd/MM/yyyy"
    if written not in DATE_FORMATS:
        fail(f"option 'date_format' must be one of {', '.join(DATE_FORMATS)}; got {written!r}")
    return options["path"], overrides, DATE_FORMATS[written]


def parse_date(text, pattern):
    for candidate in (pattern, "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, candidate).date().isoformat()
        except ValueError:
            continue
    return None


def main():
    path, overrides, pattern = read_options()
    headings = {field: overrides.get(field, heading) for field, (heading, _) in FIELDS.items()}
    forename = overrides.get("forename", NAME_HEADINGS[0])
    surname = overrides.get("surname", NAME_HEADINGS[1])
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as error:
        fail(f"cannot open {path}: {error.strerror}")
    with handle:
        reader = csv.DictReader(handle)
        present = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = present
        needed = list(headings.values()) + [forename, surname]
        missing = [heading for heading in needed if heading not in present]
        if missing:
            fail(f"{path} has no column {', '.join(repr(m) for m in missing)}; columns are: {', '.join(present)}"
                 "; map a renamed heading with the 'columns' option")
        types = {field: kind for field, (_, kind) in FIELDS.items()}
        types["child_name"] = "string"
        out = sys.stdout
        out.write(json.dumps({"fields": types}) + "\n")
        for row_number, row in enumerate(reader, start=2):
            if all(not (value or "").strip() for value in row.values()):
                continue
            record = {}
            for field, heading in headings.items():
                text = (row.get(heading) or "").strip()
                if text.casefold() in NULLS:
                    record[field] = None
                elif types[field] == "date":
                    day = parse_date(text, pattern)
                    if day is None:
                        shown = "the value" if field in PERSONAL else repr(text)
                        fail(f"{path}, row {row_number}, column {heading!r}: {shown} is not a date in the "
                             "report's date_format")
                    record[field] = day
                else:
                    record[field] = text
            name = " ".join(part for part in ((row.get(forename) or "").strip(), (row.get(surname) or "").strip())
                            if part)
            record["child_name"] = name or None
            if record["decision"]:
                record["decision"] = DECISIONS.get(record["decision"].casefold(), record["decision"])
            if record["outcome"]:
                record["outcome"] = OUTCOMES.get(record["outcome"].casefold(), record["outcome"])
            elif record["closed_date"] is None:
                record["outcome"] = "Open"
            out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
