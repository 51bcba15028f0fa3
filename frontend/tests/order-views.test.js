import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import CartView from '../src/views/CartView.vue'
import CheckoutView from '../src/views/CheckoutView.vue'
import FollowupsView from '../src/views/FollowupsView.vue'
import OrderDetailView from '../src/views/OrderDetailView.vue'
import OrdersView from '../src/views/OrdersView.vue'
import ProductDetailView from '../src/views/ProductDetailView.vue'
import { addListingToCart, cart } from '../src/stores/cart.js'
import { saveLogin, session } from '../src/stores/session.js'
import { CONFIG } from './fixtures.js'
import { BUYER, cleanupDom, mockFetch, resetApp } from './helpers.js'
import { mountView } from './mount.js'

const XINCHENG = { uscc: '91371502MA3C7K2X1Q', name: '聊城市东昌府区鑫诚办公用品有限公司' }
const WENDA = { uscc: '91371525MA3N5T8P4X', name: '冠县文达办公用品有限公司' }
const SUPPLIER_USER = { ...BUYER, username: 'supplier.demo', name: '王磊', role: 'supplier', tenant: 'shandong', org_id: XINCHENG.uscc, org_name: XINCHENG.name }
const CENTER_USER = { ...BUYER, username: 'liaocheng.center', name: '赵强', role: 'center_admin', org_name: '聊城市公共资源交易中心' }
const ORDER_NO = 'YC202611220123456789'
const PLAN = {
  plan_no: 'ZJ371500202611220001',
  name: '办公用品采购',
  status: 'accepted',
  level2_code: 'A05040000',
  budget_fen: 500000,
  committed_fen: 0,
  balance_fen: 500000,
  buyer: { uscc: BUYER.org_id, name: BUYER.org_name },
}
const ORDER = {
  order_no: ORDER_NO,
  site_id: 'liaocheng',
  plan_no: PLAN.plan_no,
  level2_code: 'A05040000',
  buyer: { uscc: BUYER.org_id, name: BUYER.org_name, district: '371502', user: 'liaocheng.buyer' },
  supplier: XINCHENG,
  lines: [
    { listing_id: 'a'.repeat(32), name: '得力 A4 复印纸 70g', brand: '得力', model: 'DL-7055', catalog_code: 'A05040101', unit_price_fen: 2500, quantity: 10, amount_fen: 25000 },
    { listing_id: 'b'.repeat(32), name: '得力 S01 中性笔', brand: '得力', model: 'S01', catalog_code: 'A05040402', unit_price_fen: 1800, quantity: 2, amount_fen: 3600 },
  ],
  total_fen: 28600,
  delivery: { address: '聊城市东昌府区东昌西路 98 号', contact: '张敏', phone: '0635-8241234', expected_date: '2026-11-28' },
  note: '请工作日送货',
  status: 'confirmed',
  status_label: '已确认',
  status_reason: '',
  termination: { status: 'none', reason: '', requested_at: '', decision: '', decided_at: '' },
  acceptance_note: '',
  payment_voucher: '',
  actions: ['ship'],
  documents: [{ kind: 'confirmation', label: '订单确认单' }],
  created_at: '2026-11-22T01:00:00.000Z',
  ratings: [],
  timeline: [
    {
      id: 'e1',
      action: 'order.placed',
      summary: '直购下单，金额 286.00 元（计划 ZJ371500202611220001）',
      actor: { username: 'liaocheng.buyer', name: '张敏', role: 'buyer', org_name: BUYER.org_name },
      at: '2026-11-22T01:00:00.000Z',
      before: null,
      after: {},
    },
    {
      id: 'e2',
      action: 'order.confirmed',
      summary: '供应商确认订单',
      actor: { username: 'supplier.demo', name: '王磊', role: 'supplier', org_name: XINCHENG.name },
      at: '2026-11-22T02:30:00.000Z',
      before: { status: 'pending_confirmation', reason: '', termination: 'none' },
      after: { status: 'confirmed', reason: '', termination: 'none' },
      changes: [{ field: 'status', label: '状态', before: '待确认', after: '已确认' }],
    },
  ],
}

const ROUTES = [
  { path: '/cart', component: CartView },
  { path: '/checkout', component: CheckoutView },
  { path: '/orders', component: OrdersView },
  { path: '/orders/:orderNo', component: OrderDetailView },
  { path: '/catalog', component: { template: '<div />' } },
  { path: '/catalog/:id', component: ProductDetailView },
]

