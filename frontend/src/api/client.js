// 调用后端 JSON API。错误统一为 ApiError（code / message / details / status）。
import { session } from '../stores/session.js'

export class ApiError extends Error {
  constructor({ status = 0, code = 'UNKNOWN', message = '操作失败，请稍后重试', details = null } = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
    this.handled = false // 已由全局处理（如 401 跳转登录），页面不必再提示
  }

  /** details 为 [{field, message}] 时，返回 {field: message}。 */
  fieldErrors() {
    const out = {}
    if (Array.isArray(this.details)) {
      for (const d of this.details) {
        if (d && typeof d.field === 'string' && d.field) out[d.field] = d.message || '填写有误'
      }
    }
    return out
  }
}

let unauthorizedHandler = null

/** 注册 401 处理（main.js 中设置为“清除登录状态并跳转登录页”）。 */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler
}

export function apiBase() {
  const cfg = (typeof window !== 'undefined' && window.APP_CONFIG) || {}
  const base = typeof cfg.apiBase === 'string' ? cfg.apiBase : ''
  return base.replace(/\/+$/, '')
}

function buildUrl(path, query) {
  let url = apiBase() + path
  if (query) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') params.append(k, String(v))
    }
    const qs = params.toString()
    if (qs) url += (url.includes('?') ? '&' : '?') + qs
  }
  return url
}

async function readJson(res) {
  const text = await res.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/**
 * 发送请求。options: {query, body, headers, auth (默认 true)}。
 * 成功返回解析后的 JSON；失败抛出 ApiError。
 */
export async function request(method, path, options = {}) {
  const { query, body, headers = {}, auth = true } = options
  const h = { Accept: 'application/json', ...headers }
  if (body !== undefined) h['Content-Type'] = 'application/json'
  if (auth && session.token) h.Authorization = `Bearer ${session.token}`

  let res
  try {
    res = await fetch(buildUrl(path, query), {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError({ code: 'NETWORK_ERROR', message: '无法连接服务器，请检查网络后重试' })
  }

  const data = await readJson(res)
  if (res.ok) return data

  const err = new ApiError({
    status: res.status,
    code: (data && data.code) || `HTTP_${res.status}`,
    message: (data && data.message) || `请求失败（HTTP ${res.status}）`,
    details: data ? data.details ?? null : null,
  })
  // 登录接口本身的 401 是“用户名或密码错误”，交给登录页提示。
  if (res.status === 401 && auth && session.token) {
    err.handled = true
    if (unauthorizedHandler) unauthorizedHandler(err)
  }
  throw err
}

export const api = {
  sites: () => request('GET', '/sites', { auth: false }),
  siteConfig: (siteId) => request('GET', `/sites/${encodeURIComponent(siteId)}/config`, { auth: false }),
  login: (username, password) =>
    request('POST', '/auth/login', { body: { username, password }, auth: false }),
  requestReset: (username) => request('POST', '/auth/password-reset', { body: { username }, auth: false }),
  confirmReset: (username, code, newPassword) =>
    request('POST', '/auth/password-reset/confirm', { body: { username, code, new_password: newPassword }, auth: false }),
  changePassword: (oldPassword, newPassword) =>
    request('POST', '/me/password', { body: { old_password: oldPassword, new_password: newPassword } }),
  me: () => request('GET', '/me'),
  putLimits: (siteId, body) => request('PUT', `/sites/${encodeURIComponent(siteId)}/limits`, { body }),
  putMethods: (siteId, body) => request('PUT', `/sites/${encodeURIComponent(siteId)}/methods`, { body }),
  putBidding: (siteId, body) => request('PUT', `/sites/${encodeURIComponent(siteId)}/bidding`, { body }),
  changes: (siteId) => request('GET', `/sites/${encodeURIComponent(siteId)}/changes`),
  cancelChange: (siteId, changeId) =>
    request('DELETE', `/sites/${encodeURIComponent(siteId)}/changes/${encodeURIComponent(changeId)}`),
  audit: (siteId, { limit = 20, cursor, ...filters } = {}) =>
    request('GET', `/sites/${encodeURIComponent(siteId)}/audit`, { query: { limit, cursor, ...filters } }),
  accounts: (siteId) => request('GET', `/sites/${encodeURIComponent(siteId)}/accounts`),
  openAccount: (siteId, body) => request('POST', `/sites/${encodeURIComponent(siteId)}/accounts`, { body }),
  setAccountEnabled: (siteId, username, enabled, reason) =>
    request('POST', `/sites/${encodeURIComponent(siteId)}/accounts/${encodeURIComponent(username)}/${enabled ? 'enable' : 'disable'}`, {
      body: { reason },
    }),
  workbench: (siteId) => request('GET', `/sites/${encodeURIComponent(siteId)}/workbench`),
  auditOptions: (siteId) => request('GET', `/sites/${encodeURIComponent(siteId)}/audit/options`),
  exportAudit: (siteId, filters = {}) =>
    request('POST', `/sites/${encodeURIComponent(siteId)}/audit/export`, { query: filters, body: {} }),
  orgs: (siteId, district) =>
    request('GET', `/sites/${encodeURIComponent(siteId)}/orgs`, { query: { district } }),
  updateOrgContact: (siteId, uscc, body) =>
    request('PUT', `/sites/${encodeURIComponent(siteId)}/orgs/${encodeURIComponent(uscc)}/contact`, { body }),
  createOrg: (siteId, org, idempotencyKey) =>
    request('POST', `/sites/${encodeURIComponent(siteId)}/orgs`, {
      body: org,
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
}
