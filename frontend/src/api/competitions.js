// 竞价与反拍（docs/api.md「Competitions」）。
import { request } from './client.js'

const enc = encodeURIComponent
const base = (siteId) => `/sites/${enc(siteId)}/competitions`
const one = (siteId, id) => `${base(siteId)}/${enc(id)}`

export const competitionsApi = {
  list: (siteId, { status, kind, cursor } = {}) => request('GET', base(siteId), { query: { status, kind, cursor } }),
  detail: (siteId, id) => request('GET', one(siteId, id)),
  standing: (siteId, id) => request('GET', `${one(siteId, id)}/standing`),
  launch: (siteId, body, idempotencyKey) =>
    request('POST', base(siteId), { body, headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} }),
  quote: (siteId, id, body) => request('PUT', `${one(siteId, id)}/quote`, { body }),
  bid: (siteId, id, unitPriceFen) => request('POST', `${one(siteId, id)}/bids`, { body: { unit_price_fen: unitPriceFen } }),
  cancel: (siteId, id, reason) => request('POST', `${one(siteId, id)}/cancel`, { body: { reason } }),
  confirm: (siteId, id) => request('POST', `${one(siteId, id)}/confirm`, { body: {} }),
  decline: (siteId, id, reason) => request('POST', `${one(siteId, id)}/decline`, { body: { reason } }),
  evaluate: (siteId, id, findings) => request('POST', `${one(siteId, id)}/evaluation`, { body: { findings } }),
  review: (siteId, id, approve, reason = '') => request('POST', `${one(siteId, id)}/review`, { body: { approve, reason } }),
  relaunch: (siteId, id, body = {}) => request('POST', `${one(siteId, id)}/relaunch`, { body }),
}
