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

export const ALERT_KIND_TAG = Object.freeze({ splitting: 'danger', concentration: 'warning', exclusive: 'warning', circle: 'danger' })

/** 信用处理的说明：措施、扣分、天数，如“暂停交易（30 天，扣 10 分）”。 */
export function measureText(measure, points, days) {
  const parts = []
  if (measure === 'suspension' && days) parts.push(`${days} 天`)
  if (points) parts.push(`扣 ${points} 分`)
  return (MEASURE_LABELS[measure] || measure) + (parts.length ? `（${parts.join('，')}）` : '')
}
