#!/usr/bin/env python3
"""Writes the malformed-input corpus (issue 8) under Tests/KPIWatchTests/Fixtures/malformed/.

Each case is one file plus FILE.expected: line 1 is the location the error must name (as printed: a project or
rule file position "rules.yaml:5:12", a data position "data.csv, row 3", or "plugin 'corpus', line 2"), line 2 a
fragment of the message. Tests/KPIWatchTests/Sources/MalformedCorpusTests.swift runs every case. Every file exercises one
malformation; rerun this script after changing a case (it rewrites the folder).
"""
import io
import json
import os
import shutil
import struct
import zipfile
import zlib

ROOT = os.path.join(os.path.dirname(__file__), "..", "Tests", "KPIWatchTests", "Fixtures", "malformed")
cases = []


def add(kind, name, content, location, fragment):
    cases.append((kind, name, content, location, fragment))


# ---------------------------------------------------------------- rule files (rules/*.yaml)
KPI = "kpis:\n  - id: x\n    dataset: data\n    period: all\n    value: count()\n"


def rule(name, extra, line, column, fragment):
    add("rules", name + ".yaml", KPI + extra, f"rules.yaml:{line}:{column}", fragment)


for key, typo in [("title", "titel"), ("description", "descripton"), ("where", "wehre"), ("group_by", "groupby"),
                  ("thresholds", "threshold"), ("message", "mesage"), ("labels", "lables"), ("history", "histroy"),
                  ("unit", "units"), ("no_data", "nodata"), ("min_count", "mincount"), ("cumulative", "cumulativ")]:
    rule("unknown-key-" + typo, f"    {typo}: 1\n", 6, 5, f"unknown key '{typo}'")
for value in ["fortnight", "weekly", "Month", "daily", "'month '", "12"]:
    safe = value.strip("'").strip().lower().replace(" ", "")
    add("rules", f"period-{safe}-{len(value)}.yaml", KPI.replace("period: all", f"period: {value}"),
        "rules.yaml:4:13", "period")
for value in ["x", "-1", "0", "1001", "1.5", "true", "9223372036854775807", "99999999999999999999", "[1]"]:
    safe = value.replace(".", "_").replace("[", "").replace("]", "list")
    rule(f"history-{safe}", f"    history: {value}\n", 6, 14, "'history' must be")
for value in ["0", "-3", "1001", "many"]:
    rule(f"for-{value}", f"    for: {value}\n", 6, 10, "'for' must be")
for value in ["-1", "x"]:
    rule(f"min-count-{value}", f"    min_count: {value}\n", 6, 16, "'min_count' must be")
for value in ["percentage", "pounds"]:
    rule(f"unit-{value}", f"    unit: {value}\n", 6, 11, value)
rule("no-data-loud", "    no_data: loud\n", 6, 14, "loud")
rule("higher-is-better-maybe", "    higher_is_better: maybe\n", 6, 23, "higher_is_better")
rule("cumulative-all", "    cumulative: true\n", 6, 17, "'cumulative: true' needs period month or quarter")
rule("threshold-unknown-severity", "    thresholds:\n      urgent: value > 1\n", 7, 7, "unknown key 'urgent'")
rule("threshold-empty", "    thresholds:\n      warning:\n", 7, 7, "threshold 'warning' of KPI 'x' has no condition")
rule("thresholds-list", "    thresholds: [1, 2]\n", 6, 17, "must be a mapping")
rule("labels-list", "    labels: [a]\n", 6, 13, "must be a mapping")
rule("label-empty", "    labels:\n      team:\n", 7, 7, "label 'team' of KPI 'x' has no value")
rule("group-by-mapping", "    group_by: {team: 1}\n", 6, 15, "group_by")
rule("title-mapping", "    title: {a: 1}\n", 6, 12, "'title' must be text")
add("rules", "id-missing.yaml", "kpis:\n  - dataset: data\n    period: all\n    value: count()\n",
    "rules.yaml:2:5", "a KPI has no 'id'")
for bad in ["Timeliness", "2x", "a-b", "a b", "é"]:
    add("rules", f"id-{bad.encode().hex()}.yaml", KPI.replace("id: x", f"id: \"{bad}\""), "rules.yaml:2:9",
        "is not valid")
add("rules", "id-duplicate.yaml", KPI + KPI.replace("kpis:\n", ""), "rules.yaml:6:9", "duplicate id 'x'")
add("rules", "value-missing.yaml", "kpis:\n  - id: x\n    dataset: data\n    period: all\n", "rules.yaml:2:5",
    "KPI 'x' has no 'value'")
add("rules", "period-missing.yaml", "kpis:\n  - id: x\n    dataset: data\n    value: count()\n", "rules.yaml:2:5",
    "KPI 'x' has no 'period'")
add("rules", "date-missing.yaml", KPI.replace("period: all", "period: month"), "rules.yaml:4:13",
    "has period 'month' but no 'date'")
