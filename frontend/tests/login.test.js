import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import LoginView from '../src/views/LoginView.vue'
import { STORAGE_KEYS, session } from '../src/stores/session.js'
import { BUYER, SITES, cleanupDom, mockFetch, resetApp } from './helpers.js'
import { mountView } from './mount.js'

function mountLogin() {
  return mountView(LoginView, {
    at: '/login',
    routes: [
      { path: '/login', component: LoginView },
      { path: '/register', component: { template: '<div>供应商注册</div>' } },
      { path: '/', component: { template: '<div>首页</div>' } },
    ],
  })
}

beforeEach(() => resetApp())

afterEach(cleanupDom)

describe('LoginView', () => {
  it('renders the Chinese labels, the site list and a hint for new users (no developer words)', async () => {
    const fetch = mockFetch({ 'GET /sites': [200, { items: SITES }] })
    const { wrapper } = await mountLogin()

    expect(fetch).toHaveBeenCalledWith('http://api.test/sites', expect.objectContaining({ method: 'GET' }))
    const labels = wrapper.findAll('.el-form-item__label').map((l) => l.text())
    expect(labels).toEqual(['站点', '用户名', '密码'])
    expect(wrapper.find('button[type="submit"]').text()).toBe('登录')
    expect(wrapper.find('input[autocomplete="username"]').attributes('placeholder')).toBe('请输入用户名')
    expect(wrapper.find('input[type="password"]').attributes('placeholder')).toBe('请输入密码')
    // 默认站点为聊城，标题随站点变化
    expect(wrapper.find('[data-testid="login-title"]').text()).toBe('齐鲁云采·聊城市政府采购网上商城')
    expect(wrapper.find('.el-select').text()).toContain('聊城市政府采购网上商城')
    expect(wrapper.text()).toContain('采购单位账号由采购中心开通')
    expect(wrapper.text()).not.toContain('README')
    wrapper.unmount()
  })

  it('links to the supplier registration', async () => {
    mockFetch({ 'GET /sites': [200, { items: SITES }] })
    const { wrapper, router } = await mountLogin()
    const link = wrapper.find('[data-testid="register-link"]')
    expect(link.text()).toBe('供应商注册')
    await link.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/register')
    wrapper.unmount()
  })

  it('remembers the last chosen site', async () => {
    localStorage.setItem(STORAGE_KEYS.loginSite, 'weihai')
    mockFetch({ 'GET /sites': [200, { items: SITES }] })
    const { wrapper } = await mountLogin()
    expect(wrapper.find('[data-testid="login-title"]').text()).toBe('齐鲁云采·威海市政府采购网上商城')
    wrapper.unmount()
  })

  it('shows required-field messages in Chinese', async () => {
    mockFetch({ 'GET /sites': [200, { items: SITES }] })
    const { wrapper } = await mountLogin()
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(() => {
      const errors = wrapper.findAll('.el-form-item__error').map((e) => e.text())
      expect(errors).toEqual(['请输入用户名', '请输入密码'])
    })
    wrapper.unmount()
  })

  it('logs in, stores token and user, and goes to the home page', async () => {
    const fetch = mockFetch({
      'GET /sites': [200, { items: SITES }],
      'POST /auth/login': [200, { token: 'jwt-1', expires_in: 3600, user: BUYER }],
    })
    const { wrapper, router } = await mountLogin()
    await wrapper.find('input[autocomplete="username"]').setValue('lc_buyer')
    await wrapper.find('input[type="password"]').setValue('Demo#2026')
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    const [url, init] = fetch.mock.calls.find(([u]) => u.endsWith('/auth/login'))
    expect(url).toBe('http://api.test/auth/login')
    expect(JSON.parse(init.body)).toEqual({ username: 'lc_buyer', password: 'Demo#2026' })
    expect(localStorage.getItem(STORAGE_KEYS.token)).toBe('jwt-1')
    expect(JSON.parse(localStorage.getItem(STORAGE_KEYS.user)).name).toBe('张敏')
    expect(localStorage.getItem(STORAGE_KEYS.loginSite)).toBe('liaocheng')
    expect(session.siteId).toBe('liaocheng')
    expect(router.currentRoute.value.path).toBe('/')
    wrapper.unmount()
  })

  it('shows the server message, with the attempts left, when the password is wrong', async () => {
    mockFetch({
      'GET /sites': [200, { items: SITES }],
      'POST /auth/login': [401, { code: 'LOGIN_FAILED', message: '用户名或密码错误，再失败 4 次账号将锁定 15 分钟' }],
    })
    const { wrapper, router } = await mountLogin()
    await wrapper.find('input[autocomplete="username"]').setValue('lc_buyer')
    await wrapper.find('input[type="password"]').setValue('wrong')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="login-error"]').text()).toContain('再失败 4 次账号将锁定 15 分钟')
    expect(localStorage.getItem(STORAGE_KEYS.token)).toBeNull()
    expect(router.currentRoute.value.path).toBe('/login')
    wrapper.unmount()
  })
})
