"""A compiled report in the forms finance bureaus use: CSV, XLSX laid out like seed 000, printable HTML.

The JSON is the report itself (chalicelib.domain.reports). Here every table is
laid out as the seed prints it, with Chinese headers, 亿元 and 万元 with two
decimals (computed from fen with Decimal: a spreadsheet format cannot divide
by 10⁴) and percentages with two. xlsxwriter is imported only when a
workbook is written: it never loads on the API's path.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

FEN_PER_WAN = Decimal(1_000_000)
FEN_PER_YI = Decimal(10_000_000_000)
TWO = Decimal("0.01")
CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML_MIME = "text/html; charset=utf-8"
JSON_MIME = "application/json; charset=utf-8"


def yi(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YI).quantize(TWO, ROUND_HALF_UP)


def wan(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_WAN).quantize(TWO, ROUND_HALF_UP)


def percent(value: str | None) -> str:
    return "—" if value is None else f"{value}%"


class Table(NamedTuple):
    """One table as printed: a title, header rows (cells may span columns), body rows, units by column."""

    title: str
    header: list[list[tuple[str, int]]]  # rows of (text, columns spanned)
    rows: list[list[Any]]


def tables(report: dict[str, Any]) -> list[Table]:
    """Every table of the report, in the seed's order, with values already in the units it prints."""
    period = report["period"]["label"]
    name = report["scope"]["name"]
    whole = report["scope"]["whole_label"]
    t = report["totals"]
    found = [
        Table(
            f"{period}{name}网上商城交易总体情况",
            [
                [
                    ("项目数（个）", 1),
                    ("成交金额（亿元）", 1),
                    ("预算金额（亿元）", 1),
                    ("节约资金（亿元）", 1),
                    ("成交金额同比", 1),
                    ("项目数同比", 1),
                    ("其中历史导入项目（个）", 1),
                ]
            ],
            [
                [
                    t["projects"],
                    yi(t["amount_fen"]),
                    yi(t["budget_fen"]),
                    yi(t["savings_fen"]),
                    percent(t["amount_yoy"]),
                    percent(t["projects_yoy"]),
                    t["imported_projects"],
                ]
            ],
        )
    ]
    area_word = "站点" if report["areas"]["kind"] == "site" else "区划"
    found.append(
        Table(
            f"{period}{name}网上商城交易规模",
            [
                [
                    ("序号", 1),
                    (area_word, 1),
                    ("成交金额（亿元）", 1),
                    ("成交金额同比", 1),
                    ("项目数（个）", 1),
                    ("项目数同比", 1),
                ]
            ],
            [
                [
                    row.get("rank", ""),
                    row["name"],
                    yi(row["amount_fen"]),
                    percent(row["amount_yoy"]),
                    row["projects"],
                    percent(row["projects_yoy"]),
                ]
                for row in report["areas"]["rows"]
            ],
        )
    )
    columns = report["methods"]["columns"]
    spans: list[tuple[str, int]] = []
    for column in columns:
        if spans and spans[-1][0] == column["method_label"]:
            spans[-1] = (spans[-1][0], spans[-1][1] + 1)
        else:
            spans.append((column["method_label"], 1))
    method_rows = []
    for label, field, unit in (("成交金额（亿元）", "amount_fen", yi), ("项目数量（个）", "projects", None)):
        for row in report["methods"]["rows"]:
            values = [unit(v) if unit else v for v in row[field]]
            method_rows.append([label, row["scope"], *values])
    found.append(
        Table(
            f"{period}{name}网上商城采购方式",
            [
                [("采购方式", 2), *spans],
                [("价格形成机制", 2), *[(c["mechanism_label"], 1) for c in columns]],
            ],
            method_rows,
        )
    )
    city = report["categories"]["city_level"]
    category_header = [
        [("采购类别", 1), ("成交项目数量（个）", 2 if city else 1), ("成交金额（亿元）", 2 if city else 1)]
    ]
    if city:
        category_header.append([("", 1), (whole, 1), ("市本级", 1), (whole, 1), ("市本级", 1)])
    found.append(
        Table(
            f"{period}{name}网上商城采购类别",
            category_header,
            [
                [
                    r["name"],
                    r["projects"],
                    *([r["city_level_projects"]] if city else []),
                    yi(r["amount_fen"]),
                    *([yi(r["city_level_amount_fen"])] if city else []),
                ]
                for r in report["categories"]["rows"]
            ],
        )
    )
    scales = report["scales"]
    found.append(
        Table(
            f"{period}{name}网上商城企业规模（统计口径：所在地为{_locality(report)}）",
            [[("企业规模", 1), ("发生交易企业数量（家）", 1), ("项目数量（个）", 1), ("成交金额（亿元）", 1)]],
            [[r["name"], r["suppliers"], r["projects"], yi(r["amount_fen"])] for r in scales["rows"]]
            + [["合 计", scales["total"]["suppliers"], scales["total"]["projects"], yi(scales["total"]["amount_fen"])]],
        )
    )
    for title, key, who in (
        ("采购规模排名（末级品目前 10 位）", "top_categories_by_amount", "品目名称"),
        ("成交项目数量排名（末级品目前 10 位）", "top_categories_by_projects", "品目名称"),
        ("采购人采购规模排名（采购金额前 10 位）", "top_buyers", "采购单位名称"),
    ):
        found.append(
            Table(
                f"{period}{name}网上商城{title}",
                [[("序号", 1), (who, 1), ("项目数量（个）", 1), ("成交金额（万元）", 1)]],
                [[r["rank"], r["name"], r["projects"], wan(r["amount_fen"])] for r in report[key]],
            )
        )
    sme, ratings = report["small_micro"], report["ratings"]
    found.append(
        Table(
            f"{period}{name}网上商城供应商、商品与评价",
            [[("指标", 1), ("数值", 1)]],
            [
                ["入驻供应商（家）", _or_dash(sme["suppliers"])],
                ["其中小微企业（家）", _or_dash(sme["small_micro_suppliers"])],
                ["小微企业占入驻供应商比例", percent(sme["suppliers_share"])],
                ["民营企业占入驻供应商比例", percent(sme.get("private_share"))],
                ["小微企业成交项目（个）", sme["small_micro_projects"]],
                ["小微企业成交项目占比（本地供应商）", percent(sme["projects_share"])],
                ["在售商品（款）", _or_dash((report.get("market") or {}).get("listings"))],
                ["采购人对供应商好评（条）", ratings["supplier"]["good"]],
                ["采购人对商城好评（条）", ratings["mall"]["good"]],
                ["好评率", percent(ratings["good_rate"])],
                ["中差评回访（次）", ratings["followups"]],
                ["已完成回访（次）", ratings["followups_closed"]],
                ["回访满意率", percent(ratings.get("followup_satisfaction"))],
            ],
        )
    )
    return found


