// 把 OpenAPI 描述（/openapi.json）整理成“接口文档”页面的表格行：名称、调用方、参数、请求体字段、应答字段、错误码。

const TYPE_WORDS = { string: '文本', integer: '整数', number: '数字', boolean: '是/否', array: '列表', object: '对象', null: '空' }
const FORMAT_WORDS = { date: '日期 YYYY-MM-DD', 'date-time': 'UTC 时间（ISO 8601）', email: '电子邮箱', uri: '网址' }

function resolve(schema, doc) {
  let current = schema || {}
  for (let i = 0; i < 5 && current.$ref; i += 1) {
    const name = current.$ref.split('/').pop()
    // 接口的 #/components/schemas/…，或事件 JSON Schema 自带的 #/$defs/…
    current = (current.$ref.startsWith('#/$defs/') ? doc?.$defs?.[name] : doc?.components?.schemas?.[name]) || {}
  }
  return current
}

/** 一个字段的类型与约束，用中文说（如“文本，1–40 字”“整数，≥ 0”“取值：a、b”）。 */
export function describeSchema(schema, doc = null) {
  const s = resolve(schema, doc)
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const options = (s.anyOf || s.oneOf).filter((o) => o.type !== 'null')
    const text = options.map((o) => describeSchema(o, doc)).join(' 或 ')
    return options.length < (s.anyOf || s.oneOf).length ? `${text}（可为空）` : text
  }
  if (Array.isArray(s.enum)) return `取值：${s.enum.join('、')}`
  if (s.const !== undefined) return `固定为 ${s.const}`
  const parts = [FORMAT_WORDS[s.format] || TYPE_WORDS[s.type] || (s.properties ? '对象' : '任意')]
  if (s.minLength !== undefined || s.maxLength !== undefined) parts.push(`${s.minLength ?? 0}–${s.maxLength ?? '不限'} 字`)
  if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`)
  if (s.maximum !== undefined) parts.push(`≤ ${s.maximum}`)
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`)
  if (s.minItems !== undefined || s.maxItems !== undefined) parts.push(`${s.minItems ?? 0}–${s.maxItems ?? '不限'} 项`)
  if (s.pattern) parts.push(`格式 ${s.pattern}`)
  if (s.type === 'array' && s.items) parts.push(`每项：${describeSchema(s.items, doc)}`)
  if (s.description) parts.push(s.description)
  return parts.join('，')
}

/** 对象的字段（嵌套对象展开为 a.b，列表中的对象展开为 a[].b），最多三层。 */
export function fieldsOf(schema, doc, prefix = '', depth = 0) {
  const s = resolve(schema, doc)
  const required = new Set(s.required || [])
  const rows = []
  for (const [name, prop] of Object.entries(s.properties || {})) {
    const full = prefix ? `${prefix}.${name}` : name
    const inner = resolve(prop, doc)
    rows.push({ name: full, required: required.has(name), type: describeSchema(prop, doc) })
    if (depth < 2 && inner.properties) rows.push(...fieldsOf(inner, doc, full, depth + 1))
    const item = inner.type === 'array' ? resolve(inner.items, doc) : null
    if (depth < 2 && item?.properties) rows.push(...fieldsOf(item, doc, `${full}[]`, depth + 1))
  }
  return rows
}

function callersOf(op, path) {
  if (path.startsWith('/integration/')) return '对接平台（签名认证）'
  return op['x-role-names']?.length ? op['x-role-names'].join('、') : '公开（无需登录）'
}

/** 错误码表的行：同一错误码在不同情形下的 HTTP 状态以顿号分隔。 */
export function errorRows(codes) {
  return Object.entries(codes || {}).map(([code, e]) => ({ code, status: (e.statuses || [e.status]).join('、'), message: e.message }))
}

/** 全部接口，每个一行。 */
export function operationsOf(doc) {
  const rows = []
  for (const [path, methods] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(methods)) {
      const bodySchema = op.requestBody?.content?.['application/json']?.schema
      const answerSchema = op.responses?.['2XX']?.content?.['application/json']?.schema
      rows.push({
        key: `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        title: op['x-title'] || path,
        group: op.tags?.[0] || '',
        callers: callersOf(op, path),
        parameters: (op.parameters || [])
          .map((p) => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p))
          .map((p) => ({ ...p, schema: resolve(p.schema, doc), description: p.description || '' })),
        body: bodySchema ? fieldsOf(bodySchema, doc) : [],
        answer: answerSchema ? fieldsOf(answerSchema, doc) : [],
        errors: errorRows(op['x-error-codes']),
      })
    }
  }
  return rows
}
