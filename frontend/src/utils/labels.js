// 供应商、商品、采购计划、订单的代码表（与 docs/api.md 一致）及状态标签颜色，
// 以及查代码表的 labelOf(map, code)（未知代码原样返回；format.js 也导出它）和 tagType(map, code)。

// ---- 供应商 ----
export const SUPPLIER_STATUS_LABELS = Object.freeze({
  pending: '待审核',
  active: '已入驻',
  rejected: '驳回',
  suspended: '暂停',
  expelled: '清退',
})

export const SUPPLIER_STATUS_TAG = Object.freeze({
  pending: 'warning',
  active: 'success',
  rejected: 'danger',
  suspended: 'warning',
  expelled: 'info',
})

export const SCALE_CODES = Object.freeze(['micro', 'small', 'medium', 'large'])

export const SCALE_LABELS = Object.freeze({
  micro: '微型',
  small: '小型',
  medium: '中型',
  large: '大型',
})

// 小微企业（政府采购价格扣除的对象）用绿色突出
export const SCALE_TAG = Object.freeze({
  micro: 'success',
  small: 'success',
  medium: 'info',
  large: 'info',
})

export const OWNERSHIP_LABELS = Object.freeze({
  private: '民营',
  state: '国有',
  collective: '集体',
  foreign: '外资',
  hmt: '港澳台资',
  other: '其他',
})

// 工信部联企业〔2011〕300号 划型行业
export const INDUSTRY_LABELS = Object.freeze({
  agriculture: '农、林、牧、渔业',
  industry: '工业',
  construction: '建筑业',
  wholesale: '批发业',
  retail: '零售业',
  transport: '交通运输业',
  warehousing: '仓储业',
  postal: '邮政业',
  accommodation: '住宿业',
  catering: '餐饮业',
  information_transmission: '信息传输业',
  software_it: '软件和信息技术服务业',
  real_estate: '房地产开发经营',
  property_management: '物业管理',
  leasing_business: '租赁和商务服务业',
  other: '其他未列明行业',
})

export const DOCUMENT_KIND_LABELS = Object.freeze({
  business_license: '营业执照',
  qualification: '资质证书',
  tax_certificate: '纳税证明',
  social_security: '社保缴纳证明',
  other: '其他',
})

// ---- 商品 ----
export const LISTING_STATUS_LABELS = Object.freeze({
  pending: '待审核',
  active: '已上架',
  rejected: '驳回',
  withdrawn: '已下架（供应商）',
  delisted: '已下架（采购中心）',
})

export const LISTING_STATUS_TAG = Object.freeze({
  pending: 'warning',
  active: 'success',
  rejected: 'danger',
  withdrawn: 'info',
  delisted: 'danger',
})

export const CERTIFICATE_KIND_LABELS = Object.freeze({
  energy_saving: '节能',
  environmental: '环保',
})

export const CATALOG_SORT_LABELS = Object.freeze({
  price_asc: '价格升序',
  price_desc: '价格降序',
  sales: '销量',
})

// ---- 采购计划 ----
export const PLAN_SOURCE_LABELS = Object.freeze({
  pushed: '推送',
  self_built: '自建',
})

export const PLAN_SOURCE_FULL_LABELS = Object.freeze({
  pushed: '推送自山东省政府采购信息平台',
  self_built: '自建计划单',
})

export const PLAN_STATUS_LABELS = Object.freeze({
  pending_acceptance: '待接收',
  accepted: '已接收',
  returned: '已退回',
})

export const PLAN_STATUS_TAG = Object.freeze({
  pending_acceptance: 'warning',
  accepted: 'success',
  returned: 'info',
})

export const PLAN_METHOD_LABELS = Object.freeze({
  online_supermarket: '网上超市',
  designated: '定点采购',
  batch: '批量集中采购',
})

// 自建计划可选的采购方式
export const SELF_BUILT_METHODS = Object.freeze(['online_supermarket', 'designated'])

export const FUND_SOURCE_CODES = Object.freeze([
  'general_budget',
  'government_fund',
  'state_capital',
  'fiscal_special',
  'self_raised',
])

export const FUND_SOURCE_LABELS = Object.freeze({
  general_budget: '预算内一般预算',
  government_fund: '预算内政府性基金',
  state_capital: '预算内国有资本运营',
  fiscal_special: '财政专户资金',
  self_raised: '自筹资金',
})

// ---- 订单（直购） ----
export const ORDER_STATUS_LABELS = Object.freeze({
  pending_confirmation: '待确认',
  confirmed: '已确认',
  shipped: '已发货',
  accepted: '已验收',
  settled: '已结算',
  declined: '已拒单',
  cancelled: '已撤销',
  terminated: '已终止',
})

export const ORDER_STATUS_TAG = Object.freeze({
  pending_confirmation: 'warning',
  confirmed: 'primary',
  shipped: 'primary',
  accepted: 'success',
  settled: 'success',
  declined: 'danger',
  cancelled: 'info',
  terminated: 'info',
})

export const TERMINATION_STATUS_LABELS = Object.freeze({
  none: '无',
  requested: '终止申请待审核',
  rejected: '终止申请已驳回',
  approved: '终止申请已同意',
})

export const ORDER_DOCUMENT_LABELS = Object.freeze({
  confirmation: '订单确认单',
  acceptance: '验收单',
})

// 评价方向：采购人评价供应商、采购人评价商城、供应商评价采购人
export const RATING_TARGET_LABELS = Object.freeze({
  supplier: '采购人评价供应商',
  mall: '采购人评价商城',
  buyer: '供应商评价采购人',
})

export const FOLLOWUP_STATUS_LABELS = Object.freeze({
  open: '待回访',
  closed: '已回访',
})

/** 代码表 map 中 code 对应的值；map 自身没有该键（含原型上的键）时返回 fallback。 */
export function lookup(map, code, fallback) {
  return Object.prototype.hasOwnProperty.call(map, code) ? map[code] : fallback
}

/** 代码 → 中文标签；空值返回 ""，未知代码原样返回，便于排查。 */
export function labelOf(map, code) {
  if (code === null || code === undefined || code === '') return ''
  return lookup(map, code, String(code))
}

/** 状态 → el-tag 的 type；未知状态用 info。 */
export function tagType(map, code) {
  return lookup(map, code, 'info')
}

/** 路由查询参数中的状态（?status=shipped），只认列表的筛选项里有的值。 */
export function queryStatus(route, labels) {
  const wanted = route && route.query ? String(route.query.status || '') : ''
  return wanted && Object.prototype.hasOwnProperty.call(labels, wanted) ? wanted : ''
}