def _locality(report: dict[str, Any]) -> str:
    return "山东省" if report["scope"]["kind"] == "province" else str(report["scope"]["name"])


def _or_dash(value: Any) -> Any:
    return "—" if value is None else value


def narrative(report: dict[str, Any]) -> list[str]:
    """The seed's 分析说明 figures, filled in from the report (no figure without its source in the tables)."""
    t, n = report["totals"], report["narrative"]
    name, period = report["scope"]["name"], report["period"]["label"]
    lines = [
        f"{period}，{name}网上商城完成项目 {t['projects']} 个，成交金额 {yi(t['amount_fen'])} 亿元，"
        f"节约资金 {yi(t['savings_fen'])} 亿元；成交金额同比 {_signed(t['amount_yoy'])}，"
        f"项目数同比 {_signed(t['projects_yoy'])}。",
        f"其中，网上超市占比 {percent(n['supermarket_share'])}，同比{_change(n['supermarket_share_change'])}；"
        f"框架协议采购占比 {percent(n['framework_share'])}，同比{_growth(n['framework_growth'])}；"
        f"批量集采占比 {percent(n['batch_share'])}，同比{_growth(n['batch_growth'])}。",
    ]
    sme = report["small_micro"]
    if sme["projects_share"] is not None:
        lines.append(
            f"本地供应商中，小微企业成交项目 {sme['small_micro_projects']} 个，占 {percent(sme['projects_share'])}"
            + (f"；入驻供应商中小微企业占 {percent(sme['suppliers_share'])}。" if sme["suppliers_share"] else "。")
        )
    r = report["ratings"]
    lines.append(
        f"采购人对供应商的好评 {r['supplier']['good']} 条、对商城的好评 {r['mall']['good']} 条，"
        f"好评率 {percent(r['good_rate'])}；"
        f"中差评回访 {r['followups']} 次，已完成 {r['followups_closed']} 次"
        + (f"，回访满意率 {percent(r['followup_satisfaction'])}。" if r.get("followup_satisfaction") else "。")
    )
    if t["imported_projects"]:
        lines.append(f"以上含旧版商城历史导入项目 {t['imported_projects']} 个、{yi(t['imported_amount_fen'])} 亿元。")
    return lines


