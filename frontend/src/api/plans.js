// 采购计划（docs/api.md「Purchase plans」）。
import { request } from './client.js'

const enc = encodeURIComponent
const base = (siteId) => `/sites/${enc(siteId)}/plans`

export const plansApi = {
  list: (siteId, { status, cursor } = {}) => request('GET', base(siteId), { query: { status, cursor } }),
  detail: (siteId, planNo) => request('GET', `${base(siteId)}/${enc(planNo)}`),
  create: (siteId, body, idempotencyKey) =>
    request('POST', base(siteId), { body, headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} }),
  accept: (siteId, planNo) => request('POST', `${base(siteId)}/${enc(planNo)}/accept`, { body: {} }),
  returnPlan: (siteId, planNo, reason) => request('POST', `${base(siteId)}/${enc(planNo)}/return`, { body: { reason } }),
}