function listing(id, priceFen, supplier) {
  return { id: id.repeat(32), name: `商品${id}`, brand: '得力', model: id, price_fen: priceFen, category_id: 'LC-0107', supplier }
}

function login(user) {
  saveLogin({ token: 'tok', expires_in: 3600, user }, 'liaocheng')
  session.config = CONFIG
  cart.key = ''
  cart.lines = []
}

const q = (sel) => document.body.querySelector(sel)
const qa = (sel) => [...document.body.querySelectorAll(sel)]
const posts = (fetch, suffix) => fetch.mock.calls.filter(([u, i]) => i.method === 'POST' && new URL(u).pathname.endsWith(suffix))

beforeEach(() => {
  resetApp()
  login(BUYER)
})

afterEach(cleanupDom)

describe('CartView', () => {
  it('groups the cart by supplier with subtotals and a total in 元, and removes a line', async () => {
    mockFetch({})
    addListingToCart(listing('a', 2500, XINCHENG), 10)
    addListingToCart(listing('b', 1810, WENDA), 3)
    addListingToCart(listing('c', 999, XINCHENG), 1)
    const { wrapper } = await mountView(CartView, { routes: ROUTES, at: '/cart' })
    const groups = wrapper.findAll('[data-testid="cart-group"]')
    expect(groups.map((g) => g.find('[data-testid="cart-group-supplier"]').text())).toEqual([XINCHENG.name, WENDA.name])
    expect(groups[0].find('[data-testid="cart-subtotal"]').text()).toBe('¥259.99')
    expect(groups[1].find('[data-testid="cart-subtotal"]').text()).toBe('¥54.30')
    expect(wrapper.find('[data-testid="cart-total"]').text()).toBe('¥314.29')
    expect(wrapper.find('[data-testid="cart-checkout"]').text()).toContain('2 张订单')
    await groups[1].find('[data-testid="cart-remove"]').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid="cart-group"]')).toHaveLength(1)
    expect(wrapper.find('[data-testid="cart-total"]').text()).toBe('¥259.99')
    wrapper.unmount()
  })

  it('says so when the cart is empty', async () => {
    mockFetch({})
    const { wrapper } = await mountView(CartView, { routes: ROUTES, at: '/cart' })
    expect(wrapper.find('[data-testid="cart-empty"]').text()).toContain('购物车是空的')
    wrapper.unmount()
  })
})

describe('ProductDetailView (加入购物车)', () => {
  const DETAIL = { ...listing('a', 2500, XINCHENG), catalog_code: 'A05040101', category_name: '复印纸', reference_price_fen: 2800, stock: 5, status: 'active' }

  it('lets a buyer put a quantity into the cart, capped at the stock', async () => {
    mockFetch({ [`GET /sites/liaocheng/listings/${DETAIL.id}`]: [200, DETAIL] })
    const { wrapper } = await mountView(ProductDetailView, { routes: ROUTES, at: `/catalog/${DETAIL.id}` })
    wrapper.vm.quantity = 4
    await flushPromises()
    await wrapper.find('[data-testid="detail-add-cart"]').trigger('click')
    await flushPromises()
    expect(cart.lines).toEqual([expect.objectContaining({ id: DETAIL.id, quantity: 4, catalog_code: 'A05040101', stock: 5 })])
    expect(wrapper.find('[data-testid="detail-go-cart"]').text()).toContain('4 件')
    await wrapper.find('[data-testid="detail-add-cart"]').trigger('click')
    await flushPromises()
    expect(cart.lines[0].quantity).toBe(5)
    wrapper.unmount()
  })

  it('shows an out-of-stock product without breaking the page, and no cart for other roles', async () => {
    mockFetch({ [`GET /sites/liaocheng/listings/${DETAIL.id}`]: [200, { ...DETAIL, stock: 0 }] })
    const { wrapper } = await mountView(ProductDetailView, { routes: ROUTES, at: `/catalog/${DETAIL.id}` })
    expect(wrapper.find('[data-testid="product-name"]').text()).toBe('商品a')
    expect(wrapper.find('[data-testid="detail-add-cart"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="detail-buy"]').text()).toContain('暂无库存')
    wrapper.unmount()

    login(CENTER_USER)
    mockFetch({ [`GET /sites/liaocheng/listings/${DETAIL.id}`]: [200, DETAIL] })
    const other = await mountView(ProductDetailView, { routes: ROUTES, at: `/catalog/${DETAIL.id}` })
    expect(other.wrapper.find('[data-testid="product-name"]').exists()).toBe(true)
    expect(other.wrapper.find('[data-testid="detail-buy"]').exists()).toBe(false)
    other.wrapper.unmount()
  })
})

