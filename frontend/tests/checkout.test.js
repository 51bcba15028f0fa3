import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../src/api/client.js'
import { groupBySupplier } from '../src/utils/cart.js'
import {
  cartLevel2s,
  createCheckoutAttempt,
  daysAfter,
  deliveryRules,
  level2Name,
  level2Of,
  mismatchedLines,
  orderBody,
  placeErrorText,
  placeOrders,
  planLevel2,
  planOptions,
  succeededSuppliers,
} from '../src/utils/checkout.js'
import { isValidPhone } from '../src/utils/validators.js'
import { CONFIG } from './fixtures.js'

const A = { uscc: '91371502MA3C7K2X1Q', name: '鑫诚办公' }
const B = { uscc: '91371525MA3N5T8P4X', name: '文达办公' }
const line = (id, supplier, catalog, price = 1000, quantity = 1) => ({
  id,
  name: `商品${id}`,
  price_fen: price,
  quantity,
  catalog_code: catalog,
  supplier,
})
const LINES = [line('a', A, 'A05040101', 2500, 10), line('b', B, 'A05040401', 3650, 3), line('c', A, 'A02010105', 500000, 1)]
const FORM = { address: ' 聊城市东昌府区东昌西路 98 号 ', contact: '张敏', phone: '0635-8241234', expected_date: '2026-11-28', note: ' 工作日送货 ' }

describe('二级品目', () => {
  it('maps a catalog code to its level-2 group like the server', () => {
    expect(level2Of('A05040401')).toBe('A05040000')
    expect(level2Of('A05040000')).toBe('A05040000')
    expect(level2Of('')).toBe('')
    expect(planLevel2({ level2_code: 'A02010000' })).toBe('A02010000')
    expect(planLevel2({ line: { catalog_code: 'A02010105' } })).toBe('A02010000')
    expect(planLevel2({ budget_category: 'A05040401' })).toBe('A05040000')
    expect(level2Name('A05040000', CONFIG.categories)).toBe('办公用品')
    expect(level2Name('B99000000', CONFIG.categories)).toBe('')
    expect(cartLevel2s(LINES)).toEqual(['A05040000', 'A02010000'])
  })

  it('names the lines outside the plan\'s level-2 group', () => {
    const [groupA] = groupBySupplier(LINES)
    expect(mismatchedLines(groupA, { level2_code: 'A05040000' })).toEqual(['商品c'])
    expect(mismatchedLines(groupA, null)).toEqual([])
  })

  it('lists matching plans first and disables plans without balance', () => {
    const plans = [
      { plan_no: '1', level2_code: 'A09010000', balance_fen: 100 },
      { plan_no: '2', level2_code: 'A05040000', balance_fen: 0 },
      { plan_no: '3', level2_code: 'A05040000', balance_fen: 5000 },
    ]
    const opts = planOptions(plans, ['A05040000'])
    expect(opts.map((o) => [o.plan.plan_no, o.matches, o.disabled])).toEqual([
      ['3', true, false],
      ['2', true, true],
      ['1', false, false],
    ])
  })
})

describe('checkout attempt and idempotency keys', () => {
  it('gives each supplier its own key once and reuses it for the rest of the attempt', () => {
    let n = 0
    const attempt = createCheckoutAttempt(() => `key-${++n}`)
    expect(attempt.keyFor(A.uscc)).toBe('key-1')
    expect(attempt.keyFor(B.uscc)).toBe('key-2')
    expect(attempt.keyFor(A.uscc)).toBe('key-1')
    expect(attempt.size).toBe(2)
    const next = createCheckoutAttempt(() => `key-${++n}`)
    expect(next.keyFor(A.uscc)).toBe('key-3') // a new attempt, new keys
  })

  it('uses UUIDs by default', () => {
    const attempt = createCheckoutAttempt()
    expect(attempt.keyFor(A.uscc)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('builds one order body per supplier group', () => {
    const [groupA] = groupBySupplier(LINES)
    expect(orderBody(groupA, 'ZJ371500202611220001', FORM)).toEqual({
      plan_no: 'ZJ371500202611220001',
      supplier_uscc: A.uscc,
      lines: [
        { listing_id: 'a', quantity: 10 },
        { listing_id: 'c', quantity: 1 },
      ],
      delivery: { address: '聊城市东昌府区东昌西路 98 号', contact: '张敏', phone: '0635-8241234', expected_date: '2026-11-28' },
      note: '工作日送货',
    })
  })

  it('places the groups one after another, reports each result, and a retry reuses the failed group\'s key', async () => {
    const groups = groupBySupplier(LINES)
    let n = 0
    const attempt = createCheckoutAttempt(() => `key-${++n}`)
    const place = vi.fn(async (body) => {
      if (body.supplier_uscc === A.uscc) {
        throw new ApiError({ status: 422, code: 'PLAN_BALANCE_INSUFFICIENT', message: '采购计划可用余额不足：余额 100.00 元，本订单 255.00 元' })
      }
      return { order_no: 'YC202611220000000001', total_fen: 10950 }
    })
    const results = await placeOrders(groups, { planNo: 'P', form: FORM, attempt, place })
    expect(results.map((r) => [r.supplier.name, r.ok])).toEqual([
      ['鑫诚办公', false],
      ['文达办公', true],
    ])
    expect(results[0].error).toBe('采购计划可用余额不足：余额 100.00 元，本订单 255.00 元')
    expect(results[0].code).toBe('PLAN_BALANCE_INSUFFICIENT')
    expect(results[1].order.order_no).toBe('YC202611220000000001')
    expect(succeededSuppliers(results)).toEqual([B.uscc])
    expect(place.mock.calls.map((c) => [c[0].supplier_uscc, c[1]])).toEqual([
      [A.uscc, 'key-1'],
      [B.uscc, 'key-2'],
    ])

    await placeOrders([groups[0]], { planNo: 'P', form: FORM, attempt, place })
    expect(place.mock.calls[2][1]).toBe('key-1') // the retried click sends the same key
  })

  it('explains an idempotency conflict in Chinese', () => {
    expect(placeErrorText(new ApiError({ code: 'STOCK_INSUFFICIENT', message: '库存不足' }))).toBe('库存不足')
    expect(placeErrorText(new ApiError({ code: 'IDEMPOTENCY_KEY_REUSED', message: '该 Idempotency-Key 已用于内容不同的请求' }))).toContain('订单管理')
    expect(placeErrorText(null)).toBe('下单失败')
  })
})

describe('checkout form', () => {
  it('adds calendar days across month ends', () => {
    expect(daysAfter('2026-11-29', 3)).toBe('2026-12-02')
    expect(daysAfter('2024-02-28', 1)).toBe('2024-02-29')
  })

  it('checks the phone like the rest of the mall', () => {
    const [required, phone] = deliveryRules(isValidPhone).phone
    expect(required.required).toBe(true)
    const check = (v) => new Promise((resolve) => phone.validator(null, v, (e) => resolve(e ? e.message : '')))
    return Promise.all([check('0635-8241234'), check('13806351234'), check('12345')]).then((r) => {
      expect(r[0]).toBe('')
      expect(r[1]).toBe('')
      expect(r[2]).toContain('手机号或座机号')
    })
  })
})
