#!/usr/bin/env bash
# Rebuilds the xlsx fixtures. Needs python3 and LibreOffice Calc (apt-get install libreoffice-calc).
# cases, merged_headers and date_kinds are saved by LibreOffice from flat ODS sources that
# make_fixtures.py writes; inline_strings and date1904 are zipped by hand, since LibreOffice
# always writes shared strings and the 1900 date system. not_a_workbook.ods is LibreOffice's
# own format, for the error a user gets when pointing `source: xlsx` at one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 "$here/make_fixtures.py" fods "$work"
profile="file://$work/profile"
for name in cases merged_headers date_kinds; do
    soffice -env:UserInstallation="$profile" --headless --convert-to xlsx:"Calc MS Excel 2007 XML" \
        --outdir "$work" "$work/$name.fods" >/dev/null
    cp "$work/$name.xlsx" "$here/$name.xlsx"
done
soffice -env:UserInstallation="$profile" --headless --convert-to ods --outdir "$work" "$work/cases.fods" >/dev/null
cp "$work/cases.ods" "$here/not_a_workbook.ods"
python3 "$here/make_fixtures.py" hand "$here"
echo "fixtures written to $here"
