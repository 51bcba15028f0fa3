import { beforeEach, describe, expect, it } from 'vitest'
import {
  addListingToCart,
  cart,
  clearCart,
  lastDelivery,
  rememberDelivery,
  removeCartSuppliers,
  removeFromCart,
  syncCart,
  updateCartQuantity,
} from '../src/stores/cart.js'
import { saveLogin, session, setSiteId } from '../src/stores/session.js'
import {
  MAX_QUANTITY,
  addLine,
  cartCount,
  cartLineFrom,
  cartStorageKey,
  cartTotal,
  groupBySupplier,
  normalizeLines,
  removeLine,
  removeSuppliers,
  setLineQuantity,
} from '../src/utils/cart.js'
import { CONFIG } from './fixtures.js'
import { BUYER, resetApp } from './helpers.js'

const XINCHENG = { uscc: '91371502MA3C7K2X1Q', name: '聊城市东昌府区鑫诚办公用品有限公司' }
const WENDA = { uscc: '91371525MA3N5T8P4X', name: '冠县文达办公用品有限公司' }

function listing(id, priceFen, supplier, extra = {}) {
  return { id, name: `商品${id}`, brand: '得力', model: id, price_fen: priceFen, category_id: 'LC-0107', supplier, ...extra }
}

describe('cart lines (pure)', () => {
  it('builds a line from a detail or a card, filling the catalog code from the site categories', () => {
    const fromCard = cartLineFrom(listing('a', 2500, XINCHENG), 2, CONFIG.categories)
    expect(fromCard).toMatchObject({ id: 'a', quantity: 2, catalog_code: 'A05040101', category_name: '复印纸', stock: null })
    expect(fromCard.supplier).toEqual(XINCHENG)
    const fromDetail = cartLineFrom(listing('b', 1800, WENDA, { catalog_code: 'A05040402', stock: 5 }), 9)
    expect(fromDetail).toMatchObject({ catalog_code: 'A05040402', quantity: 5, stock: 5 }) // capped to the stock
    expect(cartLineFrom(listing('c', 100, WENDA), 0).quantity).toBe(1)
    expect(cartLineFrom(listing('d', 100, WENDA), MAX_QUANTITY + 5).quantity).toBe(MAX_QUANTITY)
  })

  it('adds up the same product, edits and removes lines without mutating the input', () => {
    const a = cartLineFrom(listing('a', 2500, XINCHENG, { stock: 10 }), 3)
    let lines = addLine([], a)
    lines = addLine(lines, { ...a, quantity: 4, price_fen: 2400 })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ quantity: 7, price_fen: 2400 }) // newest price
    const more = addLine(lines, { ...a, quantity: 9 })
    expect(more[0].quantity).toBe(10) // never above the stock
    expect(lines[0].quantity).toBe(7)
    expect(setLineQuantity(lines, 'a', 2)[0].quantity).toBe(2)
    expect(setLineQuantity(lines, 'a', -1)[0].quantity).toBe(1)
    expect(removeLine(lines, 'a')).toEqual([])
  })

  it('groups by supplier in the order added, with subtotals, total and count in integer fen', () => {
    const lines = [
      cartLineFrom(listing('a', 2500, XINCHENG), 10),
      cartLineFrom(listing('b', 1810, WENDA), 3),
      cartLineFrom(listing('c', 999, XINCHENG), 1),
    ]
    const groups = groupBySupplier(lines)
    expect(groups.map((g) => g.supplier.name)).toEqual([XINCHENG.name, WENDA.name])
    expect(groups[0].lines.map((l) => l.id)).toEqual(['a', 'c'])
    expect(groups[0].subtotal_fen).toBe(25999)
    expect(groups[0].quantity).toBe(11)
    expect(groups[1].subtotal_fen).toBe(5430)
    expect(cartTotal(lines)).toBe(31429)
    expect(cartCount(lines)).toBe(14)
    expect(removeSuppliers(lines, [XINCHENG.uscc]).map((l) => l.id)).toEqual(['b'])
  })

  it('keeps only well-formed stored lines', () => {
    const good = cartLineFrom(listing('a', 2500, XINCHENG), 2)
    expect(normalizeLines(null)).toEqual([])
    expect(normalizeLines([good, { id: 'x' }, null, { ...good, id: 'b', price_fen: 1.5 }, { ...good, id: 'c', quantity: 0 }]).map((l) => [l.id, l.quantity])).toEqual([
      ['a', 2],
      ['c', 1],
    ])
  })
})

describe('cart store', () => {
  beforeEach(() => {
    resetApp()
    cart.key = ''
    cart.lines = []
    saveLogin({ token: 't', expires_in: 3600, user: BUYER }, 'liaocheng')
    session.config = CONFIG
  })

  it('is kept per site and per user in localStorage', () => {
    addListingToCart(listing('a', 2500, XINCHENG), 2)
    updateCartQuantity('a', 5)
    const key = cartStorageKey('liaocheng', BUYER.username)
    expect(JSON.parse(localStorage.getItem(key))[0]).toMatchObject({ id: 'a', quantity: 5, catalog_code: 'A05040101' })

    setSiteId('weihai') // another site: its own (empty) cart
    expect(syncCart()).toEqual([])
    addListingToCart(listing('w', 100, WENDA))
    saveLogin({ token: 't', expires_in: 3600, user: { ...BUYER, username: 'lc_buyer2' } }, 'liaocheng')
    expect(syncCart()).toEqual([]) // another user of the same site
    saveLogin({ token: 't', expires_in: 3600, user: BUYER }, 'liaocheng')
    expect(syncCart().map((l) => [l.id, l.quantity])).toEqual([['a', 5]])
  })

  it('removes the suppliers that ordered and clears the storage when empty', () => {
    addListingToCart(listing('a', 2500, XINCHENG))
    addListingToCart(listing('b', 1800, WENDA))
    removeCartSuppliers([XINCHENG.uscc])
    expect(cart.lines.map((l) => l.id)).toEqual(['b'])
    removeFromCart('b')
    expect(localStorage.getItem(cartStorageKey('liaocheng', BUYER.username))).toBeNull()
    addListingToCart(listing('c', 1, WENDA))
    clearCart()
    expect(cart.lines).toEqual([])
  })

  it('remembers the last delivery address per site and user', () => {
    expect(lastDelivery()).toBeNull()
    rememberDelivery({ address: '聊城市东昌府区东昌西路 98 号', contact: '张敏', phone: '0635-8241234', note: 'x' })
    expect(lastDelivery()).toEqual({ address: '聊城市东昌府区东昌西路 98 号', contact: '张敏', phone: '0635-8241234' })
    setSiteId('weihai')
    expect(lastDelivery()).toBeNull()
  })
})