add("rules", "derived-with-period.yaml", "kpis:\n  - id: x\n    period: month\n    value: 1\n", "rules.yaml:3:5",
    "a KPI without dataset takes its period")
add("rules", "kpis-mapping.yaml", "kpis:\n  x: 1\n", "rules.yaml:2:3", "kpis")
add("rules", "kpi-scalar.yaml", "kpis:\n  - just text\n", "rules.yaml:2:5", "a KPI must be a mapping")
add("rules", "top-unknown.yaml", "kpi:\n  - id: x\n", "rules.yaml:1:1", "unknown key 'kpi'")
add("rules", "top-list.yaml", "- id: x\n", "rules.yaml:1:1", "the rule file must be a mapping")
add("rules", "case-alert-no-key.yaml",
    "case_alerts:\n  - id: c\n    dataset: data\n    where: n > 1\n", "rules.yaml:2:5", "has no 'key'")
add("rules", "case-alert-no-where.yaml",
    "case_alerts:\n  - id: c\n    dataset: data\n    key: id\n", "rules.yaml:2:5", "has no 'where'")
add("rules", "case-alert-severity.yaml",
    "case_alerts:\n  - id: c\n    dataset: data\n    key: id\n    where: n > 1\n    severity: urgent\n",
    "rules.yaml:6:15", "urgent")
add("rules", "case-alert-unknown-dataset.yaml",
    "case_alerts:\n  - id: c\n    dataset: dta\n    key: id\n    where: n > 1\n", "rules.yaml:3:14",
    "did you mean 'data'?")
add("rules", "unknown-dataset.yaml", KPI.replace("dataset: data", "dataset: cases"), "rules.yaml:3:14",
    "which the project file does not define")
add("rules", "inhibits-unknown.yaml", KPI + "    inhibits: [y]\n", "rules.yaml:6:16", "names 'y'")
add("rules", "cycle.yaml", "kpis:\n  - id: a\n    value: kpi.b\n  - id: b\n    value: kpi.a\n", "rules.yaml:",
    "KPIs reference each other in a cycle")
add("rules", "self-reference.yaml", "kpis:\n  - id: a\n    value: kpi.a + 1\n", "rules.yaml:3:12",
    "unknown KPI 'kpi.a'")
# YAML syntax and encoding
add("rules", "yaml-tab-indent.yaml", "kpis:\n\t- id: x\n", "rules.yaml:2:1", "YAML syntax error")
add("rules", "yaml-unclosed-quote.yaml", KPI.replace("value: count()", "value: \"count()"), "rules.yaml:",
    "YAML syntax error")
add("rules", "yaml-unclosed-flow.yaml", "kpis: [\n", "rules.yaml:2:1", "YAML syntax error")
add("rules", "yaml-bad-indent.yaml", "kpis:\n  - id: x\n   dataset: data\n", "rules.yaml:3:", "YAML syntax error")
add("rules", "yaml-colon-value.yaml", KPI + "    message: a: b\n", "rules.yaml:6:15", "YAML syntax error")
add("rules", "yaml-at-sign.yaml", KPI + "    title: @home\n", "rules.yaml:6:12", "YAML syntax error")
add("rules", "yaml-duplicate-key.yaml", KPI + "    value: count()\n", "rules.yaml:6:5", "duplicate key 'value'")
add("rules", "yaml-undefined-alias.yaml", KPI + "    title: *nothing\n", "rules.yaml:6:12", "YAML syntax error")
add("rules", "yaml-control-character.yaml", KPI + "    title: a\x1bb\n", "rules.yaml:6:13", "cannot read YAML")
add("rules", "yaml-nul.yaml", KPI + "    title: a\x00b\n", "rules.yaml:6:13", "cannot read YAML")
add("rules", "yaml-invalid-utf8.yaml", (KPI + "    title: caf").encode() + b"\xc3\x28\n", "rules.yaml:6:15",
    "is not UTF-8 text")
add("rules", "yaml-lone-continuation.yaml", (KPI + "    title: ").encode() + b"\x80\n", "rules.yaml:6:12",
    "is not UTF-8 text")
add("rules", "yaml-latin1.yaml", (KPI + "    title: Caf").encode() + b"\xe9 au lait\n", "rules.yaml:6:15",
    "is not UTF-8 text")
bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
for level in range(1, 10):
    bomb += f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]\n"
add("rules", "yaml-alias-bomb.yaml", bomb, "rules.yaml:", "values through its aliases")
add("rules", "yaml-document-end-garbage.yaml", KPI + "...\ngarbage: [\n", "rules.yaml:", "YAML syntax error")
add("rules", "yaml-two-documents.yaml", KPI + "---\nkpis: []\n", "rules.yaml:", "YAML syntax error")

# ---------------------------------------------------------------- expressions (expressions/*.txt)
# Written as the `where:` of a KPI in a block literal: the expression starts at rules.yaml:7:7.


