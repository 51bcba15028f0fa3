// @ts-check
// 购物车的纯函数：行的增删改、按供应商分组（每个供应商单独生成订单）、小计与合计（整数分）。
// 购物车行：{id, name, brand, model, price_fen, quantity, category_id, category_name, catalog_code,
//            supplier: {uscc, name}, stock}

/** @typedef {import('../../types/schema').components['schemas']} Schemas */

export const MAX_QUANTITY = 100000 // 与下单接口的单行数量上限一致
export const MAX_LINES_PER_ORDER = 20 // 一张订单最多 20 种商品

/** 购物车在 localStorage 中的键：每个站点、每个用户各一份。 */
export function cartStorageKey(siteId, username) {
  return `yuncai.cart.${siteId || '-'}.${username || '-'}`
}

function clampQuantity(quantity, stock) {
  let q = Math.floor(Number(quantity))
  if (!Number.isFinite(q) || q < 1) q = 1
  const cap = Number.isSafeInteger(stock) && stock > 0 ? Math.min(stock, MAX_QUANTITY) : MAX_QUANTITY
  return Math.min(q, cap)
}

/**
 * 商品（详情或目录卡片）→ 购物车行。卡片没有 catalog_code 时，按站点品目（config.categories）补上。
 * @param {Partial<Schemas['ListingView'] & Schemas['ListingCard']>} listing
 * @param {number} [quantity]
 * @param {Partial<Schemas['SiteConfigCategory']>[]} [categories]
 */
export function cartLineFrom(listing, quantity = 1, categories = []) {
  const category = categories.find((c) => c.id === listing.category_id)
  const stock = Number.isSafeInteger(listing.stock) ? listing.stock : null
  return {
    id: listing.id,
    name: listing.name,
    brand: listing.brand || '',
    model: listing.model || '',
    price_fen: listing.price_fen,
    quantity: clampQuantity(quantity, stock),
    category_id: listing.category_id || '',
    category_name: listing.category_name || category?.name || '',
    catalog_code: listing.catalog_code || category?.catalog_code || '',
    supplier: { uscc: listing.supplier?.uscc || '', name: listing.supplier?.name || '' },
    stock,
  }
}

/** 加入购物车：已有的商品累加数量（不超过库存），并用最新的价格等信息覆盖。返回新数组。 */
export function addLine(lines, line) {
  const existing = lines.find((l) => l.id === line.id)
  if (!existing) return [...lines, { ...line, quantity: clampQuantity(line.quantity, line.stock) }]
  return lines.map((l) =>
    l.id === line.id ? { ...l, ...line, quantity: clampQuantity(l.quantity + line.quantity, line.stock ?? l.stock) } : l,
  )
}

export function setLineQuantity(lines, id, quantity) {
  return lines.map((l) => (l.id === id ? { ...l, quantity: clampQuantity(quantity, l.stock) } : l))
}

export function removeLine(lines, id) {
  return lines.filter((l) => l.id !== id)
}

/** 去掉这些供应商的全部商品（下单成功的分组）。 */
export function removeSuppliers(lines, usccs) {
  const gone = new Set(usccs)
  return lines.filter((l) => !gone.has(l.supplier?.uscc))
}

export function lineAmount(line) {
  return line.price_fen * line.quantity
}

export function cartTotal(lines) {
  return lines.reduce((sum, l) => sum + lineAmount(l), 0)
}

/** 购物车中的商品件数（各行数量之和）。 */
export function cartCount(lines) {
  return lines.reduce((sum, l) => sum + l.quantity, 0)
}

/**
 * 按供应商分组，保持加入的先后顺序：[{supplier: {uscc, name}, lines, subtotal_fen, quantity}]。
 */
export function groupBySupplier(lines) {
  const groups = new Map()
  for (const line of lines) {
    const uscc = line.supplier?.uscc || ''
    if (!groups.has(uscc)) groups.set(uscc, { supplier: { ...line.supplier }, lines: [], subtotal_fen: 0, quantity: 0 })
    const g = groups.get(uscc)
    g.lines.push(line)
    g.subtotal_fen += lineAmount(line)
    g.quantity += line.quantity
  }
  return [...groups.values()]
}

/** 从 localStorage 读回的数据只保留格式正确的行。 */
export function normalizeLines(raw) {
  if (!Array.isArray(raw)) return []
  return raw
    .filter(
      (l) =>
        l &&
        typeof l.id === 'string' &&
        l.id &&
        Number.isSafeInteger(l.price_fen) &&
        l.supplier &&
        typeof l.supplier.uscc === 'string',
    )
    .map((l) => ({ ...l, quantity: clampQuantity(l.quantity, l.stock) }))
}
