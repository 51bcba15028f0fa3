"""The words a user reads for the codes the mall stores: objects, actions, fields and their values.

One source: the server sends each label with the code (the audit log, validation errors), so that no screen
shows `listing`, `order.followup_closed` or `per_order_cap_fen`, and the web client keeps no second table.
A code without a label here is a defect: tests/unit/test_labels.py holds every action and field the mall
writes against this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from chalicelib.domain.alerts import RULE_WORDS, AlertStatus
from chalicelib.domain.audit import AuditFilter
from chalicelib.domain.batches import BatchStatus
from chalicelib.domain.bulletins import BulletinKind, BulletinStatus
from chalicelib.domain.clock import CHINA_TZ, parse_iso
from chalicelib.domain.competitions import Kind as CompetitionKind
from chalicelib.domain.competitions import Status as CompetitionStatus
from chalicelib.domain.complaints import ComplaintStatus
from chalicelib.domain.credit import EntryStatus
from chalicelib.domain.designated import DesignationStatus
from chalicelib.domain.frameworks import AgreementStatus
from chalicelib.domain.inspections import CampaignStatus, FindingStatus
from chalicelib.domain.listings import CertificateKind, ListingStatus
from chalicelib.domain.money import format_wan, format_yuan
from chalicelib.domain.orders import OrderStatus, TerminationStatus
from chalicelib.domain.plans import PlanMethod, PlanSource, PlanStatus
from chalicelib.domain.principals import Role
from chalicelib.domain.purchase import BuyingMode, Mechanism, SourceKind
from chalicelib.domain.ratings import RatingTarget
from chalicelib.domain.service_desk import TicketStatus
from chalicelib.domain.sheets import Sheet
from chalicelib.domain.site_admin import ChangeKind, ChangeStatus
from chalicelib.domain.sites import DistrictKind, PurchaseMethod
from chalicelib.domain.sme import Scale
from chalicelib.domain.suppliers import DocumentKind, Ownership, SupplierStatus

EXPORT_MAX_ROWS = 5000
UNLABELLED = "其他"

ENTITY_LABELS: dict[str, str] = {
    "site": "站点配置",
    "site_change": "预约修改",
    "buyer_org": "采购单位",
    "supplier": "供应商",
    "user": "用户账号",
    "listing": "商品",
    "product": "商品",
    "order": "订单",
    "plan": "采购计划",
    "competition": "竞价/反拍项目",
    "report": "统计报表",
    "history_import": "历史数据导入",
    "notice": "站内信",
    "bulletin": "公告",
    "agreement": "框架协议",
    "batch": "批量采购",
    "designation": "定点采购",
    "pavilion": "特色场馆",
    "inspection": "巡检",
    "finding": "巡检问题",
    "credit_entry": "信用记录",
    "credit_rules": "信用规则",
    "alert": "动态预警",
    "alert_rules": "预警阈值",
    "complaint": "投诉举报",
    "ticket": "咨询服务",
    "system": "系统",
}

ACTION_LABELS: dict[str, str] = {
    # 站点
    "site.created": "创建站点",
    "site.limits.changed": "修改采购限额",
    "site.limits.scheduled": "预约修改采购限额",
    "site.limits.schedule_cancelled": "撤销采购限额预约修改",
    "site.methods.changed": "修改采购方式",
    "site.methods.scheduled": "预约修改采购方式",
    "site.methods.schedule_cancelled": "撤销采购方式预约修改",
    "site.bidding.changed": "修改竞价与反拍规则",
    "site.bidding.scheduled": "预约修改竞价与反拍规则",
    "site.bidding.schedule_cancelled": "撤销竞价与反拍规则预约修改",
    "site.seeded": "初始化站点配置",
    # 采购单位
    "buyer_org.created": "新增采购单位",
    "buyer_org.seeded": "初始化采购单位",
    "buyer_org.synced": "同步采购单位",
    "buyer_org.updated": "修改采购单位",
    # 供应商
    "supplier.registered": "供应商注册",
    "supplier.profile_updated": "修改企业信息",
    "supplier.resubmitted": "重新提交入驻审核",
    "supplier.document_added": "上传资质文件",
    "supplier.document_removed": "删除资质文件",
    "supplier.approved": "供应商审核通过",
    "supplier.change_requested": "提交资料变更",
    "supplier.change_approved": "资料变更审核通过",
    "supplier.change_rejected": "驳回资料变更",
    "supplier.rejected": "供应商审核驳回",
    "supplier.suspended": "全省暂停供应商",
    "supplier.expelled": "清退供应商",
    "supplier.reinstated": "恢复供应商",
    "supplier.site_suspended": "暂停本站交易",
    "supplier.site_reinstated": "恢复本站交易",
    # 商品
    "listing.created": "发布商品",
    "listing.edited": "修改商品",
    "listing.price_changed": "调整价格",
    "listing.stock_changed": "调整库存",
    "listing.withdrawn": "供应商下架商品",
    "listing.resubmitted": "重新提交商品审核",
    "listing.approved": "商品审核通过",
    "listing.rejected": "商品审核驳回",
    "listing.delisted": "采购中心下架商品",
    "listing.imported": "迁移旧商城商品",
    # 采购计划
    "plan.received": "接收备案平台推送的计划",
    "plan.created": "自建采购计划",
    "plan.accepted": "接收采购计划",
    "plan.returned": "退回采购计划",
    # 订单
    "order.placed": "下单",
    "order.confirmed": "供应商确认订单",
    "order.declined": "供应商拒单",
    "order.cancelled": "采购人撤销订单",
    "order.shipped": "供应商发货",
    "order.accepted": "采购人验收",
    "order.delivery_rejected": "验收不合格退回",
    "order.settled": "结算",
    "order.termination_requested": "申请终止订单",
    "order.termination_rejected": "驳回终止申请",
    "order.terminated": "终止订单",
    "order.rated.supplier": "评价供应商",
    "order.rated.buyer": "评价采购人",
    "order.rated.mall": "评价商城服务",
    "order.followup_closed": "差评回访办结",
    # 竞价 / 反拍
    "competition.launched": "发起项目",
    "competition.cancelled": "撤销项目",
    "competition.closed": "截止报价",
    "competition.failed": "项目失败",
    "competition.awarded": "确定成交供应商",
    "competition.recorded": "生成项目记录",
    "competition.deadline_moved": "调整截止时间",
    "quote.submitted": "提交报价",
    "quote.revised": "修改报价",
    "bid.placed": "出价",
    "evaluation.submitted": "提交评审结果",
    "evaluation.approved": "评审结果审核通过",
    "evaluation.returned": "退回评审结果",
    "award.offered": "通知成交供应商",
    "award.confirmed": "成交供应商确认",
    "timer.rearmed": "重新设置截止计时",
    # 账号
    "user.password_changed": "修改登录密码",
    "user.password_reset": "重置登录密码",
    "user.created": "开通账号",
    "user.disabled": "停用账号",
    "user.enabled": "启用账号",
    # 统计与导入
    "report.requested": "申请编制报表",
    "report.compiled": "报表编制完成",
    "report.failed": "报表编制失败",
    "history.imported": "导入历史成交数据",
    # 首页公告、培训资料、常见问题
    "bulletin.published": "发布公告",
    "bulletin.updated": "修改公告",
    "bulletin.withdrawn": "撤回公告",
    # 框架协议
    "agreement.created": "录入框架协议",
    "agreement.revised": "更新框架协议",
    "agreement.suspended": "暂停框架协议",
    "agreement.resumed": "恢复框架协议",
    "agreement.terminated": "终止框架协议",
    "agreement.member_suspended": "暂停入围供应商",
    "agreement.member_resumed": "恢复入围供应商",
    # 批量采购
    "batch.opened": "发起批量采购",
    "batch.joined": "报名批量采购",
    "batch.offered": "提交优惠率",
    "batch.offer_revised": "修改优惠率",
    "batch.joining_closed": "报名截止",
    "batch.awarded": "批量采购成交",
    "batch.failed": "批量采购未成交",
    "batch.cancelled": "撤销批量采购",
    "batch.entry_settled": "报名结果",
    # 定点采购
    "designation.created": "确定定点供应商",
    "designation.suspended": "暂停定点",
    "designation.resumed": "恢复定点",
    "designation.terminated": "终止定点",
    # 特色场馆
    "pavilion.created": "开设特色场馆",
    "pavilion.revised": "修改特色场馆",
    "listing.pavilions_changed": "调整商品所在场馆",
    "listing.blocked_above_cap": "高于入围限价自动下架",
    # 巡检
    "inspection.opened": "发起巡检",
    "inspection.prechecked": "巡检预检完成",
    "inspection.closed": "结束巡检",
    "finding.recorded": "登记巡检问题",
    "finding.corrected": "提交整改",
    "finding.close": "确认整改完成",
    "finding.return": "退回整改",
    "finding.delist": "巡检下架",
    "finding.overdue": "逾期未整改下架",
    "finding.escalated": "转信用处理",
    # 信用
    "credit.proposed": "拟给予信用处理",
    "credit.stated": "供应商申辩",
    "credit.upheld": "信用处理生效",
    "credit.withdrawn": "撤销信用处理",
    "credit.rules_revised": "修订信用规则",
    # 动态预警
    "alert.raised": "产生预警",
    "alert.acknowledge": "确认预警",
    "alert.dismiss": "排除预警",
    "alert.finding": "预警立案",
    "alert.rules_changed": "修改预警阈值",
    # 投诉举报
    "complaint.filed": "提出投诉举报",
    "complaint.answered": "被投诉方答复",
    "complaint.answer_overdue": "逾期未答复",
    "complaint.withdrawn": "撤回投诉",
    "complaint.decided": "投诉处理决定",
    # 咨询服务
    "ticket.asked": "在线咨询",
    "ticket.call_logged": "登记热线来电",
    "ticket.answered": "答复咨询",
    "ticket.to_faq": "加入常见问题",
}

FIELD_LABELS: dict[str, str] = {
    # 通用
    "status": "状态",
    "reason": "原因",
    "note": "备注",
    "until": "截止时间",
    "version": "版本",
    "name": "名称",
    "kind": "类型",
    "code": "代码",
    "value": "取值",
    "label": "名称",
    "title": "标题",
    "effective_date": "生效日期",
    "created_at": "创建时间",
    "updated_at": "更新时间",
    "expected_version": "期望版本",
    "limit": "每页条数",
    "cursor": "分页位置",
    "q": "搜索关键词",
    "sort": "排序方式",
    "scope": "范围",
    "ids": "编号列表",
    "site_id": "站点",
    "first_day": "起始日期",
    "last_day": "截止日期",
    "format": "文件格式",
    "actor": "操作人",
    "entity_type": "对象类型",
    "entity_id": "对象编号",
    "action": "操作",
    # 站点配置
    "per_order_cap_fen": "单笔订单限额",
    "per_plan_cap_fen": "单个采购计划限额",
    "annual_category_cap_fen": "单品目年度累计限额",
    "methods": "采购方式",
    "bidding_min_suppliers": "竞价最少响应供应商数",
    "bidding_response_hours": "竞价默认响应时长（小时）",
    "winner_confirm_working_days": "成交确认期限（工作日）",
    "bidding_min_response_minutes": "最短响应时长（分钟）",
    "bidding_max_response_hours": "最长响应时长（小时）",
    "bidding_draw_min": "邀请抽取最少家数",
    "direct_after_failure": "失败后可转直购",
    "sme_deduction_bp": "中小企业价格扣除比例",
    "auction_minutes": "反拍时长（分钟）",
    "auction_extension_window_minutes": "延时触发窗口（分钟）",
    "auction_extension_minutes": "每次延时（分钟）",
    "auction_min_step_bp": "最小降价幅度",
    "auction_max_step_bp": "最大降价幅度",
    "framework_end_margin_days": "框架协议到期前停止受理（天）",
    "payload": "修改内容",
    "change_id": "预约修改编号",
    # 单位与账号
    "uscc": "统一社会信用代码",
    "org_id": "单位统一社会信用代码",
    "org_name": "单位名称",
    "district": "所属区划",
    "district_name": "区划名称",
    "division_code": "行政区划代码",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "username": "用户名",
    "password": "密码",
    "old_password": "原密码",
    "org_uscc": "采购单位统一社会信用代码",
    "unread": "仅未读",
    "approve": "是否同意",
    "enabled": "启用",
    "new_password": "新密码",
    "alias": "别名",
    # 供应商
    "legal_representative": "法定代表人",
    "registered_address": "注册地址",
    "home_district": "注册所在区划",
    "ownership": "所有制",
    "scale": "企业规模",
    "declaration": "划型声明",
    "industry": "所属行业",
    "employees": "从业人员",
    "revenue_fen": "营业收入",
    "assets_fen": "资产总额",
    "contact": "联系人信息",
    "phone": "电话",
    "email": "电子邮箱",
    "doc_id": "文件编号",
    "file_name": "文件名",
    "content_type": "文件类型",
    "size": "文件大小（字节）",
    "suspended_in_site": "本站暂停交易",
    "decision": "审核结论",
    # 商品
    "category_id": "商城品目",
    "category_name": "商城品目",
    "catalog_code": "目录品目代码",
    "catalog_name": "目录品目",
    "brand": "品牌",
    "model": "型号",
    "specs": "规格参数",
    "spec": "规格",
    "price_fen": "价格",
    "reference_price_fen": "参考价",
    "reference_source": "参考价来源",
    "stock": "库存",
    "sales": "销量",
    "delivery_districts": "配送区划",
    "images": "商品图片",
    "certificates": "节能环保认证",
    "number": "编号",
    "expires_on": "有效期至",
    "min_price_fen": "最低价",
    "max_price_fen": "最高价",
    "category": "品目",
    "listing_id": "商品编号",
    # 计划
    "plan_no": "计划编号",
    "business_year": "业务年度",
    "business_month": "业务月份",
    "purchase_method": "采购方式",
    "budget_category": "预算品目",
    "amount_fen": "金额",
    "planned_date": "计划采购日期",
    "deadline_date": "截止日期",
    "funding_department": "资金归口处室",
    "funds": "资金来源",
    "general_budget": "一般公共预算",
    "self_raised": "自筹资金",
    "line": "计划明细",
    "item_name": "品目名称",
    "quantity": "数量",
    "unit": "计量单位",
    "unit_price_fen": "单价",
    "buyer": "采购人",
    "committed_fen": "已占用金额",
    "spent_fen": "已使用金额",
    "level2_code": "二级品目",
    # 订单
    "order_no": "订单编号",
    "supplier_uscc": "供应商统一社会信用代码",
    "lines": "订单明细",
    "delivery": "收货信息",
    "address": "收货地址",
    "expected_date": "期望送达日期",
    "termination": "终止申请",
    "total_fen": "订单金额",
    "paid_fen": "付款金额",
    "paid_on": "付款日期",
    "voucher_no": "付款凭证号",
    "findings": "验收意见",
    "shipment": "发货信息",
    "carrier": "承运物流公司",
    "waybill_no": "运单号",
    "delivery_note": "交付说明",
    "acceptance": "验收结果",
    "acceptances": "验收记录",
    "result": "验收结论",
    "opinion": "验收意见",
    "attachments": "附件",
    "passed": "合格",
    "target": "评价对象",
    "stars": "星级",
    "comment": "评语",
    "responsive": "响应及时",
    "technical": "技术服务",
    # 竞价 / 反拍
    "ceiling_fen": "最高限价",
    "starts_at": "开始时间",
    "end_at": "截止时间",
    "step_bp": "降价幅度",
    "draw_size": "抽取家数",
    "custom": "自定义",
    # 订单与项目的存档字段
    "id": "编号",
    "at": "时间",
    "key": "记录键",
    "created_by": "创建人",
    "limits": "采购限额",
    "supplier": "供应商",
    "status_reason": "状态说明",
    "year": "预算年度",
    "acceptance_note": "验收意见",
    "payment_voucher": "付款凭证",
    "voucher": "付款凭证号",
    "milestones": "进度节点",
    "method": "采购方式",
    "mechanism": "成交方式",
    "source": "订单来源",
    "refs": "来源编号",
    "budget_fen": "预算金额",
    "balance_fen": "可用余额",
    "return_reason": "退回原因",
    "buyer_uscc": "采购单位统一社会信用代码",
    "buyer_name": "采购单位",
    "buyer_user": "经办人账号",
    "buyer_district": "采购单位区划",
    "item": "采购标的",
    "reserved_fen": "预留金额",
    "invitation": "邀请范围",
    "mode": "邀请方式",
    "pool": "邀请供应商",
    "rule": "项目规则",
    "min_suppliers": "最少响应供应商数",
    "confirm_working_days": "成交确认期限（工作日）",
    "generation": "轮次",
    "best_total_fen": "当前最低报价",
    "best_by": "当前最低报价供应商",
    "bids": "出价次数",
    "offers": "成交候选",
    "outcome": "结果",
    "close_digest": "截止摘要",
    "record_key": "项目记录文件",
    "record_digest": "项目记录摘要",
    "record_entry": "记录条目",
    "relaunched_from": "由原项目重新发起",
    "relaunched_as": "重新发起为",
    "evaluation_note": "评审意见",
    "revision": "修订次数",
    "commitment": "报价封存摘要",
    "user": "经办人账号",
    "requested_at": "申请时间",
    "decided_at": "处理时间",
    "pending_confirmation": "下单",
    "confirmed": "确认",
    "shipped": "发货",
    "accepted": "验收",
    "settled": "结算",
    "declined": "拒单",
    "cancelled": "撤销",
    "terminated": "终止",
    "government_fund": "政府性基金",
    "state_capital": "国有资本经营预算",
    "fiscal_special": "财政专户资金",
    "seed": "抽取种子",
    "invited": "受邀供应商",
    "step_fen": "降价幅度（金额）",
    "extension_window_s": "延时触发窗口（秒）",
    "extension_s": "每次延时（秒）",
    "data": "内容",
    "supplier_name": "供应商名称",
    "file": "导入文件",
    "batch": "导入批次",
    "imported": "新导入",
    "unchanged": "未变化",
    "skipped": "跳过",
    "first": "最早成交日期",
    "last": "最晚成交日期",
    # 结算
    "groups": "结算分组",
    "page": "页码",
    # 商品
    "lead_days": "交货期（天）",
    "warranty": "质保期",
    "after_sales": "售后服务",
    "description": "商品介绍",
    # 公告
    "body": "正文",
    "pinned": "置顶",
    "link": "链接",
    "include_withdrawn": "含已撤回",
    "files": "附件",
    # 框架协议
    "agency": "第一阶段组织机构",
    "cap_fen": "入围限价（分）",
    "catalog_codes": "协议品目",
    "documents": "协议文件",
    "members": "入围供应商",
    "products": "入围产品",
    "product_code": "入围产品编号",
    "rank": "轮候顺序",
    "rules": "第二阶段规则",
    "sites": "适用站点",
    "url": "文件地址",
    "valid_from": "协议起始日期",
    "valid_to": "协议截止日期",
    # 批量采购
    "min_buyers": "最少报名采购人",
    "join_until": "报名截止时间",
    "offer_until": "报价截止时间",
    "rate": "优惠率",
    # 定点采购
    "service": "定点服务",
    "districts": "服务区划",
    "items": "协议价项目",
    # 巡检与信用
    "checks": "检查项",
    "correction_days": "整改期限（工作日）",
    "text": "内容",
    "evidence": "证据",
    "rule_code": "处理依据",
    "measure": "处理措施",
    "points": "扣分",
    "days": "暂停天数",
    "facts": "事实与证据",
    "uphold": "决定",
    "basis": "依据",
    "measures": "可用措施",
    "max_points": "扣分上限",
    "max_days": "暂停天数上限",
    "statement_days": "申辩期（工作日）",
    "site": "站点",
    "checked": "检查商品数",
    "flagged": "疑似问题数",
    "correct_by": "整改期限",
    "credit_entry": "信用记录",
    "campaign_id": "巡检编号",
    "suspended_sites": "暂停交易的站点",
    "statement_until": "申辩截止",
    "statement": "申辩",
    "upheld": "维持",
    "by": "经办人",
    "figures": "统计数据",
    "handling": "处理意见",
    **RULE_WORDS,  # the site's alert thresholds and periods, named where they are defined
    "ground": "事由",
    "competition_id": "竞价项目",
    "credit": "信用处理",
    "official_price_fen": "厂商调整后价格",
    "question": "问题",
    "answer": "答复",
    "caller": "来电人",
    "answered": "是否接听",
    "month": "月份",
    "faq_id": "常见问题",
    "satisfaction": "满意度",
    "reached": "是否接通",
    # 特色场馆
    "intro": "场馆介绍",
    "shown": "首页展示",
    "codes": "特色场馆",
}

# The values of these fields are codes of a fixed set: shown by their label.
_ENUMS: dict[str, type[StrEnum]] = {
    "scale": Scale,
    "ownership": Ownership,
    "kind": DocumentKind,
    "target": RatingTarget,
    "purchase_method": PlanMethod,
    "source": PlanSource,
}
_STATUS_BY_ENTITY: dict[str, type[StrEnum]] = {
    "order": OrderStatus,
    "listing": ListingStatus,
    "product": ListingStatus,
    "plan": PlanStatus,
    "supplier": SupplierStatus,
    "competition": CompetitionStatus,
    "site_change": ChangeStatus,
    "bulletin": BulletinStatus,
    "agreement": AgreementStatus,
    "batch": BatchStatus,
    "designation": DesignationStatus,
    "inspection": CampaignStatus,
    "finding": FindingStatus,
    "credit_entry": EntryStatus,
    "alert": AlertStatus,
    "complaint": ComplaintStatus,
    "ticket": TicketStatus,
}
# `kind` means a different set per object.
_KIND_BY_ENTITY: dict[str, type[StrEnum]] = {"bulletin": BulletinKind}
_ENUM_LABEL_OVERRIDES: dict[str, type[StrEnum]] = {
    "termination": TerminationStatus,
    "mechanism": Mechanism,
    "method": BuyingMode,
    "source_kind": SourceKind,
    "district_kind": DistrictKind,
    "change_kind": ChangeKind,
    "certificate_kind": CertificateKind,
    "competition_kind": CompetitionKind,
}


def entity_label(entity_type: str) -> str:
    return ENTITY_LABELS.get(entity_type, UNLABELLED)


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, UNLABELLED)


def field_label(path: str) -> str:
    """`lines.0.quantity` → 订单明细第 1 项·数量; a key without a label shows as 其他 (and fails the label test)."""
    parts: list[str] = []
    for part in path.split("."):
        # An index is ASCII digits: str.isdigit() also admits ² and other digits int() cannot read.
        if part.isascii() and part.isdigit():
            if parts:
                parts[-1] += f"第 {int(part) + 1} 项"
            continue
        parts.append(FIELD_LABELS.get(part, UNLABELLED))
    return "·".join(parts) if parts else "请求"


def role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        return "系统" if role in ("", "system") else UNLABELLED


def value_text(entity_type: str, field: str, value: Any) -> str:
    """A stored value as a user reads it: 元 for fen, % for basis points, labels for codes, 是/否."""
    if value is None or value == "" or value == [] or value == {}:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int) and field.endswith("_cap_fen"):  # limits are set and read in 万元
        return f"{format_wan(value)} 万元"
    if isinstance(value, int) and field.endswith("_fen"):
        return f"{format_yuan(value)} 元"
    if isinstance(value, int) and field.endswith("_bp"):
        return f"{value / 100:.2f}%"
    if isinstance(value, str):
        return _code_text(entity_type, field, value)
    if isinstance(value, list):
        return "、".join(value_text(entity_type, field, v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{field_label(k)}：{value_text(entity_type, k, v)}" for k, v in value.items())
    return str(value)


def _code_text(entity_type: str, field: str, value: str) -> str:
    if field == "methods":
        return _enum_label(PurchaseMethod, value)
    enum = (_STATUS_BY_ENTITY.get(entity_type) if field == "status" else None) or (
        _KIND_BY_ENTITY.get(entity_type) if field == "kind" else None
    )
    enum = enum or _ENUMS.get(field)
    enum = enum or _ENUM_LABEL_OVERRIDES.get(field)
    if enum is not None:
        return _enum_label(enum, value)
    if field.endswith("_at") or field == "until":
        try:
            return parse_iso(value).astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return value
    return value


def _enum_label(enum: type[StrEnum], value: str) -> str:
    try:
        return str(getattr(enum(value), "label", value))
    except ValueError:
        return value


def changes(event: Mapping[str, Any]) -> list[dict[str, str]]:
    """The fields that differ between before and after, one row each: field, label, before, after (as text).

    Nested objects (contact, declaration, funds) are compared field by field; lists as a whole."""
    before, after = event.get("before"), event.get("after")
    entity_type = str(event.get("entity_type", ""))
    if not isinstance(before, dict) and not isinstance(after, dict):
        if before == after:
            return []
        return [_row(entity_type, "value", before, after)]
    old = _flat(before if isinstance(before, dict) else {})
    new = _flat(after if isinstance(after, dict) else {})
    keys = list(dict.fromkeys([*old, *new]))
    return [_row(entity_type, k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def _row(entity_type: str, path: str, before: Any, after: Any) -> dict[str, str]:
    field = path.rsplit(".", 1)[-1]
    return {
        "field": path,
        "label": field_label(path),
        "before": value_text(entity_type, field, before),
        "after": value_text(entity_type, field, after),
    }


def _flat(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value and len(prefix.split(".")) < 3:
            flat.update(_flat(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def described(event: Mapping[str, Any]) -> dict[str, Any]:
    """An audit event as the log shows it: the stored event plus its labels and its changes as text."""
    actor = dict(event.get("actor") or {})
    return {
        **event,
        "actor": {**actor, "role_label": role_label(str(actor.get("role", "")))},
        "entity_label": entity_label(str(event.get("entity_type", ""))),
        "action_label": action_label(str(event.get("action", ""))),
        "changes": changes(event),
    }


def audit_options() -> dict[str, Any]:
    def pairs(labels: Mapping[str, str], codes: Iterable[str]) -> list[dict[str, str]]:
        return [{"code": c, "label": labels[c]} for c in codes]

    entity_types = [t for t in ENTITY_LABELS if t not in ("product", "system")]
    actions = [
        {"code": code, "label": label, "entity_type": code.split(".", 1)[0]} for code, label in ACTION_LABELS.items()
    ]
    return {"entity_types": pairs(ENTITY_LABELS, entity_types), "actions": actions}


def audit_sheet(site_name: str, events: list[dict[str, Any]], only: AuditFilter, now: datetime) -> Sheet:
    when: Callable[[str], str] = lambda iso: parse_iso(iso).astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")  # noqa: E731
    rows = [
        (
            when(e["at"]),
            str(e["actor"].get("name", "")),
            str(e["actor"].get("username", "")),
            str(e["actor"].get("org_name", "")),
            e["actor"]["role_label"],
            e["entity_label"],
            str(e.get("entity_id", "")),
            e["action_label"],
            str(e.get("summary", "")),
            "\n".join(f"{c['label']}：{c['before']} → {c['after']}" for c in e["changes"]),
        )
        for e in events
    ]
    return Sheet(
        title=f"{site_name}审计日志",
        caption=f"筛选条件：{filter_text(only)}；共 {len(rows)} 条；"
        f"导出时间：{now.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}",
        header=("时间", "操作人", "用户名", "单位", "角色", "对象", "对象编号", "操作", "说明", "变更内容"),
        widths=(19, 10, 18, 24, 10, 12, 24, 16, 40, 60),
        rows=rows,
    )


def filter_text(only: AuditFilter) -> str:
    parts = []
    if only.actor:
        parts.append(f"操作人 {only.actor}")
    if only.entity_type:
        parts.append(f"对象 {entity_label(only.entity_type)}")
    if only.entity_id:
        parts.append(f"编号 {only.entity_id}")
    if only.action:
        parts.append(f"操作 {action_label(only.action)}")
    if only.first_day or only.last_day:
        parts.append(f"日期 {only.first_day or '不限'} 至 {only.last_day or '不限'}")
    return "，".join(parts) if parts else "全部"