def expr(name, text, marker, fragment, occurrence=0, shift=0):
    offset = -1
    for _ in range(occurrence + 1):
        offset = text.index(marker, offset + 1)
    offset += shift
    add("expressions", name + ".txt", text + "\n", f"rules.yaml:7:{7 + offset}", fragment)


expr("unknown-field", "tem == \"North\"", "tem", "unknown field 'tem'")
expr("unknown-field-case", "Team == \"North\"", "Team", "unknown field 'Team'")
expr("unknown-function", "lenght(team) > 3", "lenght", "lenght")
expr("unknown-dotted", "data.team == \"x\"", "data.team", "unknown name 'data.team'")
expr("unknown-kpi", "kpi.nope > 1", "kpi.nope", "unknown KPI 'kpi.nope'")
expr("unknown-benchmark", "n > benchmark.nope", "benchmark.nope", "unknown benchmark 'benchmark.nope'")
expr("string-gt-int", "team > 3", ">", "'>' needs")
expr("date-eq-string", "opened == \"2024-01-01\"", "==", "'==' needs")
expr("date-minus-date", "opened - opened > 0", "-", "'-' needs two numbers")
expr("date-plus-int", "opened + 1 > opened", "+", "'+' needs two numbers")
expr("string-times", "team * 2 > 1", "*", "'*' needs two numbers")
expr("and-of-numbers", "n and i", "and", "'and' needs two conditions")
expr("or-of-strings", "team or team", "or", "'or' needs two conditions")
expr("not-of-number", "not n", "not", "'not' needs a condition")
expr("negate-string", "-team == \"x\"", "-", "'-' needs a number")
expr("compare-null", "team == null", "==", "a comparison with null is always false")
expr("in-null", "team in [null]", "null", "null in a list never matches")
expr("in-mixed", "team in [\"a\", 1]", "1", "needs list items of the same type")
expr("chained", "1 < n < 3", "<", "comparisons cannot be chained", 1)
expr("unclosed-paren", "(n > 1", "1", "expected ')' to close", 0, 1)
expr("extra-paren", "n > 1)", ")", "unexpected ')' after a complete expression")
expr("unterminated-string", "team == \"North", "\"", "unterminated string")
expr("bad-escape", "team == \"a\\qb\"", "\\q", "escape")
expr("single-equals", "team = \"North\"", "=", "unexpected '='; did you mean '=='?")
expr("diamond", "team <> \"North\"", "<>", "did you mean '!='?")
expr("double-ampersand", "n > 1 && i > 1", "&&", "did you mean 'and'?")
expr("double-pipe", "n > 1 || i > 1", "||", "did you mean 'or'?")
expr("bang", "!(n > 1)", "!", "did you mean 'not'?")
expr("upper-and", "n > 1 AND i > 1", "AND", "keywords are lower case")
expr("not-without-in", "team not \"x\"", "\"x\"", "expected 'in' after 'not'")
expr("is-without-null", "team is \"x\"", "\"x\"", "after 'is'")
expr("in-without-list", "team in \"x\"", "\"x\"", "expected '[' after 'in'")
expr("list-missing-comma", "team in [\"a\" \"b\"]", "\"b\"", "expected ',' or ']'")
expr("empty-parens", "()", ")", "expected a value")
expr("dangling-operator", "n >", ">", "expected a value after", 0, 1)
expr("trailing-name", "n > 1 i", "i", "after a complete expression")
expr("dot-number", "n > 1.", ".", "expected digits after '.'", 0, 1)
expr("int-overflow-literal", "i > 99999999999999999999", "99999999999999999999", "99999999999999999999")
expr("aggregate-in-where", "count() > 1", "count", "aggregates such as count(…) are only allowed")
expr("wrong-arity", "days_between(opened) > 1", "days_between", "days_between takes")
expr("wrong-argument-type", "days_between(team, opened) > 1", "team", "days_between")
expr("date-bad-literal", "opened > date(\"2024-02-30\")", "\"2024", "2024-02-30")
expr("add-days-string", "add_days(opened, team) > opened", "team", "add_days")
expr("round-places-string", "round(n, team) > 1", "team", "round")
expr("coalesce-mixed", "coalesce(team, 1) == 1", "coalesce", "coalesce")
expr("contains-number", "contains(n, \"a\")", "n,", "contains needs a string")
expr("if-not-bool", "if(n, 1, 2) > 1", "n", "if")
expr("if-arity", "if(n > 1, 2) > 1", "if", "if takes")
expr("forecast-in-where", "forecast(opened) > 1", "forecast", "forecast")
expr("dollar", "$n > 1", "$", "unexpected")
expr("semicolon", "n > 1; i > 1", ";", "unexpected")
expr("curly-quote", "team == \u201cNorth\u201d", "\u201c", "unexpected")
expr("backtick", "`team` == \"x\"", "`", "unexpected")
expr("hash", "n > 1 # comment", "#", "unexpected")
expr("nested-65", "(" * 65 + "n > 1" + ")" * 65, "(", "nests more than 64 levels deep", 64)
expr("not-65", "not " * 65 + "n > 1", "not", "nests more than 64 levels deep", 64)
expr("negate-65", "-" * 65 + "n > 1", "-", "nests more than 64 levels deep", 64)
expr("calls-65", "abs(" * 65 + "n" + ")" * 65 + " > 1", "abs", "nests more than 64 levels deep", 64)
expr("and-chain-300", " and ".join(["n > 1"] * 300), "and", "more than 256 operations deep", 254)
expr("plus-chain-300", " + ".join(["n"] * 300) + " > 1", "+", "more than 256 operations deep", 255)
expr("where-is-number", "n + 1", "n", "expected a condition (true or false), got number")
expr("string-literal-where", "\"yes\"", "\"", "expected a condition (true or false), got string")
expr("percentile-in-where", "percentile(n, 50) > 1", "percentile", "aggregates such as count(…)")
expr("year-of-string", "year(team) > 2000", "team", "year")
expr("lower-of-date", "lower(opened) == \"x\"", "opened", "lower")
expr("min-of-mixed", "min_of(n, team) > 1", "min_of", "min_of needs arguments of one type")

