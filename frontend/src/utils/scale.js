// 企业规模（工信部联企业〔2011〕300号）：按 /suppliers/industries 返回的结构化阈值推算。
// 服务器是最终判定方（不一致时返回 422 SCALE_MISMATCH 与 details.computed_scale）；
// 接口没有返回 thresholds 时，浏览器不推算，只显示 criteria 文字。
//
// thresholds 的形状（分、人）：
//   sme_below: {employees?, revenue_fen?, assets_fen?}  任一指标低于该值即为中小微型企业，否则为大型
//   medium:    {...}                                    各指标均不低于该值为中型
//   small:     {...}                                    各指标均不低于该值为小型，否则为微型

const METRICS = ['employees', 'revenue_fen', 'assets_fen']

function isThresholdObject(t) {
  return t && typeof t === 'object' && METRICS.some((m) => Number.isSafeInteger(t[m]))
}

/** 行业条目是否带有可用于推算的阈值。 */
export function hasThresholds(industry) {
  const t = industry && industry.thresholds
  return Boolean(t && isThresholdObject(t.sme_below) && isThresholdObject(t.medium) && isThresholdObject(t.small))
}

function metricsIn(t) {
  return METRICS.filter((m) => Number.isSafeInteger(t[m]))
}

/** 申报数据缺少阈值所需的某项指标时返回 null。 */
function atLeastAll(t, values) {
  for (const m of metricsIn(t)) {
    if (!Number.isSafeInteger(values[m])) return null
    if (values[m] < t[m]) return false
  }
  return true
}

function belowAny(t, values) {
  for (const m of metricsIn(t)) {
    if (!Number.isSafeInteger(values[m])) return null
  }
  return metricsIn(t).some((m) => values[m] < t[m])
}

/**
 * 推算企业规模：'micro' | 'small' | 'medium' | 'large'；无法推算（无阈值或数据不全）时返回 null。
 * @param {object} industry /suppliers/industries 的一项
 * @param {{employees?: number, revenue_fen?: number, assets_fen?: number}} values
 */
export function impliedScale(industry, values) {
  if (!hasThresholds(industry)) return null
  const t = industry.thresholds
  const sme = belowAny(t.sme_below, values)
  if (sme === null) return null
  if (!sme) return 'large'
  const medium = atLeastAll(t.medium, values)
  if (medium === null) return null
  if (medium) return 'medium'
  const small = atLeastAll(t.small, values)
  if (small === null) return null
  return small ? 'small' : 'micro'
}
