// 订单（直购）、评价与差评回访（docs/api.md「Orders」）。
import { request } from './client.js'

const enc = encodeURIComponent
const base = (siteId) => `/sites/${enc(siteId)}/orders`
const one = (siteId, orderNo) => `${base(siteId)}/${enc(orderNo)}`

export const PAGE_SIZE = 20

/** 页面上的操作（utils/orders.js 的按钮键）→ 接口路径与请求体；text 为填写的原因或说明。 */
export const ACTION_REQUESTS = Object.freeze({
  confirm: () => ['confirm', {}],
  decline: (text) => ['decline', { reason: text }],
  // 发货与验收的请求体由各自的对话框给出（发货凭证、验收结论与附件）
  ship: (body) => ['ship', body],
  accept: (body) => ['accept', body],
  cancel: (text) => ['cancel', { reason: text }],
  request_termination: (text) => ['termination', { reason: text }],
  approve_termination: (text) => ['termination/decision', { approve: true, decision: text }],
  reject_termination: (text) => ['termination/decision', { approve: false, decision: text }],
})

export const ordersApi = {
  /** 结算预检：{groups: [{supplier_uscc, plan_no?, lines}]} → 每组的计划（所选或推荐）、可用计划与拦截原因；不写入 */
  checkout: (siteId, groups) => request('POST', `/sites/${enc(siteId)}/checkout`, { body: { groups } }),
  /** 直购下单：每个供应商一张；idempotencyKey 在一次结算中对同一供应商不变。 */
  place: (siteId, body, idempotencyKey) =>
    request('POST', base(siteId), { body, headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} }),
  list: (siteId, { status, cursor, limit = PAGE_SIZE, ...search } = {}) =>
    request('GET', base(siteId), { query: { status, limit, cursor, ...search } }),
  /** 按当前条件导出（XLSX/CSV）→ {url, file_name, rows, truncated}。 */
  exportList: (siteId, query) => request('POST', `${base(siteId)}/export`, { query, body: {} }),
  detail: (siteId, orderNo) => request('GET', one(siteId, orderNo)),
  /** 执行一项操作（确认、拒单、发货、验收、撤销、申请终止、终止审核），返回更新后的订单。 */
  act: (siteId, orderNo, key, text = '') => {
    const make = ACTION_REQUESTS[key]
    if (!make) throw new Error(`未知的订单操作：${key}`)
    const [path, body] = make(text)
    return request('POST', `${one(siteId, orderNo)}/${path}`, { body })
  },
  /** 订单确认单 / 验收单 → {url, file_name, expires_in}（5 分钟有效的链接）。 */
  document: (siteId, orderNo, kind) => request('GET', `${one(siteId, orderNo)}/documents/${enc(kind)}`),
  /** 验收附件：登记 → {doc_id, upload}（预签名 POST）。 */
  startAttachment: (siteId, orderNo, body) => request('POST', `${one(siteId, orderNo)}/attachments`, { body }),
  rate: (siteId, orderNo, { target, stars, comment }) =>
    request('POST', `${one(siteId, orderNo)}/ratings`, { body: { target, stars, comment } }),

  // 好评率与差评回访
  ratingSummary: (siteId) => request('GET', `/sites/${enc(siteId)}/ratings/summary`),
  followups: (siteId, { status = 'open', cursor } = {}) =>
    request('GET', `/sites/${enc(siteId)}/followups`, { query: { status, cursor } }),
  /** 回访：outcome 为 { reached, satisfaction }（接通时须有满意度 satisfied / basically / dissatisfied）。 */
  closeFollowup: (siteId, orderNo, target, note, outcome = { reached: true, satisfaction: 'satisfied' }) =>
    request('POST', `/sites/${enc(siteId)}/followups/${enc(orderNo)}/${enc(target)}/close`, { body: { note, ...outcome } }),
}
