"""Statistics reports and their compile jobs, and the open-data packages."""

from __future__ import annotations

from pydantic import Field

from chalicelib.schemas.responses.common import Actor, GoodCount, OpenShape


class OpenDataPackage(OpenShape):
    date: str
    releases: int
    key: str
    published: str
    url: str


class OpenDataCatalogue(OpenShape):
    format: str
    license: str
    items: list[OpenDataPackage]


class StoredFile(OpenShape):
    key: str = Field(description="报告文件在 S3 中的键")
    bytes: int = Field(ge=0)
    file_name: str
    label: str


class ReportFileKeys(OpenShape):
    json_: StoredFile = Field(alias="json")
    csv: StoredFile
    xlsx: StoredFile
    html: StoredFile
    pdf: StoredFile


class ReportHeadline(OpenShape):
    projects: int
    amount_fen: int
    savings_fen: int
    amount_yoy: str | None


class ReportSummary(OpenShape):
    """A compiled report in the list: its period, its headline figures and its files (S3 keys)."""

    scope: str
    scope_name: str
    period: str
    period_label: str
    kind: str
    compile_id: str
    compiled_at: str
    first: str
    last: str
    complete: bool
    files: ReportFileKeys
    totals: ReportHeadline


class ReportList(OpenShape):
    scope: str
    items: list[ReportSummary]


class ReportScope(OpenShape):
    kind: str
    id: str
    name: str
    whole_label: str


class ReportPeriod(OpenShape):
    text: str
    kind: str
    label: str
    first: str
    last: str
    complete: bool


class ReportTotals(OpenShape):
    projects: int
    amount_fen: int
    budget_fen: int
    savings_fen: int
    amount_yoy: str | None
    projects_yoy: str | None
    previous_projects: int
    previous_amount_fen: int
    imported_projects: int
    imported_amount_fen: int


class AreaRow(OpenShape):
    code: str = Field(description="区划代码或站点编码")
    name: str
    amount_fen: int
    amount_yoy: str | None = Field(description="成交金额同比（%），两位小数；上年为 0 时为 null")
    projects: int
    projects_yoy: str | None
    city_level: bool = Field(description="市本级")
    rank: int | None = Field(None, description="按成交金额的名次；市本级排在最后，不编号")


class AreaTable(OpenShape):
    kind: str = Field(description="district：按区划；site：按站点（全省报告）")
    rows: list[AreaRow]


class MethodColumn(OpenShape):
    method: str
    method_label: str
    mechanism: str
    mechanism_label: str


class MethodRow(OpenShape):
    scope: str = Field(description="全市、市本级")
    amount_fen: list[int] = Field(description="与 columns 一一对应的成交金额（分）")
    projects: list[int] = Field(description="与 columns 一一对应的项目数量")


class MethodTable(OpenShape):
    columns: list[MethodColumn]
    rows: list[MethodRow]


class CategoryRow(OpenShape):
    root: str = Field(description="A 货物、B 工程、C 服务")
    name: str
    projects: int
    amount_fen: int
    city_level_projects: int
    city_level_amount_fen: int


class CategoryTable(OpenShape):
    rows: list[CategoryRow]
    city_level: bool


class ScaleFigures(OpenShape):
    suppliers: int
    projects: int
    amount_fen: int


class ScaleRow(ScaleFigures):
    scale: str
    name: str


class ScaleTable(OpenShape):
    rows: list[ScaleRow]
    total: ScaleFigures


class RankedEntry(OpenShape):
    rank: int
    key: str = Field(description="品目编码或采购单位的统一社会信用代码")
    name: str
    projects: int
    amount_fen: int


class SmallMicroFigures(OpenShape):
    suppliers: int | None
    small_micro_suppliers: int | None
    suppliers_share: str | None
    private_share: str | None
    local_projects: int
    small_micro_projects: int
    projects_share: str | None


class MarketFigures(OpenShape):
    suppliers: int
    small_micro_suppliers: int
    listings: int
    private_suppliers: int


class ReportRatings(OpenShape):
    supplier: GoodCount
    mall: GoodCount
    buyer: GoodCount
    good_rate: str | None
    followups: int
    followups_closed: int
    followups_reached: int
    followup_satisfaction: str | None


class ReportNarrative(OpenShape):
    supermarket_share: str | None
    supermarket_share_change: str | None
    framework_share: str | None
    framework_growth: str | None
    batch_share: str | None
    batch_growth: str | None


class Report(OpenShape):
    """The compiled statistics of a site or the province for a period (the annual report's tables and its text)."""

    title: str
    scope: ReportScope
    period: ReportPeriod
    compiled_at: str
    totals: ReportTotals
    areas: AreaTable
    methods: MethodTable
    categories: CategoryTable
    scales: ScaleTable
    top_categories_by_amount: list[RankedEntry]
    top_categories_by_projects: list[RankedEntry]
    top_buyers: list[RankedEntry]
    small_micro: SmallMicroFigures
    market: MarketFigures | None = Field(description="入驻供应商与商品的统计；该期没有市场快照时为 null")
    ratings: ReportRatings
    narrative: ReportNarrative
    compile_id: str


class ReportFile(OpenShape):
    url: str
    file_name: str
    label: str
    bytes: int


class ReportDownloads(OpenShape):
    json_: ReportFile = Field(alias="json")
    csv: ReportFile
    xlsx: ReportFile
    html: ReportFile
    pdf: ReportFile


class ReportJobView(OpenShape):
    id: str
    scope: str
    period: str
    status: str
    progress: int
    step: str
    requested_by: Actor
    requested_at: str
    finished_at: str
    message: str
    compile_id: str
    version: int
    status_label: str


class ReportView(OpenShape):
    entry: ReportSummary
    report: Report
    downloads: ReportDownloads
    job: ReportJobView | None = Field(description="正在重新编制时的任务")
