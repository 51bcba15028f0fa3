import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { ElMessage } from 'element-plus'
import RegisterView from '../src/views/RegisterView.vue'
import { STORAGE_KEYS, session } from '../src/stores/session.js'
import { OTHER_TEXT_ONLY, WHOLESALE } from './fixtures.js'
import { SITES, cleanupDom, mockFetch, resetApp } from './helpers.js'
import { mountView } from './mount.js'

const SUPPLIER_USER = {
  user_id: 'u-9',
  username: 'lc_sup_new',
  name: '刘洋',
  role: 'supplier',
  role_label: '供应商',
  tenant: 'shandong',
  org_id: '91371502MA3G2P8B5L',
  org_name: '聊城市东昌府区瑞丰办公设备有限公司',
  district: '371502',
}

function mountRegister() {
  return mountView(RegisterView, {
    at: '/register',
    routes: [
      { path: '/register', component: RegisterView },
      { path: '/login', component: { template: '<div>登录</div>' } },
      { path: '/supplier-profile', component: { template: '<div>企业资料</div>' } },
    ],
  })
}

const input = (wrapper, testid) => wrapper.find(`[data-testid="${testid}"]`)
const errorsOf = (wrapper) => wrapper.findAll('.el-form-item__error').map((e) => e.text())

async function fillValid(wrapper) {
  await input(wrapper, 'reg-username').setValue('lc_sup_new')
  await input(wrapper, 'reg-password').setValue('Gongying2026')
  await input(wrapper, 'reg-password2').setValue('Gongying2026')
  await input(wrapper, 'reg-uscc').setValue('91371502ma3g2p8b5l')
  await input(wrapper, 'reg-name').setValue('聊城市东昌府区瑞丰办公设备有限公司')
  await input(wrapper, 'reg-legal').setValue('刘洋')
  await input(wrapper, 'reg-address').setValue('聊城市东昌府区东昌东路 66 号')
  await input(wrapper, 'reg-revenue').setValue('1200')
  await input(wrapper, 'reg-assets').setValue('300.5')
  await input(wrapper, 'reg-contact-name').setValue('刘洋')
  await input(wrapper, 'reg-contact-phone').setValue('13906358888')
  await input(wrapper, 'reg-contact-email').setValue('liuyang@example.com')
  // 下拉框与数字框直接设置表单模型
  Object.assign(wrapper.vm.form, { home_district: '371502', ownership: 'private', industry: 'wholesale', employees: 30 })
  await flushPromises()
}

beforeEach(() => {
  // jsdom 没有 scrollIntoView（el-form 出错时滚动到该项）
  if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => {}
  resetApp()
})

afterEach(cleanupDom)

