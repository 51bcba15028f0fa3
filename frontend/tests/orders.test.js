import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ACTION_REQUESTS, ordersApi } from '../src/api/orders.js'
import { saveLogin } from '../src/stores/session.js'
import { formatDateTime, formatYuan } from '../src/utils/format.js'
import {
  ORDER_STATUS_LABELS,
  RATING_TARGET_LABELS,
  TERMINATION_STATUS_LABELS,
  labelOf,
} from '../src/utils/labels.js'
import {
  actorText,
  eventChanges,
  goodRateText,
  orderButtons,
  orderedBy,
  rateTargets,
  ratingSummaryItems,
  statusReasonLabel,
  timelineItems,
} from '../src/utils/orders.js'
import { BUYER, cleanupDom, mockFetch, resetApp } from './helpers.js'

const BUYER_ACTOR = { username: 'liaocheng.buyer', name: '张敏', role: 'buyer', org_name: '聊城市教育和体育局' }
const SUPPLIER_ACTOR = { username: 'supplier.demo', name: '王磊', role: 'supplier', org_name: '鑫诚办公用品有限公司' }

describe('order labels', () => {
  it('names every status, termination state and rating direction of docs/api.md', () => {
    expect(Object.keys(ORDER_STATUS_LABELS)).toEqual([
      'pending_confirmation',
      'confirmed',
      'shipped',
      'accepted',
      'settled',
      'declined',
      'cancelled',
      'terminated',
    ])
    expect(labelOf(ORDER_STATUS_LABELS, 'accepted')).toBe('已验收')
    expect(labelOf(ORDER_STATUS_LABELS, 'declined')).toBe('已拒单')
    expect(labelOf(TERMINATION_STATUS_LABELS, 'requested')).toBe('终止申请待审核')
    expect(labelOf(RATING_TARGET_LABELS, 'mall')).toBe('采购人评价商城')
    expect(statusReasonLabel('declined')).toBe('拒单原因')
    expect(statusReasonLabel('shipped')).toBe('物流信息')
    expect(statusReasonLabel('pending_confirmation')).toBe('')
    expect(statusReasonLabel('constructor')).toBe('')
  })

  it('formats times to the minute in Beijing time and money in 元', () => {
    expect(formatDateTime('2024-01-15T02:30:45Z', { seconds: false })).toBe('2024-01-15 10:30')
    expect(formatDateTime('2024-01-15T02:30:45Z')).toBe('2024-01-15 10:30:45')
    expect(formatYuan(10950)).toBe('109.50')
    expect(formatYuan(undefined)).toBe('—')
  })
})

