// @ts-check
// 商品对比矩阵：行 = 规格参数名称的并集（服务器给出的 spec_names 在前），列 = 商品。
/** @typedef {import('../../types/schema').components['schemas']} Schemas */

/**
 * 规格参数名称的并集：先按 specNames 的顺序，再补上各商品中出现但未列出的名称。
 * @param {Schemas['ListingView'][]} items
 * @param {string[]} [specNames]
 */
export function specNameUnion(items, specNames = []) {
  const out = []
  const seen = new Set()
  const add = (n) => {
    if (n && !seen.has(n)) {
      seen.add(n)
      out.push(n)
    }
  }
  for (const n of specNames || []) add(n)
  for (const item of items || []) for (const s of item.specs || []) add(s.name)
  return out
}

/**
 * 某商品的参数值；没有该参数时为 ''。
 * @param {Schemas['ListingView']} item
 * @param {string} name
 */
export function specValue(item, name) {
  const s = (item.specs || []).find((x) => x.name === name)
  return s ? String(s.value ?? '') : ''
}

/** 值是否不全相同（商品少于 2 件时不算不同）。 */
export function differs(values) {
  if (values.length < 2) return false
  const norm = values.map((v) => String(v ?? '').trim())
  return norm.some((v) => v !== norm[0])
}

/**
 * 规格参数行：[{name, values, differs}]
 * @param {Schemas['ListingView'][]} items
 * @param {string[]} specNames
 */
export function specRows(items, specNames) {
  return specNameUnion(items, specNames).map((name) => {
    const values = (items || []).map((i) => specValue(i, name))
    return { name, values, differs: differs(values) }
  })
}

/**
 * 价格最低的商品下标（可能并列）；价格无效的不参与。
 * @param {Schemas['ListingView'][]} items
 */
export function lowestPriceIndexes(items) {
  let min = null
  ;(items || []).forEach((i) => {
    if (Number.isSafeInteger(i.price_fen) && (min === null || i.price_fen < min)) min = i.price_fen
  })
  if (min === null) return []
  return (items || []).map((i, idx) => (i.price_fen === min ? idx : -1)).filter((idx) => idx >= 0)
}

/** 解析 ?ids=a,b,c：去空、去重、最多 max 个。 */
export function parseIds(text, max = 4) {
  const out = []
  for (const part of String(text || '').split(',')) {
    const id = part.trim()
    if (id && !out.includes(id)) out.push(id)
  }
  return out.slice(0, max)
}
