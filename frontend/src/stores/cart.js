// 购物车（采购人）：每个站点、每个用户一份，保存在 localStorage，刷新页面或重新登录后保留。
import { reactive } from 'vue'
import {
  addLine,
  cartLineFrom,
  cartStorageKey,
  normalizeLines,
  removeLine,
  removeSuppliers,
  setLineQuantity,
} from '../utils/cart.js'
import { session } from './session.js'

function storage() {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null
  } catch {
    return null
  }
}

export const cart = reactive({ key: '', lines: [] })

function currentKey() {
  return cartStorageKey(session.siteId, session.user?.username)
}

/** 当前站点与用户的购物车；换了站点或用户就读入对应的那一份。 */
export function syncCart() {
  const key = currentKey()
  if (cart.key === key) return cart.lines
  cart.key = key
  try {
    cart.lines = normalizeLines(JSON.parse(storage()?.getItem(key) || 'null'))
  } catch {
    cart.lines = []
  }
  return cart.lines
}

function update(change) {
  syncCart()
  cart.lines = change(cart.lines)
  if (cart.lines.length) storage()?.setItem(cart.key, JSON.stringify(cart.lines))
  else storage()?.removeItem(cart.key)
}

/** 加入购物车（line 由 utils/cart.js 的 cartLineFrom 生成）。 */
export function addToCart(line) {
  update((lines) => addLine(lines, line))
}

/** 把商品详情或目录卡片加入购物车（品目编码按当前站点的品目补全）。 */
export function addListingToCart(listing, quantity = 1) {
  addToCart(cartLineFrom(listing, quantity, session.config?.categories || []))
}

export function updateCartQuantity(id, quantity) {
  update((lines) => setLineQuantity(lines, id, quantity))
}

export function removeFromCart(id) {
  update((lines) => removeLine(lines, id))
}

/** 下单成功后去掉这些供应商的分组。 */
export function removeCartSuppliers(usccs) {
  update((lines) => removeSuppliers(lines, usccs))
}

export function clearCart() {
  update(() => [])
}

// 上次填写的收货信息（同一站点、同一用户），结算时预填。
function deliveryKey() {
  return currentKey().replace('yuncai.cart.', 'yuncai.delivery.')
}

export function lastDelivery() {
  try {
    const saved = JSON.parse(storage()?.getItem(deliveryKey()) || 'null')
    return saved && typeof saved === 'object' ? saved : null
  } catch {
    return null
  }
}

export function rememberDelivery({ address, contact, phone }) {
  storage()?.setItem(deliveryKey(), JSON.stringify({ address, contact, phone }))
}
