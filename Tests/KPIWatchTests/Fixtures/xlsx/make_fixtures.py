#!/usr/bin/env python3
"""Sources of the xlsx fixtures.

`fods DIR` writes flat OpenDocument spreadsheets (plain XML) that make_fixtures.sh has LibreOffice
convert to .xlsx, so those workbooks are saved by a real spreadsheet program. `hand DIR` writes the
workbooks LibreOffice cannot produce (inline strings, the 1900 leap-day serial, a 1904 workbook,
namespace prefixes) by zipping hand-written XML.
"""
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:date-style style:name="N_UK">
   <number:day number:style="long"/><number:text>/</number:text>
   <number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/>
  </number:date-style>
  <number:date-style style:name="N_ISO">
   <number:year number:style="long"/><number:text>-</number:text>
   <number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/>
  </number:date-style>
  <number:date-style style:name="N_LONG">
   <number:day/><number:text> </number:text><number:month number:textual="true" number:style="long"/>
   <number:text> </number:text><number:year number:style="long"/>
  </number:date-style>
  <number:date-style style:name="N_UKTIME">
   <number:day number:style="long"/><number:text>/</number:text>
   <number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/>
   <number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text>
   <number:minutes number:style="long"/>
  </number:date-style>
  <number:number-style style:name="N_DAYS">
   <number:number number:decimal-places="1" number:min-integer-digits="1"/><number:text> days</number:text>
  </number:number-style>
  <style:style style:name="uk" style:family="table-cell" style:data-style-name="N_UK"/>
  <style:style style:name="iso" style:family="table-cell" style:data-style-name="N_ISO"/>
  <style:style style:name="long" style:family="table-cell" style:data-style-name="N_LONG"/>
  <style:style style:name="uktime" style:family="table-cell" style:data-style-name="N_UKTIME"/>
  <style:style style:name="days" style:family="table-cell" style:data-style-name="N_DAYS"/>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