def _signed(value: str | None) -> str:
    return "无上年同期数据" if value is None else f"{value}%"


def _change(value: str | None) -> str:
    if value is None:
        return "无上年同期数据"
    return f"减少 {value.lstrip('-')} 个百分点" if value.startswith("-") else f"增加 {value} 个百分点"


def _growth(value: str | None) -> str:
    if value is None:
        return "无上年同期数据"
    return f"下降 {value.lstrip('-')}%" if value.startswith("-") else f"增长 {value}%"


# ---------------------------------------------------------------- CSV


def to_csv(report: dict[str, Any]) -> bytes:
    """Every table one after another, each under its title, in UTF-8 with a BOM so Excel reads the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([report["title"]])
    writer.writerow(
        [f"统计期间：{report['period']['first']} 至 {report['period']['last']}", f"编制时间：{report['compiled_at']}"]
    )
    for table in tables(report):
        writer.writerow([])
        writer.writerow([table.title])
        for header in table.header:
            cells: list[str] = []
            for text, span in header:
                cells.extend([text] + [""] * (span - 1))
            writer.writerow(cells)
        for row in table.rows:
            writer.writerow([_cell_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell_text(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


# ---------------------------------------------------------------- XLSX


def to_xlsx(report: dict[str, Any]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 14, "align": "center", "font_name": "宋体"})
    caption = book.add_format({"bold": True, "font_size": 12, "font_name": "宋体"})
    head = book.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#F2F2F2",
            "font_name": "宋体",
        }
    )
    text = book.add_format({"border": 1, "font_name": "宋体"})
    integer = book.add_format({"border": 1, "num_format": "#,##0", "font_name": "宋体"})
    money = book.add_format({"border": 1, "num_format": "#,##0.00", "font_name": "宋体"})
    sheet = book.add_worksheet("统计报告")
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 12, 14)
    every = tables(report)
    width = max(sum(span for _t, span in table.header[0]) for table in every)
    sheet.merge_range(0, 0, 0, width - 1, report["title"], title)
    sheet.write(
        1, 0, f"统计期间：{report['period']['first']} 至 {report['period']['last']}；编制时间：{report['compiled_at']}"
    )
    row = 3
    for table in every:
        sheet.write(row, 0, table.title, caption)
        row += 1
        row = _xlsx_header(sheet, row, table.header, head)
        for values in table.rows:
            for col, value in enumerate(values):
                if isinstance(value, Decimal):
                    sheet.write_number(row, col, float(value), money)
                elif isinstance(value, int) and not isinstance(value, bool):
                    sheet.write_number(row, col, value, integer)
                else:
                    sheet.write_string(row, col, str(value), text)
            row += 1
        row += 1
    notes = book.add_worksheet("分析说明")
    notes.set_column(0, 0, 120)
    for i, line in enumerate(narrative(report)):
        notes.write_string(i, 0, line)
    book.close()
    return buffer.getvalue()


def _xlsx_header(sheet: Any, row: int, header: list[list[tuple[str, int]]], head: Any) -> int:
    """Header rows with merged cells: a cell spanning columns merges across; an empty cell under a
    cell merges down (the seed's method table: 采购方式 over 价格形成机制)."""
    taken: set[tuple[int, int]] = set()
    for offset, cells in enumerate(header):
        col = 0
        for text, span in cells:
            start, col = col, col + span
            if (row + offset, start) in taken:
                continue  # under a cell merged down from above
            depth = len(header) if offset == 0 and len(header) > 1 and span == 1 and _blank_below(header, start) else 1
            last_row, last_col = row + offset + depth - 1, start + span - 1
            if (last_row, last_col) != (row + offset, start):
                sheet.merge_range(row + offset, start, last_row, last_col, text, head)
            else:
                sheet.write_string(row + offset, start, text, head)
            for r in range(row + offset, last_row + 1):
                for c in range(start, last_col + 1):
                    taken.add((r, c))
    return row + len(header)


def _blank_below(header: list[list[tuple[str, int]]], col: int) -> bool:
    cells = header[1]
    position = 0
    for text, span in cells:
        if position == col:
            return text == ""
        position += span
    return False


# ---------------------------------------------------------------- printable HTML


def _bar_chart(title: str, items: Iterable[tuple[str, Decimal]], unit: str) -> str:
    """A horizontal bar chart as inline SVG: text stays text, so the reader's Chinese fonts draw it."""
    items = list(items)
    if not items:
        return ""
    top = max((value for _n, value in items), default=Decimal(0)) or Decimal(1)
    row_h, label_w, bar_w = 26, 130, 380
    height = 40 + row_h * len(items)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{html.escape(title)}" '
        f'width="{label_w + bar_w + 110}" height="{height}" font-size="13">',
        f'<text x="0" y="18" font-weight="bold">{html.escape(title)}（{unit}）</text>',
    ]
    for i, (name, value) in enumerate(items):
        y = 34 + i * row_h
        length = int(bar_w * (value / top)) if value > 0 else 0
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{html.escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{length}" height="18" fill="#c0392b"/>')
        parts.append(f'<text x="{label_w + length + 6}" y="{y + 14}">{value:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def to_html(report: dict[str, Any]) -> bytes:
    body = [
        f"<h1>{html.escape(report['title'])}</h1>",
        f'<p class="meta">统计期间：{report["period"]["first"]} 至 {report["period"]["last"]}'
        f"{'' if report['period']['complete'] else '（期间未结束，数据截至该日）'}"
        f"；编制时间：{html.escape(report['compiled_at'])}</p>",
        "<h2>一、总体情况</h2>",
    ]
    body.extend(f"<p>{html.escape(line)}</p>" for line in narrative(report))
    body.append("<h2>二、数据统计</h2>")
    body.append(
        _bar_chart(
            "成交金额（按区划）" if report["areas"]["kind"] == "district" else "成交金额（按站点）",
            ((r["name"], yi(r["amount_fen"])) for r in report["areas"]["rows"]),
            "亿元",
        )
    )
    columns = report["methods"]["columns"]
    whole = report["methods"]["rows"][0] if report["methods"]["rows"] else None
    if whole:
        body.append(
            _bar_chart(
                "成交金额（按价格形成机制）",
                ((c["mechanism_label"], yi(v)) for c, v in zip(columns, whole["amount_fen"], strict=True)),
                "亿元",
            )
        )
    for table in tables(report):
        body.append(_html_table(table))
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(report["title"])}</title>
<style>
@page {{ size: A4; margin: 18mm 15mm;
  @bottom-center {{ content: "第 " counter(page) " 页，共 " counter(pages) " 页"; }} }}
body {{ font-family: "Noto Serif CJK SC", "SimSun", "宋体", serif; font-size: 14px; color: #222; }}
h1 {{ text-align: center; font-size: 20px; }} h2 {{ font-size: 16px; margin-top: 24px; }}
table {{ border-collapse: collapse; margin: 8px 0 18px; page-break-inside: avoid; }}
caption {{ font-weight: bold; text-align: left; padding: 4px 0; }}
th, td {{ border: 1px solid #888; padding: 3px 8px; }} th {{ background: #f2f2f2; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }} .meta {{ color: #555; }}
svg {{ display: block; margin: 8px 0; }}
</style></head><body>
{"".join(body)}
</body></html>
"""
    return page.encode("utf-8")


def _html_table(table: Table) -> str:
    rows = [f"<table><caption>{html.escape(table.title)}</caption><thead>"]
    covered: set[int] = set()
    for offset, cells in enumerate(table.header):
        rows.append("<tr>")
        for text, span in cells:
            if offset and text == "" and 0 in covered:
                continue
            depth = (
                len(table.header)
                if offset == 0 and len(table.header) > 1 and span == 1 and text in ("采购类别",)
                else 1
            )
            if depth > 1:
                covered.add(0)
            attrs = (f' colspan="{span}"' if span > 1 else "") + (f' rowspan="{depth}"' if depth > 1 else "")
            rows.append(f"<th{attrs}>{html.escape(text)}</th>")
        rows.append("</tr>")
    rows.append("</thead><tbody>")
    for values in table.rows:
        rows.append("<tr>" + "".join(_html_cell(v) for v in values) + "</tr>")
    rows.append("</tbody></table>")
    return "".join(rows)


def _html_cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return f'<td class="n">{value:,.2f}</td>'
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<td class="n">{value:,}</td>'
    return f"<td>{html.escape(str(value))}</td>"