# ---------------------------------------------------------------- project files (project/*.yaml)
PROJECT = """version: 1
as_of: 2024-03-15
rules: [rules.yaml]
datasets:
  data:
    source: csv
    path: data.csv
    date_format: dd/MM/yyyy
    fields:
      id: { column: id, key: true }
      opened: { column: opened, type: date }
      n: { column: n, type: number }
      i: { column: i, type: int }
      team: team
"""


def project(name, text, line, column, fragment):
    add("project", name + ".yaml", text, f"kpiwatch.yaml:{line}:{column}" if line else "kpiwatch.yaml", fragment)


def replaced(old, new):
    assert old in PROJECT, old
    return PROJECT.replace(old, new)


project("version-2", replaced("version: 1", "version: 2"), 1, 10, "'version' must be 1")
project("version-text", replaced("version: 1", "version: one"), 1, 10, "'version' must be 1")
project("unknown-top-key", PROJECT + "sink: []\n", 15, 1, "unknown key 'sink'")
project("timezone-unknown", replaced("version: 1\n", "version: 1\ntimezone: Europe/Londn\n"), 2, 11,
        "did you mean 'Europe/London'?")
project("timezone-long", replaced("version: 1\n", "version: 1\ntimezone: " + "x" * 5000 + "\n"), 2, 11,
        "unknown time zone")
for value in ["13-01", "02-30", "9-1-1", "september", "02-29"]:
    project(f"year-start-{value}", replaced("version: 1\n", f"version: 1\nyear_start: \"{value}\"\n"), 2, 13,
            "'year_start' must be")
for value in ["2024-02-30", "15/03/2024", "today", "2024-3-5x"]:
    project(f"as-of-{value.replace('/', '-')}", replaced("as_of: 2024-03-15", f"as_of: \"{value}\""), 2, 8,
            "'as_of' must be a date")
project("rules-missing-file", replaced("rules: [rules.yaml]", "rules: [rulez.yaml]"), 3, 9, "does not exist")
project("rules-mapping", replaced("rules: [rules.yaml]", "rules: {a: 1}"), 3, 8, "rules")
project("datasets-list", PROJECT.split("datasets:")[0] + "datasets: [a]\n", 4, 11, "must be a mapping")
project("dataset-no-source", replaced("    source: csv\n", ""), 6, 5, "has no 'source'")
project("dataset-unknown-source", replaced("source: csv", "source: cvs"), 6, 13, "unknown source 'cvs'")
project("dataset-excel-source", replaced("source: csv", "source: excel"), 6, 13, "unknown source 'excel'")
project("dataset-no-fields", PROJECT.split("    fields:")[0], 6, 5, "has no 'fields'")
project("dataset-unknown-key", replaced("    path: data.csv\n", "    path: data.csv\n    sheet: 1\n"), 8, 5,
        "unknown key 'sheet'")
project("dataset-typo-key", replaced("date_format", "dateformat"), 8, 5, "unknown key 'dateformat'")
project("field-type-unknown", replaced("type: int", "type: integer"), 13, 29, "got 'integer'")
project("field-name-invalid", replaced("      team: team\n", "      team name: team\n"), 14, 7,
        "is not an identifier")
project("field-list", replaced("      team: team\n", "      team: [a, b]\n"), 14, 13, "field 'team' must be")
project("field-unknown-key", replaced("{ column: id, key: true }", "{ column: id, primary: true }"), 10, 25,
        "unknown key 'primary'")
project("field-key-not-bool", replaced("key: true", "key: yes please"), 10, 30, "'key' must be true or false")
for value in ["''", "MMMMMMMM", "dd/MM", "yyyy-yyyy-MM-dd", "qq/MM/yyyy", "dd/MM/yyy", "DD/MM/YYYY"]:
    safe = value.replace("/", "-").replace("'", "empty")
    project(f"date-format-{safe}", replaced("date_format: dd/MM/yyyy", f"date_format: {value}"), 8, 18,
            "date_format")