describe('CheckoutView', () => {
  // The server's forecast: each group's plan (proposed or chosen), the plans that fit, and what would refuse it.
  const PLAN_B = { ...PLAN, plan_no: '37150020010120260002', name: '办公用品采购（二）', balance_fen: 300000 }
  const planRow = (p, fits = true, reason = '') => ({
    plan_no: p.plan_no, name: p.name, level2_code: 'A05040000', balance_fen: p.balance_fen,
    quantity_left: null, unit: '', fits, reason,
  })
  const forecastFor = (groups) => ({
    groups: groups.map((g) => {
      const own = g.supplier_uscc === XINCHENG.uscc ? PLAN : PLAN_B
      const chosen = g.plan_no || own.plan_no
      return {
        supplier_uscc: g.supplier_uscc, total_fen: 0, quantity: 1, level2_code: 'A05040000',
        plan_no: chosen, proposed: !g.plan_no, blocked: false, problems: [],
        plans: [planRow(PLAN), planRow(PLAN_B)],
      }
    }),
    blocked: false,
  })

  it('places one order per supplier, each on its own plan, keeps the failed group, and retries it with the same Idempotency-Key', async () => {
    addListingToCart(listing('a', 2500, XINCHENG), 10)
    addListingToCart(listing('b', 1810, WENDA), 3)
    let wendaFails = true
    const fetch = mockFetch({
      'POST /sites/liaocheng/checkout': (_url, init) => [200, forecastFor(JSON.parse(init.body).groups)],
      'POST /sites/liaocheng/orders': (_url, init) => {
        const body = JSON.parse(init.body)
        if (body.supplier_uscc === WENDA.uscc && wendaFails) {
          return [409, { code: 'STOCK_INSUFFICIENT', message: '“商品b”库存不足：现有 2，需要 3' }]
        }
        const n = body.supplier_uscc === XINCHENG.uscc ? '1' : '2'
        return [201, { order_no: `YC20261122000000000${n}`, total_fen: 99, status: 'pending_confirmation' }]
      },
    })
    const { wrapper } = await mountView(CheckoutView, { routes: ROUTES, at: '/checkout' })
    await flushPromises()
    const asked = JSON.parse(posts(fetch, '/sites/liaocheng/checkout')[0][1].body)
    expect(asked.groups.map((g) => g.supplier_uscc)).toEqual([XINCHENG.uscc, WENDA.uscc])
    expect(asked.groups[0].plan_no).toBeUndefined() // nothing chosen yet: the mall proposes
    expect(wrapper.text()).toContain('系统推荐')
    expect(wrapper.vm.form.contact).toBe('张敏')
    Object.assign(wrapper.vm.form, { address: '聊城市东昌府区东昌西路 98 号', phone: '0635-8241234', note: '请工作日送货' })
    await flushPromises()

    await wrapper.find('[data-testid="checkout-submit"]').trigger('click')
    await vi.waitFor(() => expect(q('[data-testid="checkout-results"]')).not.toBeNull())
    const first = posts(fetch, '/sites/liaocheng/orders')
    expect(first).toHaveLength(2)
    const [bodyA, bodyB] = first.map(([, i]) => JSON.parse(i.body))
    expect(bodyA).toEqual({
      plan_no: PLAN.plan_no,
      supplier_uscc: XINCHENG.uscc,
      lines: [{ listing_id: 'a'.repeat(32), quantity: 10 }],
      delivery: { address: '聊城市东昌府区东昌西路 98 号', contact: '张敏', phone: '0635-8241234', expected_date: wrapper.vm.form.expected_date },
      note: '请工作日送货',
    })
    expect(bodyB.supplier_uscc).toBe(WENDA.uscc)
    expect(bodyB.plan_no).toBe(PLAN_B.plan_no) // a plan of its own
    const keyA = first[0][1].headers['Idempotency-Key']
    const keyB = first[1][1].headers['Idempotency-Key']
    expect(keyA).toBeTruthy()
    expect(keyB).toBeTruthy()
    expect(keyA).not.toBe(keyB)
    expect(q('[data-testid="checkout-result-ok"]').textContent).toContain('YC202611220000000001')
    expect(q('[data-testid="checkout-result-error"]').textContent).toContain('库存不足：现有 2，需要 3')
    // only the group that succeeded left the cart
    expect(cart.lines.map((l) => l.supplier.uscc)).toEqual([WENDA.uscc])

    // a retried click: the failed supplier's order goes again with the same key
    wendaFails = false
    await flushPromises()
    await wrapper.find('[data-testid="checkout-submit"]').trigger('click')
    await vi.waitFor(() => expect(cart.lines).toHaveLength(0))
    const retry = posts(fetch, '/sites/liaocheng/orders').slice(2)
    expect(retry).toHaveLength(1)
    expect(retry[0][1].headers['Idempotency-Key']).toBe(keyB)
    await flushPromises()
    expect(qa('[data-testid="checkout-result-ok"]')).toHaveLength(2)
    expect(q('[data-testid="checkout-result-error"]')).toBeNull()
    expect(q('[data-testid="checkout-go-orders"]')).not.toBeNull()
    wrapper.unmount()
  })

  it('shows why a group will be refused and does not submit while one is', async () => {
    addListingToCart({ ...listing('d', 500000, XINCHENG), category_id: 'LC-0302' }, 1) // 台式计算机 A02010105
    const refusal = '没有可用于该订单的采购计划（品目不符：“商品d”不属于计划的二级品目 A05040000）'
    const fetch = mockFetch({
      'POST /sites/liaocheng/checkout': [200, {
        groups: [{
          supplier_uscc: XINCHENG.uscc, total_fen: 500000, quantity: 1, level2_code: 'A02010000', plan_no: null,
          proposed: true, blocked: true, problems: [{ code: 'NO_FITTING_PLAN', message: refusal }],
          plans: [planRow(PLAN, false, '品目不符')],
        }],
        blocked: true,
      }],
    })
    const { wrapper } = await mountView(CheckoutView, { routes: ROUTES, at: '/checkout' })
    await flushPromises()
    expect(wrapper.find('[data-testid="checkout-problem"]').text()).toContain(refusal)
    expect(wrapper.find('[data-testid="checkout-blocked"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="checkout-submit"]').attributes('disabled')).toBeDefined()
    Object.assign(wrapper.vm.form, { address: '聊城市东昌府区东昌西路 98 号', phone: '0635-8241234' })
    await wrapper.find('[data-testid="checkout-submit"]').trigger('click')
    await flushPromises()
    expect(posts(fetch, '/orders')).toHaveLength(0)
    wrapper.unmount()
  })
})

