import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { ElMessage } from 'element-plus'
import PlansView from '../src/views/PlansView.vue'
import { saveLogin, session } from '../src/stores/session.js'
import { CONFIG } from './fixtures.js'
import { BUYER, cleanupDom, mockFetch, resetApp } from './helpers.js'
import { mountView } from './mount.js'

const PUSHED = {
  plan_no: '37150212000120260015',
  site_id: 'liaocheng',
  source: 'pushed',
  status: 'pending_acceptance',
  name: '台式计算机采购项目',
  business_year: 2026,
  business_month: 11,
  purchase_method: 'online_supermarket',
  buyer: { uscc: '11371500MB2853182R', name: '聊城市教育和体育局' },
  district: '371500',
  funding_department: '教科文科',
  planned_date: '2026-11-25',
  deadline_date: '2026-12-31',
  funds: { general_budget: 35000000, government_fund: 0, state_capital: 0, fiscal_special: 0, self_raised: 0 },
  budget_fen: 35000000,
  committed_fen: 0,
  balance_fen: 35000000,
  line: { catalog_code: 'A02010105', catalog_name: '台式计算机', item_name: '台式计算机', quantity: 70, unit: '台', unit_price_fen: 500000, amount_fen: 35000000 },
  budget_category: null,
  return_reason: '',
  version: 1,
}

async function mountPlans() {
  return (await mountView(PlansView)).wrapper
}

function bodyButton(text) {
  return [...document.body.querySelectorAll('button')].find((b) => b.textContent.trim() === text && b.offsetParent !== undefined)
}

beforeEach(() => {
  resetApp()
  saveLogin({ token: 'tok', expires_in: 3600, user: BUYER }, 'liaocheng')
  session.config = CONFIG
})

afterEach(cleanupDom)

describe('PlansView (buyer)', () => {
  it('lists plans in 元 and accepts a pushed plan after confirmation', async () => {
    const fetch = mockFetch({
      'GET /sites/liaocheng/plans': [200, { items: [PUSHED], next_cursor: null }],
      'POST /sites/liaocheng/plans/37150212000120260015/accept': [200, { ...PUSHED, status: 'accepted' }],
    })
    const wrapper = await mountPlans()
    const row = wrapper.find('[data-testid="plans-table"] .el-table__row')
    expect(row.text()).toContain('37150212000120260015')
    expect(row.text()).toContain('推送')
    expect(row.text()).toContain('350,000.00')
    expect(row.text()).toContain('待接收')
    await wrapper.find('[data-testid="plan-accept"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(document.body.querySelector('.el-message-box')).not.toBeNull())
    expect(document.body.querySelector('.el-message-box').textContent).toContain('台式计算机采购项目')
    bodyButton('确定').click()
    await vi.waitFor(() =>
      expect(fetch.mock.calls.some(([u, i]) => u.endsWith('/plans/37150212000120260015/accept') && i.method === 'POST')).toBe(true),
    )
    wrapper.unmount()
  })

  it('creates a self-built plan in 元 and shows LIMIT_EXCEEDED with the amount left', async () => {
    const error = vi.spyOn(ElMessage, 'error')
    const message = '超过单个采购计划限额 100 万元，本计划最多还可填报 1,000,000.00 元'
    const fetch = mockFetch({
      'GET /sites/liaocheng/plans': [200, { items: [], next_cursor: null }],
      'POST /sites/liaocheng/plans': [
        422,
        { code: 'LIMIT_EXCEEDED', message, details: { limit: 'per_plan', limit_label: '单个采购计划限额', limit_fen: 100000000, used_fen: 0, left_fen: 100000000 } },
      ],
    })
    const wrapper = await mountPlans()
    await wrapper.find('[data-testid="plan-create"]').trigger('click')
    await flushPromises()
    const dialog = () => document.body.querySelector('[data-testid="plan-create-dialog"]')
    await vi.waitFor(() => expect(dialog()).not.toBeNull())
    const set = async (testid, value) => {
      const el = dialog().querySelector(`[data-testid="${testid}"]`)
      el.value = value
      el.dispatchEvent(new Event('input'))
      await flushPromises()
    }
    await set('plan-name', '办公家具采购')
    await set('plan-amount', '2000000.5')
    const vm = wrapper.vm
    vm.form.budget_category = 'A05040000'
    vm.form.planned_date = '2026-12-10'
    await flushPromises()
    bodyButton('确定').click()
    await vi.waitFor(() => expect(error).toHaveBeenCalledWith(message))
    const [, init] = fetch.mock.calls.find(([u, i]) => u.endsWith('/sites/liaocheng/plans') && i.method === 'POST')
    expect(JSON.parse(init.body)).toMatchObject({
      name: '办公家具采购',
      purchase_method: 'online_supermarket',
      budget_category: 'A05040000',
      amount_fen: 200000050,
      planned_date: '2026-12-10',
    })
    expect(init.headers['Idempotency-Key']).toBeTruthy()
    await vi.waitFor(() => {
      const alert = dialog().querySelector('[data-testid="plan-limit-error"]')
      expect(alert.textContent).toContain(message)
      expect(alert.textContent).toContain('限额类型：单个采购计划限额')
      expect(alert.textContent).toContain('剩余可用：100.00 万元')
    })
    wrapper.unmount()
  })
})
