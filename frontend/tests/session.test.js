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
    expect(titles('buyer')).toEqual(['首页', '网上超市', '购物车', '订单管理', '竞价与反拍', '框架协议', '批量采购', '定点采购', '采购计划', '投诉举报', '咨询服务', '个人信息'])
    expect(titles('supplier')).toEqual(['首页', '网上超市', '订单管理', '竞价与反拍', '框架协议', '批量采购', '定点采购', '我的商品', '企业资料', '整改与信用', '投诉举报', '咨询服务', '个人信息'])
    const admin = ['首页', '网上超市', '订单管理', '竞价与反拍', '框架协议', '批量采购', '定点采购', '供应商审核', '商品审核', '采购计划', '监督巡检', '动态预警', '诚信管理', '差评回访', '公告管理', '特色场馆', '站点配置', '采购单位', '统计报表', '审计日志', '接口文档', '投诉举报', '咨询服务', '个人信息']
    expect(titles('center_admin')).toEqual(admin)
    expect(titles('province_admin')).toEqual(admin)
    expect(titles('finance')).toEqual(['首页', '网上超市', '订单管理', '竞价与反拍', '框架协议', '批量采购', '定点采购', '供应商审核', '采购计划', '监督巡检', '动态预警', '诚信管理', '站点配置', '采购单位', '统计报表', '审计日志', '接口文档', '投诉举报', '咨询服务', '个人信息'])
    // A site that has not enabled a method does not list it.
    expect(menuFor('buyer', ['direct', 'batch']).map((m) => m.title)).toEqual(['首页', '网上超市', '购物车', '订单管理', '竞价与反拍', '批量采购', '采购计划', '投诉举报', '咨询服务', '个人信息'])
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
    expect(guard({ name: 'register', meta: { public: true }, matched: [] })).toEqual({ path: '/' })
  })

  it('lets guests open the supplier registration and keeps roles on their pages', () => {
    const to = (path, roles) => ({ path, fullPath: path, meta: {}, matched: [{ meta: {} }, { meta: { roles } }] })
    expect(guard({ name: 'register', meta: { public: true }, matched: [] })).toBe(true)
    // 阳光采购：首页与网上超市不登录也能看，其余页面仍须登录
    const open = (path) => ({ path, fullPath: path, meta: {}, matched: [{ meta: {} }, { meta: { anonymous: true } }] })
    expect(guard(open('/catalog'))).toBe(true)
    expect(guard(open('/'))).toBe(true)
    expect(guard(to('/orders', undefined))).toEqual({ path: '/login', query: { redirect: '/orders' } })
    saveLogin({ token: 't', expires_in: 3600, user: BUYER }, 'liaocheng')
    expect(guard(to('/plans', ['buyer', 'center_admin', 'finance', 'province_admin']))).toBe(true)
    expect(guard(to('/my-listings', ['supplier']))).toEqual({ path: '/' })
    expect(guard(to('/supplier-review', ['center_admin', 'province_admin', 'finance']))).toEqual({ path: '/' })
    saveLogin({ token: 't', expires_in: 3600, user: { ...BUYER, role: 'finance' } }, 'liaocheng')
    expect(guard(to('/supplier-review', ['center_admin', 'province_admin', 'finance']))).toBe(true)
    expect(guard(to('/listing-review', ['center_admin', 'province_admin']))).toEqual({ path: '/' })
  })
})
