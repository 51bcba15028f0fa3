// @ts-check
// 竞价、反拍的代码表、倒计时（以服务器时间为准）与时间换算。
/** @typedef {import('../../types/schema').components['schemas']} Schemas */

export const KIND_LABELS = Object.freeze({ bidding: '竞价', reverse_auction: '反拍' })

export const COMPETITION_STATUS_LABELS = Object.freeze({
  open: '进行中',
  evaluating: '待符合性审查',
  reviewing: '待采购中心复核',
  confirming: '待成交确认',
  confirmed: '已确认成交',
  awarded: '已成交',
  failed: '流标',
  cancelled: '已撤销',
})

export const COMPETITION_STATUS_TAG = Object.freeze({
  open: 'primary',
  evaluating: 'warning',
  reviewing: 'warning',
  confirming: 'warning',
  confirmed: 'success',
  awarded: 'success',
  failed: 'danger',
  cancelled: 'info',
})

export const OFFER_OUTCOME_LABELS = Object.freeze({
  pending: '待确认',
  confirmed: '已确认',
  declined: '已放弃',
  lapsed: '逾期未确认',
})

export const ACTION_LABELS = Object.freeze({
  quote: '报价',
  bid: '出价',
  cancel: '撤销项目',
  submit_evaluation: '提交符合性审查',
  approve_evaluation: '复核通过',
  return_evaluation: '退回审查',
  confirm: '确认成交',
  decline: '放弃成交',
  relaunch: '重新发起',
})

/**
 * 服务器时钟相对本机时钟的偏差（毫秒）：倒计时按服务器时间走，不受本机时间不准的影响。
 * @param {string} serverTime 服务器返回的 UTC 时间（ISO 8601）
 * @param {number} receivedAt 收到响应时本机的 Date.now()
 */
export function clockOffset(serverTime, receivedAt = Date.now()) {
  const server = Date.parse(serverTime)
  return Number.isFinite(server) ? server - receivedAt : 0
}

/** 距 endAt 还剩多少毫秒（按服务器时间），不小于 0。 */
export function remainingMs(endAt, offsetMs, now = Date.now()) {
  const end = Date.parse(endAt)
  if (!Number.isFinite(end)) return 0
  return Math.max(0, end - (now + offsetMs))
}

/** 毫秒 → “2 天 03:04:05” / “03:04:05”。 */
export function formatRemaining(ms) {
  const total = Math.floor(Math.max(0, ms) / 1000)
  const days = Math.floor(total / 86400)
  const hh = String(Math.floor((total % 86400) / 3600)).padStart(2, '0')
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0')
  const ss = String(total % 60).padStart(2, '0')
  return (days ? `${days} 天 ` : '') + `${hh}:${mm}:${ss}`
}

/** 北京时间的日期（YYYY-MM-DD）与时刻（HH:mm）→ UTC ISO 字符串。 */
export function beijingToIso(day, time) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || '') || !/^\d{2}:\d{2}$/.test(time || '')) return null
  const moment = new Date(`${day}T${time}:00+08:00`)
  return Number.isNaN(moment.getTime()) ? null : moment.toISOString()
}

/** UTC ISO → 北京时间的 { day, time }（表单默认值用）。 */
export function isoToBeijing(iso) {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return { day: '', time: '' }
  const shifted = new Date(ms + 8 * 3600 * 1000).toISOString()
  return { day: shifted.slice(0, 10), time: shifted.slice(11, 16) }
}

/**
 * 反拍：本次出价最多可报的单价（分），即比当前最低总价至少低一个降价幅度。
 * @param {Pick<Schemas['CompetitionView'], 'best_total_fen' | 'ceiling_fen' | 'rule'> & { item?: Schemas['CompetitionItem'] }} competition
 */
export function highestAllowedUnit({ best_total_fen: best, ceiling_fen: ceiling, rule, item }) {
  const quantity = (item && item.quantity) || 1
  const step = (rule && rule.step_fen) || 0
  const total = best ? best - step : ceiling
  return Math.max(0, Math.floor(total / quantity))
}

/** 把链式记录逐条重算，核对摘要（浏览器里用 Web Crypto）。返回 { ok, digest }。 */
export async function verifyRecord(entries, subtle = globalThis.crypto && globalThis.crypto.subtle) {
  let previous = '0'.repeat(64)
  for (const entry of entries) {
    const { hash, ...body } = entry
    if (body.prev !== previous) return { ok: false, digest: previous }
    const bytes = new TextEncoder().encode(previous + canonical(body))
    const digest = Array.from(new Uint8Array(await subtle.digest('SHA-256', bytes)))
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('')
    if (digest !== hash) return { ok: false, digest }
    previous = digest
  }
  return { ok: true, digest: previous }
}

// 与服务器 json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) 一致的紧凑 JSON。
export function canonical(value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']'
  if (value && typeof value === 'object') {
    return '{' + Object.keys(value).sort().map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}'
  }
  return JSON.stringify(value)
}

/** 二级品目：A09010203 → A09010000（与服务器 level2_of 一致）。 */
export function level2Of(code) {
  return typeof code === 'string' && code.length === 9 ? code.slice(0, 5) + '0000' : code
}

/** 站点的末级商城品目中，属于采购计划二级品目的那些（发起竞价、反拍只能在计划的品目内）。 */
export function categoriesForPlan(categories, plan) {
  const list = categories || []
  const parents = new Set(list.map((c) => c.parent_id).filter(Boolean))
  return list.filter((c) => !parents.has(c.id) && plan && level2Of(c.catalog_code) === plan.level2_code)
}

/** 发起表单 → 请求体（金额由元换为分，时间由北京时间换为 UTC）。
 * @returns {import('../../types/schema').components['schemas']['NewCompetitionBody']} checked against the API's description at build
 */
export function launchBody(form, yuanToFen) {
  const body = {
    kind: form.kind,
    title: form.title.trim(),
    plan_no: form.plan_no,
    category_id: form.category_id,
    spec: form.spec.trim(),
    quantity: Number(form.quantity),
    unit: form.unit.trim(),
    ceiling_fen: yuanToFen(form.ceiling_yuan),
    delivery: {
      district: form.district,
      address: form.address.trim(),
      contact: form.contact.trim(),
      phone: form.phone.trim(),
      expected_date: form.expected_date,
    },
    custom: Boolean(form.custom) && form.kind === 'bidding',
  }
  const at = beijingToIso(form.day, form.time)
  if (at) body[form.kind === 'bidding' ? 'end_at' : 'starts_at'] = at
  if (form.listing_id) body.listing_id = form.listing_id.trim()
  if (form.kind === 'bidding' && form.draw && Number(form.draw_size) > 0) body.draw_size = Number(form.draw_size)
  if (form.kind === 'reverse_auction' && Number(form.step_percent) > 0) body.step_bp = Math.round(Number(form.step_percent) * 100)
  return body
}
