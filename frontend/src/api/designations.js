// 定点采购（docs/api.md「Designated-point purchase」）。
import { request } from './client.js'

const enc = encodeURIComponent
const base = (siteId) => `/sites/${enc(siteId)}/designations`

export const designationsApi = {
  list: (siteId) => request('GET', base(siteId)),
  create: (siteId, body) => request('POST', base(siteId), { body }),
  setStatus: (siteId, id, action, reason) => request('POST', `${base(siteId)}/${enc(id)}/status`, { body: { action, reason } }),
  order: (siteId, id, body, idempotencyKey) =>
    request('POST', `${base(siteId)}/${enc(id)}/orders`, { body, headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} }),
}
