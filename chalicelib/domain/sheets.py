"""A plain list as a spreadsheet a finance officer opens: CSV with a byte-order mark (so Excel reads UTF-8), or
XLSX with a title row, a bold header, frozen panes and column widths. Used by the exports of lists (audit log,
orders); reports have their own layout (report_outputs)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

Cell = str | int | Decimal


class Sheet(NamedTuple):
    title: str  # the first row of the XLSX and the sheet's name (cut to Excel's 31 characters)
    caption: str  # the second row: filters, time of export
    header: tuple[str, ...]
    widths: tuple[int, ...]  # in characters, one per column
    rows: Sequence[Sequence[Cell]]


FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def to_csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.header)
    for row in sheet.rows:
        writer.writerow([_text(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheet: Sheet) -> bytes:
    import xlsxwriter  # only when a spreadsheet is asked for

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    title = book.add_format({"bold": True, "font_size": 14, "font_name": "宋体"})
    head = book.add_format({"bold": True, "border": 1, "bg_color": "#F2F2F2", "font_name": "宋体", "text_wrap": True})
    text = book.add_format({"border": 1, "font_name": "宋体", "text_wrap": True, "valign": "top"})
    integer = book.add_format({"border": 1, "num_format": "#,##0", "font_name": "宋体", "valign": "top"})
    money = book.add_format({"border": 1, "num_format": "#,##0.00", "font_name": "宋体", "valign": "top"})
    page = book.add_worksheet(sheet.title[:31])
    for col, width in enumerate(sheet.widths):
        page.set_column(col, col, width)
    page.write_string(0, 0, sheet.title, title)
    page.write_string(1, 0, sheet.caption)
    for col, name in enumerate(sheet.header):
        page.write_string(3, col, name, head)
    for r, row in enumerate(sheet.rows, start=4):
        for col, value in enumerate(row):
            if isinstance(value, Decimal):
                page.write_number(r, col, float(value), money)
            elif isinstance(value, int) and not isinstance(value, bool):
                page.write_number(r, col, value, integer)
            else:
                page.write_string(r, col, str(value), text)
    page.freeze_panes(4, 0)
    book.close()
    return buffer.getvalue()


def render(sheet: Sheet, fmt: str) -> bytes:
    return to_xlsx(sheet) if fmt == "xlsx" else to_csv(sheet)


def _text(cell: Cell) -> str:
    text = f"{cell:.2f}" if isinstance(cell, Decimal) else str(cell)
    # A cell starting with = + - @ is a formula to Excel (CSV injection): quote it as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
