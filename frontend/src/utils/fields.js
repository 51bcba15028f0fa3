// 把 API 返回的字段错误（details: [{field, message}]）对应到表单项。
// 后端字段可能是嵌套路径（"declaration.revenue_fen"、"certificates[1].expires_on"、"specs.0.name"），
// 先按完整路径查别名，再按首段查别名，最后用首段本身。

/** 路径首段："certificates[1].expires_on" → "certificates"。 */
export function fieldHead(field) {
  return String(field || '').split(/[.[]/)[0]
}

/**
 * @param {Record<string, string>} errors ApiError.fieldErrors() 的结果
 * @param {Record<string, string>} aliases API 字段 → 表单项
 * @param {string[]} known 表单项名称；不在其中的归入 ''（由调用方整体提示）
 * @returns {Record<string, string>} 表单项 → 错误信息（同一表单项只保留第一条）
 */
export function mapFieldErrors(errors, aliases = {}, known = null) {
  const out = {}
  for (const [field, message] of Object.entries(errors || {})) {
    const head = fieldHead(field)
    let key = aliases[field] ?? aliases[head] ?? head
    if (known && !known.includes(key)) key = ''
    if (!(key in out)) out[key] = message
  }
  return out
}