describe('RegisterView', () => {
  it('shows required-field messages in Chinese and the password rule', async () => {
    mockFetch({
      'GET /suppliers/industries': [200, { items: [WHOLESALE, OTHER_TEXT_ONLY] }],
      'GET /sites': [200, { items: SITES }],
    })
    const { wrapper } = await mountRegister()
    expect(wrapper.find('[data-testid="register-submit"]').text()).toBe('提交注册')
    expect(input(wrapper, 'reg-password').attributes('placeholder')).toBe('至少 10 位，含大小写字母和数字')
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(() => {
      const errors = errorsOf(wrapper)
      expect(errors).toContain('请输入用户名')
      expect(errors).toContain('请输入统一社会信用代码')
      expect(errors).toContain('请选择所在区划')
      expect(errors).toContain('请选择所属行业')
      expect(errors).toContain('请输入营业收入')
      expect(errors).toContain('请输入手机号')
    })
    wrapper.unmount()
  })

  it('rejects a weak password, a wrong check character, a mismatched confirmation and sub-fen 万元', async () => {
    const fetch = mockFetch({
      'GET /suppliers/industries': [200, { items: [WHOLESALE] }],
      'GET /sites': [200, { items: SITES }],
    })
    const { wrapper } = await mountRegister()
    await fillValid(wrapper)
    await input(wrapper, 'reg-password').setValue('gongying2026')
    await input(wrapper, 'reg-password2').setValue('Gongying2026')
    await input(wrapper, 'reg-uscc').setValue('91371502MA3G2P8B50')
    await input(wrapper, 'reg-revenue').setValue('0.0000001')
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(() => {
      const errors = errorsOf(wrapper)
      expect(errors).toContain('密码须至少 10 位，含大小写字母和数字')
      expect(errors).toContain('两次输入的密码不一致')
      expect(errors).toContain('统一社会信用代码格式或校验位不正确')
      expect(errors.some((e) => e.includes('精确到分'))).toBe(true)
    })
    expect(fetch.mock.calls.some(([u]) => u.endsWith('/suppliers/register'))).toBe(false)
    wrapper.unmount()
  })

  it('shows the criteria and the implied scale live, and auto-selects it', async () => {
    mockFetch({
      'GET /suppliers/industries': [200, { items: [WHOLESALE, OTHER_TEXT_ONLY] }],
      'GET /sites': [200, { items: SITES }],
    })
    const { wrapper } = await mountRegister()
    await fillValid(wrapper)
    expect(wrapper.find('[data-testid="reg-criteria"]').text()).toContain('从业人员5人及以上，且营业收入1000万元及以上的为小型企业')
    expect(wrapper.find('[data-testid="reg-scale-hint"]').text()).toContain('小型企业')
    expect(wrapper.vm.form.scale).toBe('small')
    wrapper.vm.form.scale = 'medium'
    await flushPromises()
    expect(wrapper.find('[data-testid="reg-scale-hint"]').text()).toContain('与所选「中型」不一致')
    // 只有文字标准的行业不在浏览器里推算
    wrapper.vm.form.industry = 'other'
    await flushPromises()
    expect(wrapper.find('[data-testid="reg-scale-hint"]').text()).toContain('提交后由系统按上述标准核定企业规模')
    wrapper.unmount()
  })

  it('submits exact fen, shows SCALE_MISMATCH, then registers, logs in and opens 企业资料', async () => {
    const error = vi.spyOn(ElMessage, 'error')
    let attempts = 0
    const fetch = mockFetch({
      'GET /suppliers/industries': [200, { items: [WHOLESALE] }],
      'GET /sites': [200, { items: SITES }],
      'POST /suppliers/register': () => {
        attempts += 1
        return attempts === 1
          ? [422, { code: 'SCALE_MISMATCH', message: '企业规模与中小企业声明数据不符', details: { computed_scale: 'small' } }]
          : [201, { supplier: { uscc: '91371502MA3G2P8B5L', status: 'pending' } }]
      },
      'POST /auth/login': [200, { token: 'jwt-sup', expires_in: 3600, user: SUPPLIER_USER }],
    })
    const { wrapper, router } = await mountRegister()
    await fillValid(wrapper)
    wrapper.vm.form.scale = 'medium'
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="reg-scale-mismatch"]').exists()).toBe(true))
    expect(error).toHaveBeenCalledWith('企业规模与中小企业声明数据不符')
    expect(wrapper.find('[data-testid="reg-scale-mismatch"]').text()).toContain('小型企业')
    await vi.waitFor(() => expect(errorsOf(wrapper)).toContain('企业规模与中小企业声明数据不符'))

    const [, init] = fetch.mock.calls.find(([u]) => u.endsWith('/suppliers/register'))
    const body = JSON.parse(init.body)
    expect(body.uscc).toBe('91371502MA3G2P8B5L')
    expect(body.declaration).toEqual({ industry: 'wholesale', employees: 30, revenue_fen: 1200000000, assets_fen: 300500000 })
    expect(body.contact).toEqual({ name: '刘洋', phone: '13906358888', email: 'liuyang@example.com' })
    expect(body).not.toHaveProperty('password2')
    expect(init.headers.Authorization).toBeUndefined()
    expect(init.headers['Idempotency-Key']).toBeTruthy()

    // 采用系统核定的规模后重新提交
    const adopt = wrapper.find('[data-testid="reg-scale-mismatch"] button')
    expect(adopt.text()).toBe('改为小型')
    await adopt.trigger('click')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/supplier-profile'))
    const login = fetch.mock.calls.find(([u]) => u.endsWith('/auth/login'))
    expect(JSON.parse(login[1].body)).toEqual({ username: 'lc_sup_new', password: 'Gongying2026' })
    expect(localStorage.getItem(STORAGE_KEYS.token)).toBe('jwt-sup')
    expect(session.siteId).toBe('liaocheng') // 全省通用的供应商用登录页上次所选站点
    wrapper.unmount()
  })

  it('puts USERNAME_TAKEN and field details next to the fields', async () => {
    mockFetch({
      'GET /suppliers/industries': [200, { items: [WHOLESALE] }],
      'GET /sites': [200, { items: SITES }],
      'POST /suppliers/register': [
        409,
        { code: 'USERNAME_TAKEN', message: '用户名已被使用', details: [{ field: 'contact.email', message: '邮箱已被其他供应商使用' }] },
      ],
    })
    const { wrapper } = await mountRegister()
    await fillValid(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => {
      const errors = errorsOf(wrapper)
      expect(errors).toContain('用户名已被使用')
      expect(errors).toContain('邮箱已被其他供应商使用')
    })
    wrapper.unmount()
  })
})
