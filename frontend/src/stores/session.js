// 登录状态与当前站点：保存在 localStorage，刷新页面后恢复。
import { reactive } from 'vue'

export const STORAGE_KEYS = Object.freeze({
  token: 'yuncai.token',
  user: 'yuncai.user',
  expiresAt: 'yuncai.expiresAt',
  site: 'yuncai.site', // 登录后界面所用站点
  loginSite: 'yuncai.loginSite', // 登录页上次选择的站点
})

export const DEFAULT_SITE_ID = 'liaocheng'

// 可在全省各站点办理业务的角色（token 中 tenant 为 "shandong"）。
export const PROVINCE_WIDE_ROLES = Object.freeze(['supplier', 'province_admin'])

function storage() {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null
  } catch {
    return null
  }
}

function readJson(key) {
  const raw = storage()?.getItem(key)
  if (!raw) return null
  try {
    return JSON.parse(raw)
  } catch {
    return null
  }
}

export const session = reactive({
  token: '',
  user: null,
  expiresAt: 0,
  siteId: '',
  config: null, // GET /sites/{id}/config
  sites: [], // GET /sites
})

/** 从 localStorage 恢复；已过期的登录状态直接清除。 */
export function restoreSession(now = Date.now()) {
  const s = storage()
  session.token = s?.getItem(STORAGE_KEYS.token) || ''
  session.user = readJson(STORAGE_KEYS.user)
  session.expiresAt = Number(s?.getItem(STORAGE_KEYS.expiresAt) || 0)
  session.siteId = s?.getItem(STORAGE_KEYS.site) || ''
  if (!session.token || !session.user || (session.expiresAt && session.expiresAt <= now)) {
    clearSession()
  }
}

export function isLoggedIn(now = Date.now()) {
  return Boolean(session.token && session.user && (!session.expiresAt || session.expiresAt > now))
}

export function isProvinceWide(user = session.user) {
  return Boolean(user && PROVINCE_WIDE_ROLES.includes(user.role))
}

/** 登录后界面所用站点：用户所属城市站点；全省用户用登录页所选站点。 */
export function resolveSiteId(user, pickedSiteId, sites) {
  const ids = (sites || []).map((s) => s.id)
  if (user && ids.includes(user.tenant)) return user.tenant
  if (pickedSiteId && (ids.length === 0 || ids.includes(pickedSiteId))) return pickedSiteId
  return ids[0] || pickedSiteId || DEFAULT_SITE_ID
}

export function saveLogin({ token, expires_in: expiresIn, user }, siteId, now = Date.now()) {
  const s = storage()
  session.token = token
  session.user = user
  session.expiresAt = expiresIn ? now + Number(expiresIn) * 1000 : 0
  session.siteId = siteId
  session.config = null
  s?.setItem(STORAGE_KEYS.token, token)
  s?.setItem(STORAGE_KEYS.user, JSON.stringify(user))
  s?.setItem(STORAGE_KEYS.expiresAt, String(session.expiresAt))
  s?.setItem(STORAGE_KEYS.site, siteId)
}

export function setUser(user) {
  session.user = user
  storage()?.setItem(STORAGE_KEYS.user, JSON.stringify(user))
}

export function setSiteId(siteId) {
  session.siteId = siteId
  session.config = null
  storage()?.setItem(STORAGE_KEYS.site, siteId)
}

export function clearSession() {
  const s = storage()
  session.token = ''
  session.user = null
  session.expiresAt = 0
  session.config = null
  s?.removeItem(STORAGE_KEYS.token)
  s?.removeItem(STORAGE_KEYS.user)
  s?.removeItem(STORAGE_KEYS.expiresAt)
}

export function getLoginSite() {
  return storage()?.getItem(STORAGE_KEYS.loginSite) || DEFAULT_SITE_ID
}

export function setLoginSite(siteId) {
  storage()?.setItem(STORAGE_KEYS.loginSite, siteId)
}

export function hasRole(...roles) {
  return Boolean(session.user && roles.includes(session.user.role))
}