for value in ["3 days", "-1d", "d", "1y"]:
    project(f"max-age-{value.replace(' ', '-')}", replaced("    path: data.csv\n", f"    path: data.csv\n    max_age: {value}\n"),
            8, 14, "'max_age' must be a duration")
project("on-bad-rows-ignore", replaced("    path: data.csv\n", "    path: data.csv\n    on_bad_rows: ignore\n"), 8, 18,
        "ignore")
project("error-limit-zero", replaced("    path: data.csv\n", "    path: data.csv\n    error_limit: 0\n"), 8, 18,
        "'error_limit' must be")
project("extracted-at-unknown", replaced("    path: data.csv\n", "    path: data.csv\n    extracted_at: exported\n"),
        8, 19, "'extracted_at' names no field")
project("extracted-at-not-date", replaced("    path: data.csv\n", "    path: data.csv\n    extracted_at: team\n"),
        8, 19, "'extracted_at' must name a date field")
project("delimiter-two-chars", replaced("    path: data.csv\n", "    path: data.csv\n    delimiter: ';;'\n"), 8, 16,
        "cannot separate fields")
project("path-missing-file", replaced("path: data.csv", "path: dta.csv"), 7, 11, "file not found")
project("path-dev-zero", replaced("path: data.csv", "path: /dev/zero"), 7, 11, "is a character device")
project("path-folder", replaced("path: data.csv", "path: ."), 7, 11, "is a folder")
project("sinks-unknown-type", PROJECT + "sinks:\n  - type: teams\n", 16, 11, "unknown sink type 'teams'")
project("sinks-no-type", PROJECT + "sinks:\n  - path: x\n", 16, 5, "has no 'type'")
project("env-missing", replaced("path: data.csv", "path: ${env:KPIWATCH_CORPUS_UNSET}"), 7, 11,
        "KPIWATCH_CORPUS_UNSET")
project("empty-project", "", 1, 1, "the project file is empty")
project("project-list", "- a\n", 1, 1, "must be a mapping")
project("project-yaml-syntax", PROJECT + "  bad: [\n", None, None, "YAML syntax error")
project("project-control-character", replaced("version: 1\n", "version: 1\n# a\x07b\n"), 2, 4, "cannot read YAML")
add("project", "project-invalid-utf8.yaml", replaced("as_of: 2024-03-15", "as_of: 2024-03-15 # ").encode() + b"\xff\n",
    "kpiwatch.yaml:15:1", "is not UTF-8 text")

# ---------------------------------------------------------------- CSV data (csv/*.csv)
HEADER = "id,opened,n,i,team\n"
GOOD = "C1,05/01/2024,1,1,North\n"


def csv(name, body, row, fragment, header=HEADER):
    add("csv", name + ".csv", header + GOOD + body, f"data.csv, row {row}", fragment)


csv("short-row", "C2,05/01/2024\n", 3, "the row has 2 fields but the header has 5 columns")
csv("one-field-row", "C2\n", 3, "the row has 1 field but the header has 5 columns")
csv("long-row", "C2,05/01/2024,1,1,North,extra\n", 3, "the row has 6 fields")
csv("unquoted-comma", "C2,05/01/2024,1,000,1,North\n", 3, "the row has 6 fields")
for value in ["31/02/2024", "00/01/2024", "05/13/2024", "2024/01/05", "5th Jan", "05-01-2024", "05/01/24x",
              "yesterday", "32/01/2024", "05/00/2024"]:
    csv("date-" + value.replace("/", "-").replace(" ", "_"), f"C2,{value},1,1,North\n", 3, "is not a date")
for value in ["one", "1.2.3", "1e", "--1", "NaN", "1,2", "£5", "0x10", "inf"]:
    csv("number-" + value.replace(",", "_").replace(".", "_").replace("£", "pound"),
        f"C2,05/01/2024,\"{value}\",1,North\n", 3, "is not a number")
for value in ["1.5", "ten", "99999999999999999999", "1e3x", "-"]:
    csv("int-" + value.replace(".", "_"), f"C2,05/01/2024,1,{value},North\n", 3, "is not a whole number")
csv("bad-third-row", GOOD + "C3,05/01/2024,x,1,South\n", 4, "is not a number")
csv("crlf-bad-row", "C2,05/01/2024,x,1,South\r\n", 3, "is not a number")
csv("cr-only-bad-row", "C2,05/01/2024,x,1,South\r", 3, "is not a number")
csv("quoted-newline-then-bad", "\"C2\nsecond line\",05/01/2024,1,x,South\n", 3, "is not a whole number")
csv("control-in-number", "C2,05/01/2024,1\x1b[31m,1,South\n", 3, "is not a number")
csv("bom-and-bad", "C2,05/01/2024,1,x,South\n", 3, "is not a whole number", header="\ufeff" + HEADER)
add("csv", "duplicate-header.csv", "id,opened,n,n,i,team\n" + GOOD, "data.csv, row 1", "are both named \"n\"")
add("csv", "empty.csv", "", "data.csv", "data.csv is empty")
add("csv", "blank-lines-only.csv", "\n\n\n", "data.csv", "data.csv is empty")
add("csv", "missing-column.csv", "id,opened,n,team\nC1,05/01/2024,1,North\n", "kpiwatch.yaml:14:7",
    "column \"i\" (field i) is not in data.csv")
