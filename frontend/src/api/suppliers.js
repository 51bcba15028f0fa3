// 供应商：注册、企业资料与证照、审核（docs/api.md「Suppliers」）。路径集中在此，便于与后端对齐。
import { ApiError, request } from './client.js'

const enc = encodeURIComponent

export const suppliersApi = {
  industries: () => request('GET', '/suppliers/industries', { auth: false }),
  register: (body, idempotencyKey) =>
    request('POST', '/suppliers/register', {
      body,
      auth: false,
      headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {},
    }),

  // 供应商本人
  me: () => request('GET', '/suppliers/me'),
  updateMe: (body) => request('PUT', '/suppliers/me', { body }),
  submit: () => request('POST', '/suppliers/me/submit', { body: {} }),
  createDocument: (meta) => request('POST', '/suppliers/me/documents', { body: meta }),
  confirmDocument: (docId) => request('POST', `/suppliers/me/documents/${enc(docId)}/confirm`, { body: {} }),
  deleteDocument: (docId) => request('DELETE', `/suppliers/me/documents/${enc(docId)}`),

  // 采购中心 / 省级 / 财政（只读）
  list: ({ status, cursor } = {}) => request('GET', '/suppliers', { query: { status, cursor } }),
  detail: (uscc) => request('GET', `/suppliers/${enc(uscc)}`),
  review: (uscc, decision, reason = '') =>
    request('POST', `/suppliers/${enc(uscc)}/review`, { body: { decision, reason } }),
  suspend: (uscc, reason, until) =>
    request('POST', `/suppliers/${enc(uscc)}/suspend`, { body: until ? { reason, until } : { reason } }),
  expel: (uscc, reason, until) =>
    request('POST', `/suppliers/${enc(uscc)}/expel`, { body: until ? { reason, until } : { reason } }),
  // 已入驻供应商的资料变更与证照更新（待审核）
  changes: ({ cursor } = {}) => request('GET', '/suppliers/changes', { query: { cursor } }),
  decideChange: (uscc, decision, reason = '') =>
    request('POST', `/suppliers/${enc(uscc)}/changes/decision`, { body: { decision, reason } }),
  reinstate: (uscc, reason) => request('POST', `/suppliers/${enc(uscc)}/reinstate`, { body: { reason } }),
}

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
export const DOCUMENT_TYPES = Object.freeze({
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
})

/** 证照文件的 MIME 类型（按扩展名，浏览器给出的 type 可能为空）；不支持的类型返回 ''。 */
export function documentContentType(fileName) {
  const ext = String(fileName || '').split('.').pop().toLowerCase()
  return DOCUMENT_TYPES[ext] || ''
}

/** 校验待上传的证照文件，返回错误说明或 ''。 */
export function checkDocumentFile(file) {
  if (!file) return '请选择文件'
  if (!documentContentType(file.name)) return '仅支持 PDF、JPG、PNG 格式的文件'
  if (file.size > MAX_DOCUMENT_BYTES) return '文件不能超过 10 MB'
  if (file.size === 0) return '文件内容为空'
  return ''
}

/**
 * 按 S3 预签名 POST 上传：先放 fields 的全部条目，最后放 file；不带 Authorization。
 * 失败抛出 ApiError（code UPLOAD_FAILED）。
 */
export async function postToS3(upload, file) {
  const form = new FormData()
  for (const [k, v] of Object.entries(upload.fields || {})) form.append(k, v)
  form.append('file', file)
  let res
  try {
    res = await fetch(upload.url, { method: 'POST', body: form })
  } catch {
    throw new ApiError({ code: 'UPLOAD_FAILED', message: '文件上传失败，请检查网络后重试' })
  }
  if (!res.ok) {
    throw new ApiError({ status: res.status, code: 'UPLOAD_FAILED', message: `文件上传失败（HTTP ${res.status}）` })
  }
}

/** 上传一份证照：登记 → 上传到 S3 → 确认。返回确认接口的结果。 */
export async function uploadDocument(kind, file) {
  const contentType = documentContentType(file.name)
  const created = await suppliersApi.createDocument({
    kind,
    file_name: file.name,
    content_type: contentType,
    size: file.size,
  })
  await postToS3(created.upload, file)
  return suppliersApi.confirmDocument(created.doc_id)
}