"""
FODS_TAIL = " </office:spreadsheet></office:body>\n</office:document>\n"


def cell(value, style=None, span=None):
    """One cell: str is text, int/float a number, ('date', 'YYYY-MM-DD[THH:MM:SS]') a date, None blank."""
    attrs = f' table:style-name="{style}"' if style else ""
    if span:
        attrs += f' table:number-columns-spanned="{span[0]}" table:number-rows-spanned="{span[1]}"'
    if value is None:
        return f"<table:table-cell{attrs}/>"
    if isinstance(value, tuple) and value[0] == "date":
        return (f'<table:table-cell{attrs} office:value-type="date" office:date-value="{value[1]}">'
                f"<text:p>{value[1]}</text:p></table:table-cell>")
    if isinstance(value, (int, float)):
        return (f'<table:table-cell{attrs} office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell{attrs} office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


COVERED = "<table:covered-table-cell/>"


def table(name, rows):
    body = "".join("  <table:table-row>" + "".join(r) + "</table:table-row>\n" for r in rows)
    return f'  <table:table table:name="{name}">\n{body}  </table:table>\n'


def d(iso):
    return ("date", iso)


def cases():
    """A case export: a title row above the header (header_row 2), UK date cells, repeated text
    (shared strings), blank cells, an empty row in the middle, and a second sheet."""
    title = [cell("EHCP cases: extract of 20/11/2026", span=(6, 1))] + [COVERED] * 5
    header = [cell(h) for h in ["Case Ref", "  Team ", "Request Received", "Final EHCP Issued",
                                "Exception Reason", "Weeks"]]
    rows = [
        ["C-001", "North", d("2024-01-08"), d("2024-05-20"), None, 19],
        ["C-002", "South", d("2024-02-15"), None, "Parental request", None],
        None,
        ["C-003", "North", d("2024-03-01"), d("2024-07-30"), None, 21.5],
        ["C-004", "South", d("2023-12-29"), d("2024-05-17"), None, 20],
    ]
    out = [title, header]
    for row in rows:
        if row is None:
            out.append([cell(None)])
            continue
        out.append([cell(v, "uk" if isinstance(v, tuple) else None) for v in row])
    lookup = [[cell("Team"), cell("Manager")], [cell("North"), cell("A. Patel")], [cell("South"), cell("B. Jones")]]
    return table("Cases", out) + table("Teams", lookup)


def merged():
    """Header cells merged across (B1:C1 "Dates") and down (A1:A2, D1:D2), over a second header row."""
    row1 = [cell("Case Ref", span=(1, 2)), cell("Dates", span=(2, 1)), COVERED, cell("Team", span=(1, 2))]
    row2 = [COVERED, cell("Received"), cell("Issued"), COVERED]
    data = [
        [cell("C-101"), cell(d("2024-01-05"), "uk"), cell(d("2024-06-01"), "uk"), cell("North")],
        [cell("C-102"), cell(d("2024-02-10"), "uk"), cell(None), cell("South")],
    ]
    return table("Merged", [row1, row2] + data)


def date_kinds():
    """The same days stored as date cells in several formats, as plain numbers and as text."""
    header = [cell(h) for h in ["Case Ref", "UK date", "ISO date", "Long date", "Date time", "Serial number",
                                "Text date", "Duration"]]
    rows = [
        ["D-1", "2024-01-08", "2024-01-08T14:30:00", 45299, "08/01/2024", 12.5],
        ["D-2", "1999-12-31", "1999-12-31T23:59:00", 36525, "31/12/1999", 3],
    ]
    out = [header]
    for ref, day, moment, serial, text, duration in rows:
        out.append([cell(ref), cell(d(day), "uk"), cell(d(day), "iso"), cell(d(day), "long"),
                    cell(d(moment), "uktime"), cell(serial), cell(text), cell(duration, "days")])
    return table("Dates", out)


def write_fods(directory):
    for name, body in [("cases", cases()), ("merged_headers", merged()), ("date_kinds", date_kinds())]:
        (directory / f"{name}.fods").write_text(FODS_HEAD + body + FODS_TAIL, encoding="utf-8")


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>
</Relationships>"""
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
# Style 0 General; 1 built-in date (14); 2 custom date with a locale and escaped spaces; 3 custom
# number whose quoted text has a "d"; 4 custom time (an "m" that means minutes).
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {NS}>
<numFmts count="3">
<numFmt numFmtId="164" formatCode="[$-809]dd\\ mmmm\\ yyyy;@"/>
<numFmt numFmtId="165" formatCode="0.0&quot; days&quot;"/>
<numFmt numFmtId="166" formatCode="h:mm"/>
</numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs>
</styleSheet>"""


def inline_strings_sheet():
    """Text written inline (`t="inlineStr"`), every other cell type, cells and rows without `r`,
    a row of blank cells, and date serials around 60, the 1900 leap day that never was."""
    def s(ref, text):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
    rows = [
        '<row r="1">' + s("A1", "Case Ref") + s("B1", "Received") + s("C1", "Flag") + s("D1", "Status")
        + s("E1", "Note") + s("F1", "Score") + s("G1", "Days") + s("H1", "Time") + "</row>",
        # Serial 59 is 1900-02-28 and 61 is 1900-03-01; 60 is Excel's 29 February 1900.
        '<row r="2">' + s("A2", "I-1") + '<c r="B2" s="1"><v>59</v></c><c r="C2" t="b"><v>1</v></c>'
        + '<c r="D2" t="e"><v>#N/A</v></c>'
        + '<c r="E2" t="inlineStr"><is><r><t>Rich</t></r><r><rPr><b/></rPr><t xml:space="preserve"> text</t></r>'
        + '<rPh sb="0" eb="1"><t>IGNORED</t></rPh></is></c>'
        + '<c r="F2"><v>7.25</v></c><c r="G2" s="3"><v>12</v></c><c r="H2" s="4"><v>0.5</v></c></row>',
        '<row r="3">' + s("A3", "I-2") + '<c r="B3" s="1"><v>60</v></c><c r="C3" t="b"><v>0</v></c>'
        + '<c r="D3" t="str"><f>CONCAT("o","k")</f><v>ok</v></c>'
        + '<c r="E3" t="inlineStr"><is><t>line_x000D_break</t></is></c></row>',
        # No r on the row nor its cells: they follow on from row 3, column A.
        "<row>" + '<c t="inlineStr"><is><t>I-3</t></is></c><c s="2"><v>61</v></c>'
        + '<c t="d"><v>2024-03-05T00:00:00</v></c></row>',
        # Cells with a style but no value, and an empty string: a row that looks empty, and is.
        '<row r="5"><c r="A5" s="1"/><c r="B5" t="inlineStr"><is><t></t></is></c></row>',
        '<row r="6">' + s("A6", "I-4") + '<c r="B6" s="1"><v>45292.75</v></c><c r="F6"><v>1E+3</v></c></row>',
    ]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS} {NS_R}>'
            f'<dimension ref="A1:H6"/><sheetData>{"".join(rows)}</sheetData>'
            '<conditionalFormatting sqref="A1:A2"><cfRule type="expression" priority="1"><formula>TRUE</formula>'
            "</cfRule></conditionalFormatting></worksheet>")


def date1904_sheet():
    """A 1904-system workbook written with an `x:` namespace prefix, as some export libraries do."""
    x = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet {x}><x:sheetData>'
            '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Case Ref</x:t></x:is></x:c>'
            '<x:c r="B1" t="inlineStr"><x:is><x:t>Received</x:t></x:is></x:c></x:row>'
            '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>M-1</x:t></x:is></x:c>'
            '<x:c r="B2" s="1"><x:v>0</x:v></x:c></x:row>'
            '<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>M-2</x:t></x:is></x:c>'
            '<x:c r="B3" s="1"><x:v>43830</x:v></x:c></x:row>'
            "</x:sheetData><x:mergeCells count=\"1\"><x:mergeCell ref=\"C1:D1\"/></x:mergeCells></x:worksheet>")


def workbook(sheet_name, date1904=False):
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {NS} {NS_R}>{pr}'
            f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>')


def write_zip(path, workbook_xml, sheet_xml):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("xl/workbook.xml", workbook_xml), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           ("xl/styles.xml", STYLES), ("xl/worksheets/sheet1.xml", sheet_xml)]:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 20, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)


def write_hand(directory):
    write_zip(directory / "inline_strings.xlsx", workbook("Inline"), inline_strings_sheet())
    write_zip(directory / "date1904.xlsx", workbook("Mac", date1904=True), date1904_sheet())


if __name__ == "__main__":
    kind, target = sys.argv[1], Path(sys.argv[2])
    {"fods": write_fods, "hand": write_hand}[kind](target)