describe('actions → buttons', () => {
  const keys = (order, role) => orderButtons(order, role).map((b) => b.key)

  it('maps each action of the supplier, the buyer and the operator to its buttons', () => {
    expect(keys({ actions: ['confirm', 'decline'] }, 'supplier')).toEqual(['confirm', 'decline'])
    expect(keys({ actions: ['ship'] }, 'supplier')).toEqual(['ship'])
    expect(keys({ actions: ['cancel'] }, 'buyer')).toEqual(['cancel'])
    expect(keys({ actions: ['accept', 'request_termination'] }, 'buyer')).toEqual(['accept', 'request_termination'])
    expect(keys({ actions: ['decide_termination'] }, 'center_admin')).toEqual(['approve_termination', 'reject_termination'])
    expect(keys({ actions: [] }, 'finance')).toEqual([])
    expect(keys({ actions: ['something_new'] }, 'buyer')).toEqual([])
    expect(keys(null, 'buyer')).toEqual([])
  })

  it('asks for a reason where the API needs one, and opens the evidence dialogs for shipping and acceptance', () => {
    const byKey = Object.fromEntries(
      orderButtons({ actions: ['confirm', 'decline', 'ship', 'accept', 'cancel', 'request_termination', 'decide_termination'] }, 'x').map((b) => [b.key, b]),
    )
    expect(byKey.confirm.input).toBeUndefined()
    expect(byKey.confirm.confirm).toContain('确认')
    expect(byKey.decline.input).toMatchObject({ label: '拒单原因', required: true })
    expect(byKey.cancel.input).toMatchObject({ label: '撤销原因', required: true })
    expect(byKey.request_termination.input).toMatchObject({ label: '终止原因', required: true })
    expect(byKey.reject_termination.input).toMatchObject({ label: '驳回理由', required: true })
    expect(byKey.approve_termination.input.required).toBe(false)
    // 发货与验收有各自的对话框（发货凭证；验收结论、意见与附件）
    expect(byKey.ship.dialog).toBe('ship')
    expect(byKey.accept.dialog).toBe('accept')
    expect(Object.values(byKey).map((b) => b.label)).toEqual(['确认订单', '拒单', '发货', '验收', '撤销订单', '申请终止', '同意终止', '驳回终止申请'])
  })

  it('offers only the ratings not yet given: buyer → supplier and mall, supplier → buyer', () => {
    expect(rateTargets('buyer', [])).toEqual(['supplier', 'mall'])
    expect(rateTargets('buyer', [{ target: 'supplier' }])).toEqual(['mall'])
    expect(rateTargets('supplier', [{ target: 'supplier' }])).toEqual(['buyer'])
    expect(rateTargets('supplier', [{ target: 'buyer' }])).toEqual([])
    expect(rateTargets('finance')).toEqual([])
    const buttons = orderButtons({ actions: ['rate'], ratings: [{ target: 'mall' }] }, 'buyer')
    expect(buttons).toEqual([expect.objectContaining({ key: 'rate:supplier', label: '评价供应商', rate: true, target: 'supplier' })])
    expect(orderButtons({ actions: ['rate'], ratings: [] }, 'supplier').map((b) => b.label)).toEqual(['评价采购人'])
  })

  it('sends each button to its route with the right body', async () => {
    resetApp()
    saveLogin({ token: 'tok', expires_in: 3600, user: BUYER }, 'liaocheng')
    const seen = []
    const record = (url, init) => {
      seen.push([new URL(url).pathname, JSON.parse(init.body)])
      return [200, { order_no: 'YC202611220000000001' }]
    }
    const base = '/sites/liaocheng/orders/YC202611220000000001'
    const routes = {}
    for (const p of ['confirm', 'decline', 'ship', 'accept', 'cancel', 'termination', 'termination/decision']) routes[`POST ${base}/${p}`] = record
    mockFetch(routes)
    const bodies = {
      ship: { carrier: '顺丰速运', waybill_no: 'SF1402675318', delivery_note: '' },
      accept: { result: 'passed', opinion: '合格', attachments: [] },
    }
    for (const key of Object.keys(ACTION_REQUESTS)) await ordersApi.act('liaocheng', 'YC202611220000000001', key, bodies[key] || '文字')
    expect(seen).toEqual([
      [`${base}/confirm`, {}],
      [`${base}/decline`, { reason: '文字' }],
      [`${base}/ship`, bodies.ship],
      [`${base}/accept`, bodies.accept],
      [`${base}/cancel`, { reason: '文字' }],
      [`${base}/termination`, { reason: '文字' }],
      [`${base}/termination/decision`, { approve: true, decision: '文字' }],
      [`${base}/termination/decision`, { approve: false, decision: '文字' }],
    ])
    expect(() => ordersApi.act('liaocheng', 'YC1', 'rate', '')).toThrow('未知的订单操作')
    cleanupDom()
  })
})

describe('timeline', () => {
  const EVENTS = [
    {
      id: 'e1',
      action: 'order.placed',
      summary: '直购下单，金额 109.50 元（计划 ZJ371500202611220001）',
      actor: BUYER_ACTOR,
      at: '2026-11-22T02:20:05.000Z',
      before: null,
      after: { order_no: 'YC1', status: 'pending_confirmation' },
    },
    {
      id: 'e2',
      action: 'order.shipped',
      summary: '供应商发货：顺丰速运 SF1402675318',
      actor: SUPPLIER_ACTOR,
      at: '2026-11-22T03:05:59.000Z',
      before: { status: 'confirmed', reason: '', termination: 'none' },
      after: { status: 'shipped', reason: '顺丰速运 SF1402675318', termination: 'none' },
      changes: [
        { field: 'status', label: '状态', before: '已确认', after: '已发货' },
        { field: 'reason', label: '原因', before: '（无）', after: '顺丰速运 SF1402675318' },
      ],
    },
    {
      id: 'e3',
      action: 'order.termination_requested',
      summary: '采购人申请终止订单：规格不符',
      actor: BUYER_ACTOR,
      at: '2026-11-22T04:00:00.000Z',
      before: { status: 'shipped', reason: 'x', termination: 'none' },
      after: { status: 'shipped', reason: 'x', termination: 'requested' },
      changes: [{ field: 'termination', label: '终止申请', before: '无', after: '终止申请待审核' }],
    },
    { action: 'order.settled', summary: '支付完成', actor: { username: 'system', name: '系统', role: 'system', org_name: '' }, at: 'bad' },
  ]

  it('shows who (name and unit), when (Beijing time to the minute), what, and the state change', () => {
    const items = timelineItems(EVENTS)
    expect(items[0]).toMatchObject({ key: 'e1', who: '张敏（聊城市教育和体育局）', when: '2026-11-22 10:20', what: EVENTS[0].summary, changes: [] })
    expect(items[1].changes).toEqual(['状态：已确认 → 已发货'])
    expect(items[1].when).toBe('2026-11-22 11:05')
    expect(items[2].changes).toEqual(['终止申请：无 → 终止申请待审核'])
    expect(items[3]).toMatchObject({ who: '系统', when: 'bad', changes: [] })
    expect(items[3].key).toBe('bad-3')
    expect(timelineItems(null)).toEqual([])
    expect(eventChanges({ before: 'a', after: 'b' })).toEqual([])
  })

  it('names the actor', () => {
    expect(actorText(null)).toBe('')
    expect(actorText({ username: 'u1' })).toBe('u1')
  })

  it('names who placed the order from the timeline', () => {
    expect(orderedBy({ buyer: { user: 'liaocheng.buyer' }, timeline: EVENTS })).toBe('张敏（liaocheng.buyer）')
    expect(orderedBy({ buyer: { user: 'liaocheng.buyer' } })).toBe('liaocheng.buyer')
    expect(orderedBy(null)).toBe('')
  })
})

