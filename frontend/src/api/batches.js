// 批量采购（docs/api.md「Batch purchases」）：采购中心发起，采购人报名，供应商报优惠率。
import { request } from './client.js'

const enc = encodeURIComponent
const base = (siteId) => `/sites/${enc(siteId)}/batches`
const one = (siteId, id) => `${base(siteId)}/${enc(id)}`

export const batchesApi = {
  list: (siteId) => request('GET', base(siteId)),
  detail: (siteId, id) => request('GET', one(siteId, id)),
  open: (siteId, body) => request('POST', base(siteId), { body }),
  join: (siteId, id, body) => request('POST', `${one(siteId, id)}/entries`, { body }),
  offer: (siteId, id, rate) => request('PUT', `${one(siteId, id)}/offer`, { body: { rate } }),
  cancel: (siteId, id, reason) => request('POST', `${one(siteId, id)}/cancel`, { body: { reason } }),
}
