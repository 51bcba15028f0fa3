// 监督管理的页面：预警队列的立案（须写认定情况）与供应商的整改说明；代码表工具。
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import AlertsView from '../src/views/AlertsView.vue'
import MyFindingsView from '../src/views/MyFindingsView.vue'
import { saveLogin, session } from '../src/stores/session.js'
import { measureText } from '../src/utils/supervision.js'
import { CONFIG } from './fixtures.js'
import { BUYER, cleanupDom, mockFetch, resetApp } from './helpers.js'
import { mountView } from './mount.js'

const CENTER = { ...BUYER, username: 'liaocheng.center', name: '赵强', role: 'center_admin', org_name: '聊城市公共资源交易中心' }
const SUPPLIER = { ...BUYER, username: 'supplier.demo', role: 'supplier', tenant: 'shandong', org_id: '91371502MA3C7K2X1Q' }
const ROUTES = [
  { path: '/alerts', component: AlertsView },
  { path: '/my-findings', component: MyFindingsView },
]
const q = (sel) => document.body.querySelector(sel)
const posts = (fetch, suffix) => fetch.mock.calls.filter(([u, i]) => i.method === 'POST' && new URL(u).pathname.endsWith(suffix))

function login(user) {
  saveLogin({ token: 'tok', expires_in: 3600, user }, 'liaocheng')
  session.config = CONFIG
}

beforeEach(() => resetApp())
afterEach(() => cleanupDom())

const ALERT = {
  id: 'YJ0123456789ABCDEF',
  kind: 'splitting',
  kind_label: '化整为零',
  subject_name: '莘县教育和体育局',
  explanation: '莘县教育和体育局在 30 日内于“办公用品”（A05040000）下单 3 笔，单笔均低于 1.00 万元，合计 1.20 万元',
  evidence: [{ order_no: 'YC202612070000000001', at: '2026-12-07T02:00:00.000Z', buyer_name: '莘县教育和体育局', supplier_name: '甲寅', total_fen: 400000 }],
  figures: { orders: 3 },
  status: 'open',
  status_label: '待处理',
  raised_at: '2026-12-07T02:00:00.000Z',
  updated_at: '2026-12-07T02:00:00.000Z',
  handled_by: '',
  handling: '',
  actions: ['acknowledge', 'dismiss', 'finding'],
}

describe('AlertsView', () => {
  it('turns an alert into a finding only with its conclusion', async () => {
    login(CENTER)
    const fetch = mockFetch({
      'GET /sites/liaocheng/alerts': [200, { items: [ALERT] }],
      [`POST /sites/liaocheng/alerts/${ALERT.id}/handle`]: [200, { ...ALERT, status: 'finding', status_label: '已立案', actions: [] }],
    })
    const { wrapper } = await mountView(AlertsView, { routes: ROUTES, at: '/alerts' })
    const row = wrapper.find('[data-testid="alerts-table"] .el-table__row')
    expect(row.text()).toContain('化整为零')
    expect(row.text()).toContain('合计 1.20 万元')
    await row.find('[data-testid="alert-finding"]').trigger('click')
    await vi.waitFor(() => expect(q('[data-testid="reason-dialog"]')).not.toBeNull())
    q('[data-testid="reason-confirm"]').click() // no conclusion: nothing is sent
    await flushPromises()
    expect(posts(fetch, '/handle')).toHaveLength(0)
    const input = q('[data-testid="reason-input"]')
    input.value = '拆分采购，认定化整为零'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    q('[data-testid="reason-confirm"]').click()
    await vi.waitFor(() => expect(posts(fetch, '/handle')).toHaveLength(1))
    expect(JSON.parse(posts(fetch, '/handle')[0][1].body)).toEqual({ action: 'finding', reason: '拆分采购，认定化整为零' })
    wrapper.unmount()
  })
})

describe('MyFindingsView', () => {
  it('shows a supplier its findings and sends its correction', async () => {
    login(SUPPLIER)
    const finding = {
      id: 'F261207000001',
      campaign_id: 'XJ2026120700000001',
      site_id: 'liaocheng',
      listing_name: '雷士 LED 吸顶灯',
      problems: [{ check: 'category', check_label: '品目归类', message: '吸顶灯上架于台式计算机品目' }],
      evidence: { text: '商品页截图', attachments: [] },
      correct_by_day: '2026-12-14',
      status: 'notified',
      status_label: '待整改',
      correction: null,
      outcome: '',
      actions: ['correct'],
    }
    const fetch = mockFetch({
      'GET /findings': [200, { items: [finding] }],
      'GET /credit/entries': [200, { items: [] }],
      [`GET /suppliers/${SUPPLIER.org_id}/credit`]: [200, { score: 100, grade: 'A', grade_label: '守信', upheld_count: 0, warnings: [], status: 'active', suspended_sites: [] }],
      [`POST /inspections/${finding.campaign_id}/findings/${finding.id}/correction`]: [200, { ...finding, status: 'corrected', actions: [] }],
    })
    const { wrapper } = await mountView(MyFindingsView, { routes: ROUTES, at: '/my-findings' })
    const row = wrapper.find('[data-testid="my-findings-table"] .el-table__row')
    expect(row.text()).toContain('吸顶灯上架于台式计算机品目')
    expect(row.text()).toContain('2026-12-14')
    await row.find('[data-testid="finding-correct"]').trigger('click')
    await vi.waitFor(() => expect(q('[data-testid="reason-input"]')).not.toBeNull())
    const input = q('[data-testid="reason-input"]')
    input.value = '已改至室内照明灯具品目'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    q('[data-testid="reason-confirm"]').click()
    await vi.waitFor(() => expect(posts(fetch, '/correction')).toHaveLength(1))
    expect(JSON.parse(posts(fetch, '/correction')[0][1].body)).toEqual({ text: '已改至室内照明灯具品目' })
    wrapper.unmount()
  })
})

describe('measureText', () => {
  it('says the measure with its days and points', () => {
    expect(measureText('suspension', 10, 30)).toBe('暂停交易（30 天，扣 10 分）')
    expect(measureText('warning_notice', 2, 0)).toBe('警示通报（扣 2 分）')
    expect(measureText('risk_reminder', 0, 0)).toBe('风险提醒')
  })
})
