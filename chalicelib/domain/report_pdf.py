"""The report as a PDF for archiving: A4, seed 000's tables, a chart, the narrative, page numbers.

ReportLab (from the reports layer, infra/layers/reports.txt) draws it with the built-in CID font STSong-Light,
so the function carries no font file; a PDF reader supplies the glyphs (the font is referenced, not embedded).
Imported only when a PDF is written: never on the API's path.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from chalicelib.domain.report_outputs import Table, narrative, tables, yi

FONT = "STSong-Light"


def _table_flowable(table: Table, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table as PdfTable

    data: list[list[str]] = []
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    columns = max(sum(span for _t, span in row) for row in table.header)
    taken: set[tuple[int, int]] = set()
    for r, cells in enumerate(table.header):
        row = [""] * columns
        col = 0
        for text, span in cells:
            start, col = col, col + span
            if (r, start) in taken:
                continue
            row[start] = text
            down = (
                len(table.header) - 1
                if r == 0 and len(table.header) > 1 and span == 1 and _blank_below(table, start)
                else 0
            )
            if span > 1 or down:
                spans.append(("SPAN", (start, r), (start + span - 1, r + down)))
                taken.update((rr, c) for rr in range(r, r + down + 1) for c in range(start, start + span))
        data.append(row)
    for values in table.rows:
        data.append(
            [f"{v:,.2f}" if isinstance(v, Decimal) else str(v) for v in values] + [""] * (columns - len(values))
        )
    heads = len(table.header)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, heads - 1), colors.HexColor("#F2F2F2")),
        ("ALIGN", (0, 0), (-1, heads - 1), "CENTER"),
        ("ALIGN", (1, heads), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *spans,
    ]
    flowable = PdfTable(data, colWidths=[width / columns] * columns, repeatRows=heads)
    flowable.setStyle(style)
    return flowable


def _blank_below(table: Table, col: int) -> bool:
    position = 0
    for text, span in table.header[1]:
        if position == col:
            return text == ""
        position += span
    return False


def _chart(report: dict[str, Any], width: float) -> Any:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    rows = list(reversed(report["areas"]["rows"]))
    height = 40 + 16 * max(len(rows), 1)
    drawing = Drawing(width, height)
    word = "站点" if report["areas"]["kind"] == "site" else "区划"
    drawing.add(String(0, height - 12, f"成交金额（按{word}，万元）", fontName=FONT, fontSize=10))
    if not rows:
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 70, 10, width - 120, height - 35
    chart.data = [[float(r["amount_fen"]) / 1_000_000 for r in rows]]
    chart.categoryAxis.categoryNames = [r["name"] for r in rows]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#C0392B")
    drawing.add(chart)
    return drawing


def to_pdf(report: dict[str, Any]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("title", fontName=FONT, fontSize=15, leading=22, alignment=1, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=16, firstLineIndent=20)
    caption = ParagraphStyle("caption", fontName=FONT, fontSize=9.5, leading=14, spaceBefore=6, spaceAfter=3)
    buffer = io.BytesIO()
    span = f"{report['period']['first']} 至 {report['period']['last']}"
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=report["title"], author="云采商城", subject=f"统计期间 {span}",
    )  # fmt: skip
    width = doc.width
    story: list[Any] = [
        Paragraph(report["title"], title),
        Paragraph(
            f"统计期间：{report['period']['first']} 至 {report['period']['last']}；编制时间：{report['compiled_at']}",
            caption,
        ),
        Paragraph("一、总体情况", heading),
        *[Paragraph(line, body) for line in narrative(report)],
        Paragraph("二、数据统计", heading),
        _chart(report, width),
    ]
    for table in tables(report):
        story.append(KeepTogether([Paragraph(table.title, caption), _table_flowable(table, width)]))
    story.append(Spacer(1, 6))
    story.append(Paragraph(f"成交金额合计 {yi(report['totals']['amount_fen'])} 亿元。金额单位见各表表头。", caption))

    def number_pages(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8.5)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=number_pages, onLaterPages=number_pages)
    return buffer.getvalue()