add("csv", "semicolon-file.csv", "id;opened;n;i;team\nC1;05/01/2024;1;1;North\n", "kpiwatch.yaml:11:7",
    "is not in data.csv")
add("csv", "header-misspelt.csv", "id,openned,n,i,team\n" + GOOD, "kpiwatch.yaml:12:7", "did you mean \"openned\"?")

# ---------------------------------------------------------------- JSON and JSON Lines (json/*.json, jsonl/*.jsonl)
REC = {"id": "C1", "opened": "2024-01-05", "n": 1, "i": 1, "team": "North"}


def rec(**changes):
    r = dict(REC)
    r.update(changes)
    return r


def jsonfile(name, text, location, fragment):
    add("json", name + ".json", text, location, fragment)


jsonfile("truncated", json.dumps([REC])[:-5], "data.json", "data.json")
jsonfile("not-json", "id,opened\n", "data.json", "data.json")
jsonfile("empty", "", "data.json", "data.json")
jsonfile("object-not-array", json.dumps({"a": 1}), "data.json", "")
jsonfile("nan", json.dumps([REC]).replace("\"n\": 1", "\"n\": NaN"), "data.json", "data.json")
jsonfile("record-number", json.dumps([REC, 5]), "data.json, row 2", "")
jsonfile("record-string", json.dumps([REC, "C2"]), "data.json, row 2", "")
jsonfile("record-array", json.dumps([REC, [1, 2]]), "data.json, row 2", "")
jsonfile("n-string", json.dumps([REC, rec(n="many")]), "data.json, row 2", "")
jsonfile("i-fraction", json.dumps([REC, rec(i=1.5)]), "data.json, row 2", "")
jsonfile("opened-bad", json.dumps([REC, rec(opened="2024-02-30")]), "data.json, row 2", "is not a date")
jsonfile("opened-number", json.dumps([REC, rec(opened=True)]), "data.json, row 2", "")
jsonfile("team-object", json.dumps([REC, rec(team={"a": 1})]), "data.json, row 2", "")
jsonfile("i-huge", json.dumps([REC]).replace("\"i\": 1", "\"i\": 99999999999999999999"), "data.json, row 1", "")
# RFC 8259 has no trailing comma; Foundation's parser takes one, kpiwatch refuses it at the comma.
jsonfile("trailing-comma-array", "[\n" + json.dumps(REC) + ",\n]\n", "data.json",
         f"a comma before ']' at line 2, column {len(json.dumps(REC)) + 1}")
jsonfile("trailing-comma-object", json.dumps([REC])[:-2] + ", }]", "data.json",
         f"a comma before '}}' at column {len(json.dumps([REC])) - 1}")
jsonfile("deep-nesting", "[" * 5000 + "]" * 5000, "data.json", "")


def jsonl(name, lines, location, fragment):
    add("jsonl", name + ".jsonl", "\n".join(lines) + "\n", location, fragment)


jsonl("invalid-line", [json.dumps(REC), "{\"id\": \"C2\",", json.dumps(REC)], "data.jsonl, row 2", "")
jsonl("array-line", [json.dumps(REC), "[1, 2]"], "data.jsonl, row 2", "")
jsonl("string-line", [json.dumps(REC), "\"C2\""], "data.jsonl, row 2", "")
jsonl("n-string", [json.dumps(REC), json.dumps(rec(n="x"))], "data.jsonl, row 2", "")
jsonl("opened-bad", [json.dumps(REC), json.dumps(rec(opened="2024-13-01"))], "data.jsonl, row 2", "is not a date")
jsonl("i-fraction", [json.dumps(REC), json.dumps(rec(i=2.5))], "data.jsonl, row 2", "")
jsonl("two-objects-one-line", [json.dumps(REC) + json.dumps(REC)], "kpiwatch.yaml:11:7", "is not in data.jsonl")
jsonl("control-character", [json.dumps(REC), "{\"id\": \"C\x01\"}"], "data.jsonl, row 2", "")
jsonl("trailing-comma", [json.dumps(REC), json.dumps(REC)[:-1] + ",}"], "data.jsonl, row 2",
      f"a comma before '}}' at column {len(json.dumps(REC))}")
jsonl("third-line-bad", [json.dumps(REC), json.dumps(REC), "nope"], "data.jsonl, row 3", "")

