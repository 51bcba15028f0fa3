// 监督管理的代码表（筛选项、标签颜色）。状态与类型的中文名由接口随数据返回（*_label）。

export const CHECK_LABELS = Object.freeze({
  category: '品目归类',
  certificate: '节能环保证书',
  specs: '规格参数',
  price: '价格',
})

export const INSPECTION_STATUS_TAG = Object.freeze({ prechecking: 'info', open: 'warning', closed: 'success' })

export const FINDING_STATUS_TAG = Object.freeze({ notified: 'warning', corrected: 'primary', closed: 'success', delisted: 'danger' })

export const MEASURE_LABELS = Object.freeze({
  risk_reminder: '风险提醒',
  warning_notice: '警示通报',
  deduction: '扣分',
  suspension: '暂停交易',
  expulsion: '清退',
})

export const CREDIT_STATUS_TAG = Object.freeze({ proposed: 'warning', upheld: 'danger', withdrawn: 'info' })

export const GRADE_TAG = Object.freeze({ A: 'success', B: 'primary', C: 'warning', D: 'danger' })

export const ALERT_STATUS_LABELS = Object.freeze({
  open: '待处理',
  acknowledged: '跟踪中',
  finding: '已立案',
  dismissed: '已排除',
})

export const ALERT_KIND_TAG = Object.freeze({
  splitting: 'danger',
  concentration: 'warning',
  exclusive: 'warning',
  circle: 'danger',
  price_high: 'warning',
  price_raise: 'danger',
  accessory: 'danger',
})

/** 信用处理的说明：措施、扣分、天数，如“暂停交易（30 天，扣 10 分）”。 */
export function measureText(measure, points, days) {
  const parts = []
  if (measure === 'suspension' && days) parts.push(`${days} 天`)
  if (points) parts.push(`扣 ${points} 分`)
  return (MEASURE_LABELS[measure] || measure) + (parts.length ? `（${parts.join('，')}）` : '')
}

export const GROUND_LABELS = Object.freeze({
  contract_breach: '合同违约（不按约定履约）',
  signing_refusal: '无正当理由拒绝签约或确认订单',
  goods_noncompliance: '货物或服务不符合约定要求',
  process: '竞价过程违规',
  result: '成交结果使本单位权益受损',
})

export const VIOLATION_GROUNDS = Object.freeze(['contract_breach', 'signing_refusal', 'goods_noncompliance'])
export const OBJECTION_GROUNDS = Object.freeze(['process', 'result'])

export const COMPLAINT_STATUS_TAG = Object.freeze({ filed: 'warning', awaiting_decision: 'primary', upheld: 'danger', rejected: 'info', withdrawn: 'info' })

export const TICKET_CATEGORY_LABELS = Object.freeze({
  onboarding: '入驻申请',
  listing: '商品上架',
  framework: '框架协议采购',
  orders: '订单与履约',
  bidding: '竞价与反拍',
  plans: '采购计划',
  account: '账号与登录',
  other: '其他',
})

export const TICKET_STATUS_TAG = Object.freeze({ open: 'warning', answered: 'success', missed: 'danger' })

export const SATISFACTION_LABELS = Object.freeze({ satisfied: '满意', basically: '基本满意', dissatisfied: '不满意' })
