// 特色场馆的管理（docs/api.md「Pavilions」）：采购中心开设、修改场馆，把商品放入场馆。
import { request } from './client.js'

const enc = encodeURIComponent
const base = (siteId) => `/sites/${enc(siteId)}/pavilions`

export const pavilionsApi = {
  manage: (siteId) => request('GET', `${base(siteId)}/manage`),
  create: (siteId, body) => request('POST', base(siteId), { body }),
  revise: (siteId, code, body) => request('PUT', `${base(siteId)}/${enc(code)}`, { body }),
  placeListing: (siteId, listingId, codes) => request('PUT', `/sites/${enc(siteId)}/listings/${enc(listingId)}/pavilions`, { body: { codes } }),
}
