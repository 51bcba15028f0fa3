// @ts-check
// 订单详情：接口给出的 actions → 操作按钮、可进行的评价、时间线的“谁 / 何时 / 变了什么”。
import { isPlainObject } from './diff.js'
import { formatDateTime } from './format.js'
import { ORDER_STATUS_LABELS, RATING_TARGET_LABELS, TERMINATION_STATUS_LABELS, labelOf, lookup } from './labels.js'

// 读取的应答字段按接口描述（types/schema.d.ts）检查：接口改名或删去字段时构建失败。
/** @typedef {import('../../types/schema').components['schemas']} Schemas */

/**
 * 按钮说明：label、type；confirm 为二次确认的提示；input 为需要填写的原因或说明（ReasonDialog）。
 * 键是 ordersApi.act 的操作名。
 */
export const ACTION_BUTTONS = Object.freeze({
  confirm: { label: '确认订单', type: 'primary', confirm: '确认接受该订单吗？确认后将生成订单确认单。' },
  decline: { label: '拒单', type: 'danger', input: { title: '拒单', label: '拒单原因', required: true, danger: true } },
  ship: { label: '发货', type: 'primary', dialog: 'ship' },
  cancel: { label: '撤销订单', type: 'danger', input: { title: '撤销订单', label: '撤销原因', required: true, danger: true } },
  accept: { label: '验收', type: 'success', dialog: 'accept' },
  request_termination: {
    label: '申请终止',
    type: 'warning',
    input: { title: '申请终止订单', label: '终止原因', required: true, danger: true },
  },
  approve_termination: {
    label: '同意终止',
    type: 'danger',
    input: { title: '同意终止订单', label: '审核意见', required: false, danger: true },
  },
  reject_termination: { label: '驳回终止申请', type: 'primary', input: { title: '驳回终止申请', label: '驳回理由', required: true } },
})

// 接口的 action → 页面上的按钮（decide_termination 是“同意”和“驳回”两个按钮）。
const ACTION_KEYS = Object.freeze({
  confirm: ['confirm'],
  decline: ['decline'],
  ship: ['ship'],
  accept: ['accept'],
  cancel: ['cancel'],
  request_termination: ['request_termination'],
  decide_termination: ['approve_termination', 'reject_termination'],
})

export const RATE_BUTTON_LABELS = Object.freeze({ supplier: '评价供应商', mall: '评价商城', buyer: '评价采购人' })

/**
 * 该角色在这张订单上还能做的评价（去掉已评过的方向）。
 * @param {string} role
 * @param {Schemas['RatingView'][]} [ratings]
 */
export function rateTargets(role, ratings = []) {
  const mine = role === 'buyer' ? ['supplier', 'mall'] : role === 'supplier' ? ['buyer'] : []
  const done = new Set((ratings || []).map((r) => r.target))
  return mine.filter((t) => !done.has(t))
}

/**
 * 订单的 actions → 按钮列表 [{key, label, type, confirm?, input?, target?}]；未知的 action 忽略。
 * @param {Partial<Schemas['OrderDetail']> | null | undefined} order
 * @param {string} role
 */
export function orderButtons(order, role) {
  const buttons = []
  for (const action of order?.actions || []) {
    if (action === 'rate') {
      for (const target of rateTargets(role, order.ratings)) {
        buttons.push({ key: `rate:${target}`, label: RATE_BUTTON_LABELS[target], type: 'warning', rate: true, target })
      }
      continue
    }
    for (const key of ACTION_KEYS[action] || []) buttons.push({ key, ...ACTION_BUTTONS[key] })
  }
  return buttons
}

/**
 * 操作人：“张敏（聊城市教育和体育局）”；系统操作为“系统”。
 * @param {Partial<Schemas['Actor']> | null | undefined} actor
 */
export function actorText(actor) {
  if (!actor) return ''
  const name = actor.name || actor.username || ''
  return actor.org_name ? `${name}（${actor.org_name}）` : name
}

// 时间线只列这两项变化（原因、物流信息等已在摘要中）
const TIMELINE_FIELDS = new Set(['status', 'termination'])

/**
 * 时间线一条事件的变化，紧凑的“状态：待确认 → 已确认”，取服务端给出的逐项变化（名称与取值已是中文）；
 * 下单、评价等新建事件不列。
 * @param {Partial<Schemas['AuditEvent']> | null | undefined} event
 */
