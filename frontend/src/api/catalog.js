// 网上超市商品目录（docs/api.md「Catalog」）。
import { request } from './client.js'

const enc = encodeURIComponent
const base = (siteId) => `/sites/${enc(siteId)}/catalog`

export const PAGE_SIZE = 20

export const catalogApi = {
  /** filters: {category, sort, brand, min_price_fen, max_price_fen, scale, district, limit, cursor} */
  browse: (siteId, filters = {}) => request('GET', base(siteId), { query: { limit: PAGE_SIZE, ...filters } }),
  /** {q, sort, limit, cursor} → {items, next_cursor, matched_category} */
  search: (siteId, params = {}) => request('GET', `${base(siteId)}/search`, { query: { limit: PAGE_SIZE, ...params } }),
  brands: (siteId, category) => request('GET', `${base(siteId)}/brands`, { query: { category } }),
  compare: (siteId, ids) => request('GET', `${base(siteId)}/compare`, { query: { ids: ids.join(',') } }),
  /** 首页货架：{hot, sme}（公开） */
  featured: (siteId) => request('GET', `${base(siteId)}/featured`, { auth: false }),
  /** 搜索框联想：{items: [{text, kind, meant}]} */
  suggest: (siteId, q) => request('GET', `${base(siteId)}/suggest`, { query: { q }, auth: false }),
  detail: (siteId, id) => request('GET', `/sites/${enc(siteId)}/listings/${enc(id)}`),
  /** 价格监测：参考价、商城同型号成交价（跨站点、近一年）与走势。 */
  prices: (siteId, id) => request('GET', `/sites/${enc(siteId)}/listings/${enc(id)}/prices`, { auth: false }),
  /** 特色场馆：首页货架 {items: [{code, name, intro, items}]}（公开） */
  pavilions: (siteId) => request('GET', `/sites/${enc(siteId)}/pavilions`, { auth: false }),
  /** 某个场馆的商品（按销量），可按关键词与筛选条件查找：{pavilion, items, next_cursor} */
  pavilion: (siteId, code, params = {}) =>
    request('GET', `/sites/${enc(siteId)}/pavilions/${enc(code)}/listings`, { query: { limit: PAGE_SIZE, ...params }, auth: false }),
}
