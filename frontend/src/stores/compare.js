// 商品对比栏：最多 4 件，同一站点内；保存在 sessionStorage，刷新页面后保留。
import { reactive } from 'vue'

export const COMPARE_MAX = 4
const KEY = 'yuncai.compare'

function storage() {
  try {
    return typeof window !== 'undefined' ? window.sessionStorage : null
  } catch {
    return null
  }
}

export const compare = reactive({ siteId: '', items: [] })

function save() {
  storage()?.setItem(KEY, JSON.stringify({ siteId: compare.siteId, items: compare.items }))
}

export function restoreCompare() {
  try {
    const data = JSON.parse(storage()?.getItem(KEY) || 'null')
    compare.siteId = (data && data.siteId) || ''
    compare.items = Array.isArray(data && data.items) ? data.items.slice(0, COMPARE_MAX) : []
  } catch {
    compare.siteId = ''
    compare.items = []
  }
}

/** 换了站点就清空（商品编号只在本站点有效）。 */
export function compareItemsFor(siteId) {
  if (compare.siteId !== siteId) {
    compare.siteId = siteId
    compare.items = []
    save()
  }
  return compare.items
}

export function inCompare(id) {
  return compare.items.some((i) => i.id === id)
}

/** 加入对比；返回 'added' | 'exists' | 'full'。 */
export function addToCompare(siteId, item) {
  compareItemsFor(siteId)
  if (inCompare(item.id)) return 'exists'
  if (compare.items.length >= COMPARE_MAX) return 'full'
  compare.items.push({ id: item.id, name: item.name, price_fen: item.price_fen, brand: item.brand || '' })
  save()
  return 'added'
}

export function removeFromCompare(id) {
  compare.items = compare.items.filter((i) => i.id !== id)
  save()
}

export function clearCompare() {
  compare.items = []
  save()
}

restoreCompare()