export function eventChanges(event) {
  if (!event || !isPlainObject(event.before) || !isPlainObject(event.after)) return []
  return (event.changes || []).filter((d) => TIMELINE_FIELDS.has(d.field)).map((d) => `${d.label}：${d.before} → ${d.after}`)
}

/**
 * 下单人：时间线中“下单”事件的操作人姓名，带登录名；没有时间线时只有登录名。
 * @param {Partial<Schemas['OrderDetail']> | null | undefined} order
 */
export function orderedBy(order) {
  const placed = (order?.timeline || []).find((e) => e.action === 'order.placed')
  const username = order?.buyer?.user || ''
  const name = placed?.actor?.name || ''
  if (name && username) return `${name}（${username}）`
  return name || username
}

/**
 * 时间线条目：{key, who, when（北京时间，到分钟）, what, changes}。
 * @param {Partial<Schemas['AuditEvent']>[]} [events]
 */
export function timelineItems(events = []) {
  return (events || []).map((e, i) => ({
    key: e.id || `${e.at}-${i}`,
    who: actorText(e.actor),
    when: formatDateTime(e.at, { seconds: false }),
    what: e.summary || e.action || '',
    changes: eventChanges(e),
    action: e.action || '',
  }))
}

// 订单的 status_reason 在不同状态下的含义
const STATUS_REASON_LABELS = Object.freeze({
  declined: '拒单原因',
  cancelled: '撤销原因',
  terminated: '终止原因',
  shipped: '物流信息',
  accepted: '物流信息',
  settled: '物流信息',
})

/** status_reason 的标签（拒单原因、撤销原因、物流信息…），没有含义时返回 ""。 */
export function statusReasonLabel(status) {
  return lookup(STATUS_REASON_LABELS, status, '')
}

/**
 * 好评率：{total, good, rate} → "96.5%"；没有评价时为 "—"。
 * @param {Partial<Schemas['RatingFigures']> | null | undefined} entry
 */
export function goodRateText(entry) {
  if (!entry || !entry.total) return '—'
  const rate = typeof entry.rate === 'number' ? entry.rate : entry.good / entry.total
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`
}

/**
 * 好评率汇总 → 卡片 [{target, label, total, good, text}]，按 供应商、商城、采购人 的顺序。
 * @param {Schemas['RatingSummary'] | null | undefined} summary
 */
export function ratingSummaryItems(summary) {
  const ratings = (summary && summary.ratings) || {}
  return Object.keys(RATING_TARGET_LABELS).map((target) => {
    const e = ratings[target] || { total: 0, good: 0, rate: null }
    return {
      target,
      label: e.label || RATING_TARGET_LABELS[target],
      total: e.total || 0,
      good: e.good || 0,
      text: goodRateText(e),
    }
  })
}

const PROGRESS = Object.freeze([
  ['pending_confirmation', '下单'],
  ['confirmed', '确认'],
  ['shipped', '发货'],
  ['accepted', '验收'],
  ['settled', '结算'],
])
const ENDED = Object.freeze({ declined: '已拒单', cancelled: '已撤销', terminated: '已终止' })

/**
 * 订单进度条：下单 → 确认 → 发货 → 验收 → 结算，各步取到达时间（北京时间）。
 * 拒单、撤销、终止的订单停在当时的一步并标红，标题写明结果。
 * @param {Partial<Schemas['OrderView']> | null | undefined} order
 */
export function orderProgress(order) {
  const milestones = (order && order.milestones) || {}
  const status = order ? order.status : ''
  const steps = PROGRESS.map(([key, title]) => ({ key, title, time: milestones[key] ? formatDateTime(milestones[key], { seconds: false }) : '' }))
  const reached = PROGRESS.findIndex(([key]) => key === status)
  if (reached >= 0) return { steps, active: status === 'settled' ? steps.length : reached + 1, status: 'process' }
  // 结束于中途：最后一个已到达的步骤之后标为失败
  let last = -1
  PROGRESS.forEach(([key], i) => {
    if (milestones[key]) last = i
  })
  const failed = Math.min(last + 1, steps.length - 1)
  if (ENDED[status]) steps[failed] = { ...steps[failed], title: ENDED[status], time: milestones[status] ? formatDateTime(milestones[status], { seconds: false }) : '' }
  return { steps, active: failed, status: 'error' }
}
