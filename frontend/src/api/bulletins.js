// 首页公告、培训资料、常见问题（docs/api.md「Bulletins」）：公开阅读，采购中心发布。
import { request } from './client.js'

const enc = encodeURIComponent
const base = (siteId) => `/sites/${enc(siteId)}/bulletins`

export const BULLETIN_KINDS = Object.freeze([
  { code: 'notice', label: '通知公告' },
  { code: 'training', label: '培训资料' },
  { code: 'faq', label: '常见问题' },
])

export const bulletinsApi = {
  /** {kind, q, limit} → {items, total}（公开，未登录可读） */
  list: (siteId, params = {}) => request('GET', base(siteId), { query: params, auth: false }),
  one: (siteId, id) => request('GET', `${base(siteId)}/${enc(id)}`, { auth: false }),
  manage: (siteId, params = {}) => request('GET', `${base(siteId)}/manage`, { query: { limit: 50, ...params } }),
  publish: (siteId, body) => request('POST', base(siteId), { body }),
  revise: (siteId, id, body) => request('PUT', `${base(siteId)}/${enc(id)}`, { body }),
  startFile: (siteId, meta) => request('POST', `${base(siteId)}/files`, { body: meta }),
  withdraw: (siteId, id) => request('POST', `${base(siteId)}/${enc(id)}/withdraw`, { body: {} }),
}

// 附件类型（与服务端 domain/bulletins.py 的 FILE_TYPES 一致）：政策小视频、PDF 文件、图片
export const BULLETIN_FILE_TYPES = Object.freeze({
  mp4: { type: 'video/mp4', maxMb: 200 },
  pdf: { type: 'application/pdf', maxMb: 20 },
  jpg: { type: 'image/jpeg', maxMb: 10 },
  jpeg: { type: 'image/jpeg', maxMb: 10 },
  png: { type: 'image/png', maxMb: 10 },
})
