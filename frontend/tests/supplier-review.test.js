import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import SupplierReviewView from '../src/views/SupplierReviewView.vue'
import { saveLogin, session } from '../src/stores/session.js'
import { BUYER, cleanupDom, mockFetch, resetApp } from './helpers.js'
import { mountView } from './mount.js'

const USCC = '91371502MA3C7K2X1Q'
const CENTER = { ...BUYER, username: 'liaocheng.center', role: 'center_admin', org_name: '聊城市公共资源交易中心' }
const PROVINCE = { ...BUYER, username: 'province.admin', role: 'province_admin', tenant: 'shandong' }
const SUPPLIER = {
  uscc: USCC,
  name: '聊城市东昌府区鑫诚办公用品有限公司',
  status: 'active',
  status_label: '已入驻',
  status_reason: '',
  status_until: null,
  scale: 'small',
  documents: [],
  history: [],
  rating: { count: 0, average: null },
  updated_at: '2026-11-22T01:00:00.000Z',
}
const SUSPENDED_HERE = {
  ...SUPPLIER,
  site_suspensions: [{ site_id: 'liaocheng', reason: '送货严重超时', until: '2026-11-30T16:00:00.000Z', by: '赵强', at: '2026-11-22T01:00:00.000Z' }],
}

async function openDrawer(user, detail) {
  saveLogin({ token: 't', expires_in: 3600, user }, 'liaocheng')
  session.sites = [{ id: 'liaocheng', name: '聊城市', short_name: '聊城' }]
  mockFetch({
    'GET /suppliers': [200, { items: [SUPPLIER], next_cursor: null }],
    [`GET /suppliers/${USCC}`]: [200, detail],
  })
  const { wrapper } = await mountView(SupplierReviewView)
  await wrapper.findComponent({ name: 'ElTable' }).vm.$emit('row-click', SUPPLIER)
  await flushPromises()
  return wrapper
}

const text = () => document.body.textContent

describe('供应商管理：本站暂停与全省处理', () => {
  beforeEach(() => resetApp())
  afterEach(cleanupDom)

  it('采购中心只能暂停本站交易，清退由省级决定', async () => {
    await openDrawer(CENTER, { ...SUPPLIER, site_suspensions: [] })
    expect(document.querySelector('[data-testid="supplier-suspend"]').textContent).toContain('暂停本站交易')
    expect(document.querySelector('[data-testid="supplier-expel"]')).toBeNull()
    expect(text()).toContain('清退为全省处理')
  })

  it('本站已暂停时显示原因与期限，并可恢复本站交易', async () => {
    await openDrawer(CENTER, SUSPENDED_HERE)
    const tag = document.querySelector('[data-testid="site-suspension"]')
    expect(tag.textContent).toContain('聊城站暂停交易')
    expect(tag.textContent).toContain('送货严重超时')
    expect(document.querySelector('[data-testid="supplier-reinstate"]').textContent).toContain('恢复本站交易')
    expect(document.querySelector('[data-testid="supplier-suspend"]')).toBeNull()
  })

  it('省级管理员可全省暂停或清退', async () => {
    await openDrawer(PROVINCE, { ...SUPPLIER, site_suspensions: [] })
    expect(document.querySelector('[data-testid="supplier-suspend"]').textContent).toContain('全省暂停')
    expect(document.querySelector('[data-testid="supplier-expel"]').textContent).toContain('清退')
  })
})