describe('OrdersView', () => {
  it('lists the buyer\'s orders with supplier, amount in 元, status and time, filtered by status', async () => {
    const fetch = mockFetch({ 'GET /sites/liaocheng/orders': [200, { items: [ORDER], next_cursor: null }] })
    const { wrapper, router } = await mountView(OrdersView, { routes: ROUTES, at: '/orders' })
    const headers = wrapper.findAll('[data-testid="orders-table"] th').map((h) => h.text())
    expect(headers).toEqual(expect.arrayContaining(['订单编号', '供应商', '金额（元）', '状态', '下单时间']))
    expect(headers).not.toContain('采购单位')
    const row = wrapper.find('[data-testid="orders-table"] .el-table__row')
    expect(row.text()).toContain(ORDER_NO)
    expect(row.text()).toContain(XINCHENG.name)
    expect(row.text()).toContain('286.00')
    expect(row.text()).toContain('已确认')
    expect(row.text()).toContain('2026-11-22 09:00')
    const shipped = wrapper.findAll('[data-testid="order-status-filter"] input').find((i) => i.element.value === 'shipped')
    await shipped.setValue(true)
    await flushPromises()
    expect(fetch.mock.calls.at(-1)[0]).toContain('status=shipped')
    await row.find('[data-testid="order-no"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe(`/orders/${ORDER_NO}`)
    wrapper.unmount()
  })

  it('shows an operator both parties', async () => {
    login(CENTER_USER)
    mockFetch({ 'GET /sites/liaocheng/orders': [200, { items: [ORDER], next_cursor: null }] })
    const { wrapper } = await mountView(OrdersView, { routes: ROUTES, at: '/orders' })
    const headers = wrapper.findAll('[data-testid="orders-table"] th').map((h) => h.text())
    expect(headers).toEqual(expect.arrayContaining(['采购单位', '供应商']))
    expect(wrapper.find('.el-table__row').text()).toContain(BUYER.org_name)
    wrapper.unmount()
  })
})

describe('OrderDetailView', () => {
  it('shows the facts, lines with 合计, delivery and timeline, and ships with its carrier and waybill', async () => {
    login(SUPPLIER_USER)
    let shipped = false
    const fetch = mockFetch({
      [`GET /sites/liaocheng/orders/${ORDER_NO}`]: () => [200, shipped ? { ...ORDER, status: 'shipped', status_label: '已发货', actions: [] } : ORDER],
      [`POST /sites/liaocheng/orders/${ORDER_NO}/ship`]: () => {
        shipped = true
        return [200, { ...ORDER, status: 'shipped' }]
      },
    })
    const { wrapper } = await mountView(OrderDetailView, { routes: ROUTES, at: `/orders/${ORDER_NO}` })
    expect(wrapper.find('[data-testid="order-status"]').text()).toBe('已确认')
    expect(wrapper.find('[data-testid="order-detail"]').text()).toContain('张敏（liaocheng.buyer）')
    const lines = wrapper.find('[data-testid="order-lines"]').text()
    expect(lines).toContain('合计')
    expect(lines).toContain('286.00')
    expect(wrapper.find('[data-testid="order-delivery"]').text()).toContain('0635-8241234')
    const timeline = wrapper.find('[data-testid="order-timeline"]').text()
    expect(timeline).toContain('2026-11-22 10:30')
    expect(timeline).toContain('王磊（聊城市东昌府区鑫诚办公用品有限公司）')
    expect(timeline).toContain('状态：待确认 → 已确认')
    // only what `actions` allows
    expect(wrapper.findAll('[data-testid="order-actions"] button').map((b) => b.text())).toEqual(['发货'])

    await wrapper.find('[data-testid="order-action-ship"]').trigger('click')
    await vi.waitFor(() => expect(q('[data-testid="ship-dialog"]')).not.toBeNull())
    // Goods need a carrier and a waybill number: without them nothing is sent.
    q('[data-testid="ship-confirm"]').click()
    await flushPromises()
    expect(posts(fetch, '/ship')).toHaveLength(0)
    const waybill = q('[data-testid="ship-waybill"]')
    waybill.value = 'SF1402675318'
    waybill.dispatchEvent(new Event('input'))
    const carrier = q('[data-testid="ship-carrier"] input')
    carrier.value = '顺丰速运'
    carrier.dispatchEvent(new Event('input'))
    await flushPromises()
    carrier.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }))
    await flushPromises()
    q('[data-testid="ship-confirm"]').click()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="order-status"]').text()).toBe('已发货'))
    expect(JSON.parse(posts(fetch, '/ship')[0][1].body)).toEqual({ carrier: '顺丰速运', waybill_no: 'SF1402675318', delivery_note: '' })
    expect(wrapper.findAll('[data-testid="order-actions"] button')).toHaveLength(0)
    wrapper.unmount()
  })

  it('opens a document through its short-lived link', async () => {
    const win = { location: { href: '' }, opener: {}, close: vi.fn() }
    vi.spyOn(window, 'open').mockReturnValue(win)
    mockFetch({
      [`GET /sites/liaocheng/orders/${ORDER_NO}`]: [200, { ...ORDER, actions: ['request_termination'] }],
      [`GET /sites/liaocheng/orders/${ORDER_NO}/documents/confirmation`]: [
        200,
        { url: 'http://s3.test/confirmation.html?sig=1', file_name: `订单确认单-${ORDER_NO}.html`, expires_in: 300 },
      ],
    })
    const { wrapper } = await mountView(OrderDetailView, { routes: ROUTES, at: `/orders/${ORDER_NO}` })
    expect(wrapper.findAll('[data-testid="order-actions"] button').map((b) => b.text())).toEqual(['申请终止'])
    await wrapper.find('[data-testid="order-document-confirmation"]').trigger('click')
    await vi.waitFor(() => expect(win.location.href).toBe('http://s3.test/confirmation.html?sig=1'))
    expect(win.opener).toBeNull()
    wrapper.unmount()
  })

  it('lets the buyer rate the supplier with stars and a comment', async () => {
    const accepted = { ...ORDER, status: 'accepted', status_label: '已验收', actions: ['rate'], ratings: [{ target: 'mall', stars: 4, comment: '好', rated_by: {}, at: '' }] }
    const fetch = mockFetch({
      [`GET /sites/liaocheng/orders/${ORDER_NO}`]: [200, accepted],
      [`POST /sites/liaocheng/orders/${ORDER_NO}/ratings`]: [201, { target: 'supplier', stars: 2 }],
    })
    const { wrapper } = await mountView(OrderDetailView, { routes: ROUTES, at: `/orders/${ORDER_NO}` })
    expect(wrapper.findAll('[data-testid="order-actions"] button').map((b) => b.text())).toEqual(['评价供应商'])
    expect(wrapper.find('[data-testid="order-ratings"]').text()).toContain('采购人评价商城')
    await wrapper.find('[data-testid="order-action-rate-supplier"]').trigger('click')
    await vi.waitFor(() => expect(q('[data-testid="rating-dialog"]')).not.toBeNull())
    qa('[data-testid="rating-dialog"] .el-rate__item')[1].click()
    const comment = q('[data-testid="rating-comment"]')
    comment.value = '送货晚了三天'
    comment.dispatchEvent(new Event('input'))
    await flushPromises()
    q('[data-testid="rating-confirm"]').click()
    await vi.waitFor(() => expect(posts(fetch, '/ratings')).toHaveLength(1))
    expect(JSON.parse(posts(fetch, '/ratings')[0][1].body)).toEqual({ target: 'supplier', stars: 2, comment: '送货晚了三天' })
    wrapper.unmount()
  })
})