# ---------------------------------------------------------------- Excel workbooks (xlsx/*.xlsx)
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Cases" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""


def row(number, cells):
    out = f"<row r=\"{number}\">"
    for column, value in zip("ABCDE", cells):
        if isinstance(value, str):
            out += f"<c r=\"{column}{number}\" t=\"inlineStr\"><is><t>{value}</t></is></c>"
        else:
            out += f"<c r=\"{column}{number}\"><v>{value}</v></c>"
    return out + "</row>"


def sheet(rows):
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
            "spreadsheetml/2006/main\"><sheetData>" + "".join(rows) + "</sheetData></worksheet>")


HEAD_ROW = row(1, ["id", "opened", "n", "i", "team"])
GOOD_ROW = row(2, ["C1", 45296, 1, 1, "North"])


def workbook(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            # A fixed date, so that rerunning the script rewrites the same bytes.
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def damaged_zip(sheet_data=None, **sheet_fields):
    """The standard workbook, zipped field by field, so that its sheet's entry can lie: `sheet_data` replaces the
    sheet's compressed bytes; `sheet_fields` (flags, method, crc, csize, usize) override its central directory."""
    good = sheet([HEAD_ROW, GOOD_ROW]).encode()
    parts = [("[Content_Types].xml", CONTENT_TYPES.encode()), ("_rels/.rels", ROOT_RELS.encode()),
             ("xl/workbook.xml", WORKBOOK.encode()), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.encode()),
             ("xl/worksheets/sheet1.xml", good)]
    local, central = b"", b""
    for name, text in parts:
        deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
        data = deflater.compress(text) + deflater.flush()
        fields = {"flags": 0, "method": 8, "crc": zlib.crc32(text), "csize": len(data), "usize": len(text)}
        if name == "xl/worksheets/sheet1.xml":
            if sheet_data is not None:
                data = sheet_data
                fields["csize"] = len(data)
            fields.update(sheet_fields)
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, fields["flags"], fields["method"], 0, 0x21,
                             fields["crc"], len(data), fields["usize"], len(name), 0) + name.encode() + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, fields["flags"], fields["method"], 0,
                               0x21, fields["crc"], fields["csize"], fields["usize"], len(name), 0, 0, 0, 0, 0,
                               offset) + name.encode()
    return local + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central),
                                         len(local), 0)


def xlsx(name, data, location, fragment):
    add("xlsx", name + ".xlsx", data, location, fragment)


def standard(sheet_xml, **overrides):
    parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
             "xl/_rels/workbook.xml.rels": WORKBOOK_RELS, "xl/worksheets/sheet1.xml": sheet_xml}
    for key, value in overrides.items():
        parts[key.replace("__", "/")] = value
    return workbook({k: v for k, v in parts.items() if v is not None})


xlsx("not-a-zip", b"id,opened,n,i,team\n", "kpiwatch.yaml:7:11", "is not an Excel workbook")
xlsx("empty", b"", "kpiwatch.yaml:7:11", "")
xlsx("xls-magic", b"\xd0\xcf\x11\xe0" + b"\0" * 60, "kpiwatch.yaml:7:11", "Excel 97")
xlsx("zip-without-workbook", workbook({"readme.txt": "hello"}), "kpiwatch.yaml:7:11", "")
xlsx("sheet-missing", standard(None), "kpiwatch.yaml:7:11", "")
xlsx("sheet-not-xml", standard("<worksheet><sheetData><row>"), "kpiwatch.yaml:5:3", "has no column names in row 1")
xlsx("bad-number-cell", standard(sheet([HEAD_ROW, GOOD_ROW, row(3, ["C2", 45296, "many", 1, "North"])])),
     "row 3", "is not a number")
xlsx("bad-int-cell", standard(sheet([HEAD_ROW, GOOD_ROW, row(3, ["C2", 45296, 1, 1.5, "North"])])),
     "row 3", "is not a whole number")
xlsx("bad-date-cell", standard(sheet([HEAD_ROW, GOOD_ROW, row(3, ["C2", "someday", 1, 1, "North"])])),
     "row 3", "is not a date")
xlsx("missing-column", standard(sheet([row(1, ["id", "opened", "n", "team"]), GOOD_ROW])), "kpiwatch.yaml:14:7",
     "column \"i\" (field i) is not in")
xlsx("shared-string-out-of-range", standard(sheet([HEAD_ROW, "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>99</v></c></row>"])),
     "data.xlsx", "")
# The zip itself (kpiwatch's ZipArchive): every part is decompressed from exactly its own bytes, within limits.
SHEET1 = "cannot read xl/worksheets/sheet1.xml: "
# A stored block that says 65,535 bytes follow, then 5: ZIPFoundation read on to the end of the file and looped there.
xlsx("zip-deflate-runs-past-its-part", damaged_zip(b"\x00\xff\xff\x00\x00<?xml"), "data.xlsx",
     SHEET1 + "its compressed data ends before its deflate stream does")
