// 批量采购的显示规则（与服务端 domain/batches.py 一致）。
export const BATCH_STATUS_LABELS = Object.freeze({
  joining: '报名中',
  offering: '报价中',
  awarded: '已成交',
  failed: '未成交',
  cancelled: '已撤销',
})

export const BATCH_STATUS_TAG = Object.freeze({
  joining: 'primary',
  offering: 'warning',
  awarded: 'success',
  failed: 'danger',
  cancelled: 'info',
})

const RATE = /^\d{1,2}(\.\d{1,2})?$/

/** 优惠率输入是否合法：0 ≤ 优惠率 < 100，最多两位小数（服务端同一规则，见 parse_rate）。 */
export function rateProblem(text) {
  const cleaned = String(text ?? '').trim().replace(/%$/, '').trim()
  if (!cleaned) return '请填写优惠率'
  return RATE.test(cleaned) ? '' : '优惠率须在 0 到 100 之间（不含 100），最多两位小数'
}

/** 参考单价 × (1 − 优惠率)，按分向下取整：与成交单价的算法一致。rateBp 为基点（1250 = 12.50%）。 */
export function discountedFen(referenceFen, rateBp) {
  return Math.floor((referenceFen * (10000 - rateBp)) / 10000)
}

/** "12.5" → 1250（基点）；不合法时 null。 */
export function rateToBp(text) {
  if (rateProblem(text)) return null
  const [whole, frac = ''] = String(text).trim().replace(/%$/, '').trim().split('.')
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'))
}