describe('好评率', () => {
  it('shows the good-rating rate as a percentage, or — without ratings', () => {
    expect(goodRateText({ total: 3, good: 2, rate: 0.6667 })).toBe('66.7%')
    expect(goodRateText({ total: 4, good: 4 })).toBe('100.0%')
    expect(goodRateText({ total: 0, good: 0, rate: null })).toBe('—')
    expect(goodRateText(null)).toBe('—')
  })

  it('lists supplier, mall and buyer ratings in that order, missing ones as zero', () => {
    const items = ratingSummaryItems({ ratings: { supplier: { label: '采购人评价供应商', total: 2, good: 1, rate: 0.5 } } })
    expect(items.map((i) => [i.target, i.label, i.total, i.text])).toEqual([
      ['supplier', '采购人评价供应商', 2, '50.0%'],
      ['mall', '采购人评价商城', 0, '—'],
      ['buyer', '供应商评价采购人', 0, '—'],
    ])
  })
})

describe('ordersApi', () => {
  beforeEach(() => {
    resetApp()
    saveLogin({ token: 'tok', expires_in: 3600, user: BUYER }, 'liaocheng')
  })
  afterEach(cleanupDom)

  it('sends the Idempotency-Key with a new order and the filters with a list', async () => {
    const fetch = mockFetch({
      'POST /sites/liaocheng/orders': [201, { order_no: 'YC202611220000000001' }],
      'GET /sites/liaocheng/orders': [200, { items: [], next_cursor: null }],
      'GET /sites/liaocheng/followups': [200, { items: [], next_cursor: null }],
    })
    await ordersApi.place('liaocheng', { plan_no: 'P' }, 'key-1')
    expect(fetch.mock.calls[0][1].headers['Idempotency-Key']).toBe('key-1')
    await ordersApi.list('liaocheng', { status: 'shipped', cursor: 'c1' })
    expect(fetch.mock.calls[1][0]).toBe('http://api.test/sites/liaocheng/orders?status=shipped&limit=20&cursor=c1')
    await ordersApi.followups('liaocheng', { status: 'closed' })
    expect(fetch.mock.calls[2][0]).toBe('http://api.test/sites/liaocheng/followups?status=closed')
  })
})

describe('orderProgress', () => {
  it('walks 下单 → 确认 → 发货 → 验收 → 结算 with the times reached', async () => {
    const { orderProgress } = await import('../src/utils/orders.js')
    const shipped = orderProgress({
      status: 'shipped',
      milestones: { pending_confirmation: '2026-11-22T02:00:00.000Z', confirmed: '2026-11-22T03:00:00.000Z', shipped: '2026-11-23T01:00:00.000Z' },
    })
    expect(shipped.steps.map((s) => s.title)).toEqual(['下单', '确认', '发货', '验收', '结算'])
    expect(shipped.active).toBe(3)
    expect(shipped.steps[2].time).toBe('2026-11-23 09:00')
    expect(orderProgress({ status: 'settled', milestones: {} }).active).toBe(5)
    const declined = orderProgress({ status: 'declined', milestones: { pending_confirmation: '2026-11-22T02:00:00.000Z', declined: '2026-11-22T04:00:00.000Z' } })
    expect(declined.status).toBe('error')
    expect(declined.active).toBe(1)
    expect(declined.steps[1].title).toBe('已拒单')
  })
})
