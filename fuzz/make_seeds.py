#!/usr/bin/env python3
"""Writes the seed corpora (fuzz/corpus/TARGET/) from the repository's own fixtures and demo.

Run from anywhere: python3 fuzz/make_seeds.py. Seeds are small (a few KB) so that libFuzzer
mutates them quickly; each target's input format is described in fuzz/Sources/FuzzSupport.
"""
import csv, glob, hashlib, io, json, os, re, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def seed(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def head(path, lines):
    return b"".join(read(path).splitlines(keepends=True)[:lines])


# expression: byte 0 = scope (low 2 bits: row, aggregate, threshold, template) and expected type.
expressions = set()
for path in sorted(glob.glob(os.path.join(ROOT, "rules/send/*.yaml"))):
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*-?\s*(where|value|date|critical|warning|info|message|title):\s*(.+)$", line)
        if m:
            text = m.group(2).strip()
            if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
                text = text[1:-1]
            expressions.add((m.group(1), text))
scope = {"where": 0, "date": 0, "value": 1, "critical": 2, "warning": 2, "info": 2, "message": 3, "title": 3}
for kind, text in sorted(expressions)[:60]:
    seed("expression", bytes([scope[kind]]) + text.encode())
for text in ["add_days(request_date, 140) < as_of", "coalesce(weeks, 0) * 2 + 1 >= 3.5",
             "team in (\"North\", 'South') and not active", "kpi.requests_12m / 12",
             "days_between(request_date, final_plan_date) <= 140", "benchmark.national_20w - value",
             "forecast(date(\"2027-03-31\")) < 70", "exception is null or score > 1e3"]:
    seed("expression", bytes([0]) + text.encode())
    seed("expression", bytes([2]) + text.encode())

# project and rules: the files themselves.
for path in ["examples/demo/kpiwatch.yaml", "examples/demo/kpiwatch.xlsx.yaml", "examples/demo/kpiwatch.sqlite.yaml",
             "Tests/KPIWatchTests/Fixtures/walsall/kpiwatch.yaml"] + sorted(
        glob.glob(os.path.join(ROOT, "Tests/KPIWatchTests/Fixtures/pack/*/kpiwatch.yaml"))) + sorted(
        glob.glob(os.path.join(ROOT, "plugins/*/sample.kpiwatch.yaml"))):
    seed("project", read(path))
seed("project", """version: 1
rules: [rules]
benchmarks: [rules/benchmarks.yaml]
datasets:
  assessments:
    source: csv
    path: data/assessments.csv
    fields:
      case_id: { column: "Case Ref", key: true }
      team: Team
sinks:
  - type: webhook
    format: teams
    url: ${env:KPIWATCH_WEBHOOK}
    secret: ${file:secrets/webhook_url}
    match: { severity: critical }
    quiet: { days: [sat, sun] }
""")
for path in sorted(glob.glob(os.path.join(ROOT, "rules/send/*.yaml"))) + [
        "rules/benchmarks.yaml", "rules/targets.yaml", "Tests/KPIWatchTests/Fixtures/walsall/rules.yaml",
        "Tests/KPIWatchTests/Fixtures/walsall/benchmarks.yaml"]:
    seed("rules", read(os.path.relpath(path, ROOT)))

# csv: byte 0 = chunk size (1 + b % 64), byte 1 = delimiter (, ; tab |).
csvs = [head("examples/demo/data/assessments.csv", 6), head("examples/demo/data/plans.csv", 6),
        read("examples/demo/data/staff.csv"), head("examples/demo/data/population.csv", 8),
        head("Tests/KPIWatchTests/Fixtures/walsall/assessments.csv", 6),
        b'\xef\xbb\xbfid,note,when\r\n1,"two\r\nlines",01/02/2024\r\n\r\n2,"say ""hi""",  02/02/2024  \r'
        b'3,plain,03/02/2024\n\n\n4,"a,b",04/02/2024,extra\n,,\n5,last,05/02/2024']
for index, data in enumerate(csvs):
    seed("csv", bytes([index * 7 % 64, 0]) + data)
seed("csv", bytes([3, 1]) + b"id;amount;d\n1;1,5;31.12.2023\n2;;\n")
seed("csv", bytes([5, 2]) + b"id\tname\n1\t\"tab\there\"\n")
seed("csv", bytes([2, 3]) + "id|caf\xe9\n1|\xe9t\xe9\n".encode("latin-1"))

# xlsx: even byte 0 = the file; odd = NUL-separated parts (sheet, shared strings, styles, workbook, rels).
parts = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml",
         "xl/_rels/workbook.xml.rels"]
for path in sorted(glob.glob(os.path.join(ROOT, "Tests/KPIWatchTests/Fixtures/xlsx/*.xlsx"))):
    data = open(path, "rb").read()
    seed("xlsx", bytes([0]) + data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        contents = [z.read(p) if p in names else b"" for p in parts]
    seed("xlsx", bytes([1]) + b"\0".join(contents))
seed("xlsx", bytes([3]) + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
     b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
     b'<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1"><v>45000</v></c></row></sheetData></worksheet>\0'
     b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>id</t></si><si><t>when</t></si>'
     b'<si><r><t>C</t></r><r><t>1</t></r></si></sst>\0'
     b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1">'
     b'<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="2"><xf numFmtId="0"/>'
     b'<xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>')

# json / jsonl: records from the demo's staff and population files.
def records(path, lines):
    rows = list(csv.DictReader(io.StringIO(head(path, lines).decode("utf-8-sig"))))
    return rows
staff = records("examples/demo/data/staff.csv", 6)
population = records("examples/demo/data/population.csv", 5)
seed("json", bytes([0]) + json.dumps(staff).encode())
seed("json", bytes([1]) + json.dumps({"data": population}).encode())
seed("json", bytes([2]) + json.dumps({"data": {"items": [{"id": "C1", "child": {"id": 1, "dob": "2015-01-02"},
                                                           "fte": 0.5, "active": True, "none": None}]}}).encode())
seed("jsonl", "\n".join(json.dumps(r) for r in staff) + "\n")
seed("jsonl", '\ufeff{"id": "C1", "n": {"a": 1.5}}\r\n\n{"id": C2}\n[1]\n{"id": "C4", "ok": false}')

# plugin: byte 0 = 0 source output, 1 sink answers, 2 manifest.
seed("plugin", bytes([0]) + b'{"fields": {"area": "string", "age": "int", "count": "int", "when": "date"}}\n'
     b'{"area": "E06000024", "age": 0, "count": 1834, "when": "2024-06-30"}\r\n'
     b'{"area": "E06000024", "age": 1.0, "count": null}\n{"fields": {"a": "int"}}\n')
seed("plugin", bytes([1]) + b'{"id": "a1", "ok": true}\n{"id": "b2", "ok": false, "error": "550 mailbox"}\n'
     b'{"id": "zz", "ok": true}\n{"id": "c3", "ok": 1}\n')
for path in sorted(glob.glob(os.path.join(ROOT, "plugins/*/plugin.yaml"))):
    seed("plugin", bytes([2]) + open(path, "rb").read())
