#!/usr/bin/env python3
"""Make the Excel copy of the demo data (data/xlsx/*.xlsx), saved by LibreOffice Calc, for
kpiwatch.xlsx.yaml: the same KPIs and values as kpiwatch.yaml from workbooks whose dates are real
date cells, as a spreadsheet program writes them.

Each CSV is rewritten with ISO dates (so Calc's import takes them as dates whatever its locale)
and converted by `soffice --headless --convert-to xlsx`. Needs LibreOffice Calc
(`apt-get install libreoffice-calc`); the workbooks are committed, so kpiwatch and its tests do not.

Run: python3 examples/demo/make_xlsx_copy.py
"""

import csv
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
UK_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def iso(cell):
    match = UK_DATE.match(cell)
    return f"{match.group(3)}-{match.group(2)}-{match.group(1)}" if match else cell


def main():
    target = HERE / "data" / "xlsx"
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        sources = []
        for name in ["assessments", "plans", "staff", "population", "complaints"]:
            rows = list(csv.reader((HERE / "data" / f"{name}.csv").open(newline="", encoding="utf-8")))
            path = Path(work) / f"{name}.csv"
            with path.open("w", newline="", encoding="utf-8") as out:
                csv.writer(out).writerows([rows[0]] + [[iso(cell) for cell in row] for row in rows[1:]])
            sources.append(str(path))
        # Comma-separated, UTF-8 (76), first line as-is; ISO dates are detected as dates.
        subprocess.run(
            ["soffice", "--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(target)]
            + sources,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    for workbook in sorted(target.glob("*.xlsx")):
        print(workbook.relative_to(HERE), workbook.stat().st_size, "bytes")


if __name__ == "__main__":
    if not shutil.which("soffice"):
        raise SystemExit("needs LibreOffice: apt-get install libreoffice-calc")
    main()
