// 商品（供应商在某个站点发布的商品）与商品审核（docs/api.md「Listings」）。
import { request } from './client.js'

const enc = encodeURIComponent
const base = (siteId) => `/sites/${enc(siteId)}/listings`

export const listingsApi = {
  // 供应商
  mine: (siteId, { status } = {}) => request('GET', `${base(siteId)}/mine`, { query: { status } }),
  create: (siteId, body, idempotencyKey) =>
    request('POST', base(siteId), { body, headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} }),
  update: (siteId, id, body) => request('PUT', `${base(siteId)}/${enc(id)}`, { body }),
  price: (siteId, id, body) => request('PUT', `${base(siteId)}/${enc(id)}/price`, { body }),
  stock: (siteId, id, stock) => request('PUT', `${base(siteId)}/${enc(id)}/stock`, { body: { stock } }),
  withdraw: (siteId, id) => request('POST', `${base(siteId)}/${enc(id)}/withdraw`, { body: {} }),
  resubmit: (siteId, id) => request('POST', `${base(siteId)}/${enc(id)}/resubmit`, { body: {} }),

  // 商品图片：登记 → 预签名 POST 上传 → 确认（检查文件内容）→ 后台处理出主图与缩略图
  startImage: (siteId, body) => request('POST', `${base(siteId)}/images`, { body }),
  confirmImage: (siteId, imageId) =>
    request('POST', `/sites/${enc(siteId)}/listing-images/${enc(imageId)}/confirm`, { body: {} }),
  image: (siteId, imageId) => request('GET', `/sites/${enc(siteId)}/listing-images/${enc(imageId)}`),

  // 采购中心 / 省级
  reviewQueue: (siteId, { status, cursor } = {}) =>
    request('GET', `${base(siteId)}/review`, { query: { status, cursor } }),
  review: (siteId, id, decision, reason = '') =>
    request('POST', `${base(siteId)}/${enc(id)}/review`, { body: { decision, reason } }),
  delist: (siteId, id, reason) => request('POST', `${base(siteId)}/${enc(id)}/delist`, { body: { reason } }),
  // 审核人看到的商品（任何状态，含审核记录）
  underReview: (siteId, id) => request('GET', `${base(siteId)}/${enc(id)}/review`),

  // 商品详情（公众只能看已上架的）
  detail: (siteId, id) => request('GET', `${base(siteId)}/${enc(id)}`),
}
