import { beforeEach, describe, expect, it } from 'vitest'
import {
  STORAGE_KEYS,
  clearSession,
  isLoggedIn,
  resolveSiteId,
  restoreSession,
  saveLogin,
  session,
} from '../src/stores/session.js'
import { canManage, menuFor } from '../src/menu.js'
import { guard } from '../src/router.js'
import { BUYER, SITES } from './helpers.js'

beforeEach(() => {
  localStorage.clear()
  clearSession()
})

describe('site resolution', () => {
  it('uses the city tenant of city users, ignoring the login pick', () => {
    expect(resolveSiteId(BUYER, 'weihai', SITES)).toBe('liaocheng')
  })

  it('uses the login pick for province-wide users', () => {
    const supplier = { ...BUYER, role: 'supplier', tenant: 'shandong' }
    expect(resolveSiteId(supplier, 'weihai', SITES)).toBe('weihai')
    expect(resolveSiteId(supplier, 'nowhere', SITES)).toBe('liaocheng')
  })
})

describe('session persistence', () => {
  it('stores and restores the login', () => {
    saveLogin({ token: 't', expires_in: 3600, user: BUYER }, 'liaocheng', 1000)
    session.token = ''
    restoreSession(2000)
    expect(session.token).toBe('t')
    expect(session.user.name).toBe('张敏')
    expect(session.siteId).toBe('liaocheng')
  })

  it('drops an expired login', () => {
    saveLogin({ token: 't', expires_in: 60, user: BUYER }, 'liaocheng', 0)
    restoreSession(61000)
    expect(session.token).toBe('')
    expect(localStorage.getItem(STORAGE_KEYS.token)).toBeNull()
    expect(isLoggedIn()).toBe(false)
  })
})

describe('menus and guards by role', () => {
  const titles = (role) => menuFor(role).map((m) => m.title)

  it('shows each role its menu', () => {
    expect(titles('buyer')).toEqual(['首页', '个人信息'])
    expect(titles('supplier')).toEqual(['首页', '个人信息'])
    expect(titles('center_admin')).toEqual(['首页', '站点配置', '采购单位', '审计日志', '个人信息'])
    expect(titles('province_admin')).toEqual(['首页', '站点配置', '采购单位', '审计日志', '个人信息'])
    expect(titles('finance')).toEqual(['首页', '站点配置', '采购单位', '审计日志', '个人信息'])
    expect(canManage('finance')).toBe(false)
    expect(canManage('center_admin')).toBe(true)
  })

  it('sends anonymous users to login and keeps buyers out of admin pages', () => {
    const to = (path, roles) => ({ path, fullPath: path, meta: {}, matched: [{ meta: {} }, { meta: { roles } }] })
    expect(guard(to('/audit', ['center_admin']))).toEqual({ path: '/login', query: { redirect: '/audit' } })
    saveLogin({ token: 't', expires_in: 3600, user: BUYER }, 'liaocheng')
    expect(guard(to('/audit', ['center_admin', 'finance']))).toEqual({ path: '/' })
    expect(guard(to('/profile', undefined))).toBe(true)
    expect(guard({ name: 'login', meta: { public: true }, matched: [] })).toEqual({ path: '/' })
  })
})