# What fuzz-xlsx found (fuzz/corpus/xlsx; its first byte picks the target's mode): a mutated byte in the sheet's
# deflate stream, which then never ends.
with open(os.path.join(os.path.dirname(__file__), "..", "fuzz", "corpus", "xlsx", "finding-deflate-past-end-of-file"),
          "rb") as finding:
    xlsx("zip-fuzz-finding-deflate-past-end-of-file", finding.read()[1:], "data.xlsx", SHEET1)
xlsx("zip-deflate-cut-short", damaged_zip(zlib.compress(sheet([HEAD_ROW, GOOD_ROW]).encode())[2:40]), "data.xlsx",
     SHEET1 + "its compressed data ends before its deflate stream does")
xlsx("zip-deflate-garbage", damaged_zip(b"\xff" * 40), "data.xlsx", SHEET1 + "its compressed data is damaged")
xlsx("zip-data-past-end-of-file", damaged_zip(csize=1 << 20), "data.xlsx",
     SHEET1 + "its compressed data runs past the end of the file")
xlsx("zip-method-bzip2", damaged_zip(method=12), "data.xlsx", SHEET1 + "it uses compression method 12")
xlsx("zip-encrypted", damaged_zip(flags=1), "data.xlsx", SHEET1 + "it is encrypted")
xlsx("zip-bad-checksum", damaged_zip(crc=0x12345678), "data.xlsx", SHEET1 + "it fails its CRC-32 checksum")
xlsx("zip-inflates-past-its-size", damaged_zip(usize=10), "data.xlsx",
     SHEET1 + "it decompresses to more than the 10 bytes its header says")
xlsx("zip-part-over-the-limit", damaged_zip(usize=0x7FFFFFFF), "data.xlsx",
     SHEET1 + "it is 2147483647 bytes uncompressed, more than the limit of 536870912 bytes for one part")
xlsx("zip-stored-sizes-differ", damaged_zip(sheet([HEAD_ROW, GOOD_ROW]).encode(), method=0, usize=10), "data.xlsx",
     SHEET1 + "it is stored uncompressed, but its two sizes differ")
xlsx("zip-directory-past-its-end", damaged_zip()[:-6] + b"\xff\xff\x00\x00\x00\x00", "kpiwatch.yaml:7:11",
     "is a damaged zip archive: its central directory runs past the end of the file")

# ---------------------------------------------------------------- plugin output (plugin/*.out)
HEAD = json.dumps({"fields": {"id": "string", "opened": "date", "n": "number", "i": "int", "team": "string"}})


def plugin(name, lines, line, fragment):
    add("plugin", name + ".out", "\n".join(lines) + "\n", f"plugin 'corpus', line {line}", fragment)


plugin("header-not-json", ["fields: id"], 1, "a first line that is not a JSON object")
plugin("header-array", ["[\"id\"]"], 1, "a first line that is not a JSON object")
plugin("record-before-header", [json.dumps(REC)], 1, "wrote a record before the header")
plugin("header-unknown-type", [json.dumps({"fields": {"id": "text"}})], 1, "with an unknown type")
plugin("header-type-number", [json.dumps({"fields": {"id": 1}})], 1, "with an unknown type")
plugin("invalid-json-record", [HEAD, "{\"id\": "], 2, "wrote invalid JSON on line 2")
plugin("array-record", [HEAD, "[1]"], 2, "not a record object")
plugin("number-record", [HEAD, "42"], 2, "not a record object")
plugin("second-header", [HEAD, json.dumps(REC), HEAD], 3, "wrote a second header on line 3")
plugin("undeclared-key", [HEAD, json.dumps(rec(colour="red"))], 2, "which its header does not declare")
plugin("date-not-iso", [HEAD, json.dumps(rec(opened="05/01/2024"))], 2, "as a date that is not yyyy-MM-dd")
plugin("date-impossible", [HEAD, json.dumps(rec(opened="2024-02-30"))], 2, "as a date that is not yyyy-MM-dd")
plugin("n-string", [HEAD, json.dumps(rec(n="one"))], 2, "\"n\"")
plugin("i-fraction", [HEAD, json.dumps(rec(i=1.5))], 2, "\"i\"")
plugin("team-number", [HEAD, json.dumps(rec(team=7))], 2, "\"team\"")
plugin("team-object", [HEAD, json.dumps(rec(team={"a": 1}))], 2, "key \"team\" holds an object")
plugin("third-line-invalid", [HEAD, json.dumps(REC), "not json"], 3, "wrote invalid JSON on line 3")


def main():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    names = set()
    for kind, name, content, location, fragment in cases:
        path = os.path.join(ROOT, kind, name)
        assert path not in names, path
        names.add(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(content if isinstance(content, bytes) else content.encode("utf-8"))
        with open(path + ".expected", "w", encoding="utf-8") as out:
            out.write(location + "\n" + fragment + "\n")
    print(f"{len(cases)} cases in {os.path.normpath(ROOT)}")


main()