describe('FollowupsView', () => {
  it('lists open poor ratings with the site\'s 好评率 and closes one with the call\'s outcome', async () => {
    login(CENTER_USER)
    const followup = { site_id: 'liaocheng', order_no: ORDER_NO, target: 'supplier', target_label: '采购人评价供应商', stars: 1, comment: '质量差', opened_at: '2026-11-22T03:00:00.000Z', status: 'open' }
    const fetch = mockFetch({
      'GET /sites/liaocheng/ratings/summary': [200, { site_id: 'liaocheng', ratings: { supplier: { label: '采购人评价供应商', total: 4, good: 3, rate: 0.75 } } }],
      'GET /sites/liaocheng/followups': (url) => [200, { items: url.includes('status=open') ? [followup] : [], next_cursor: null }],
      [`POST /sites/liaocheng/followups/${ORDER_NO}/supplier/close`]: [200, { ...followup, status: 'closed' }],
    })
    const { wrapper } = await mountView(FollowupsView, { routes: ROUTES, at: '/orders' })
    expect(wrapper.find('[data-testid="rating-rate-supplier"]').text()).toContain('75.0%')
    expect(wrapper.find('[data-testid="rating-rate-mall"]').text()).toContain('—')
    const radios = wrapper.findAll('[data-testid="followup-status-filter"] label').map((l) => l.text())
    expect(radios).toEqual(['待回访', '已回访'])
    const row = wrapper.find('[data-testid="followups-table"] .el-table__row')
    expect(row.text()).toContain(ORDER_NO)
    expect(row.text()).toContain('质量差')
    await row.find('[data-testid="followup-close"]').trigger('click')
    await vi.waitFor(() => expect(q('[data-testid="followup-dialog"]')).not.toBeNull())
    const input = q('[data-testid="followup-note"]')
    input.value = '已电话回访，供应商已换货'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    q('[data-testid="followup-confirm"]').click() // a call that reached the buyer says how satisfied it was
    await flushPromises()
    expect(posts(fetch, '/close')).toHaveLength(0)
    q('[data-testid="followup-satisfaction"] input[value="basically"]').click()
    await flushPromises()
    q('[data-testid="followup-confirm"]').click()
    await vi.waitFor(() => expect(posts(fetch, '/close')).toHaveLength(1))
    expect(JSON.parse(posts(fetch, '/close')[0][1].body)).toEqual({ note: '已电话回访，供应商已换货', reached: true, satisfaction: 'basically' })
    wrapper.unmount()
  })
})
