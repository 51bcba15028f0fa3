// 审计日志：把 before / after 对比成逐字段的可读行。
import { BIDDING_RULE_LABELS, CHANGE_STATUS_LABELS, LIMIT_LABELS, METHOD_LABELS, fenToWan, labelOf } from './format.js'

export const FIELD_LABELS = Object.freeze({
  ...LIMIT_LABELS,
  ...BIDDING_RULE_LABELS,
  methods: '采购方式',
  effective_date: '生效日期',
  status: '状态',
  version: '配置版本',
  uscc: '统一社会信用代码',
  name: '名称',
  district: '所属区划',
  district_name: '区划名称',
  kind: '类型',
  contact_name: '联系人',
  contact_phone: '联系电话',
  reason: '说明',
  note: '说明',
  termination: '终止申请',
})

const EMPTY = '（无）'

export function formatValue(key, value) {
  if (value === null || value === undefined || value === '') return EMPTY
  if (key.endsWith('_fen') && Number.isSafeInteger(value)) return `${fenToWan(value)} 万元`
  if (key === 'methods' && Array.isArray(value)) {
    return value.length ? value.map((c) => labelOf(METHOD_LABELS, typeof c === 'object' && c ? c.code : c)).join('、') : EMPTY
  }
  if (key === 'status' && typeof value === 'string') return labelOf(CHANGE_STATUS_LABELS, value)
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (typeof value === 'object') return JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ')
  return String(value)
}

export function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/**
 * 返回发生变化的字段：[{key, label, before, after}]（值已格式化为中文可读文本）。
 * formats：按字段覆盖取值的显示，如订单的 {status: (v) => 订单状态标签}。
 */
export function diffRows(event, formats = {}) {
  const before = event ? event.before : undefined
  const after = event ? event.after : undefined
  if (!isPlainObject(before) && !isPlainObject(after)) {
    if (JSON.stringify(before) === JSON.stringify(after)) return []
    return [{ key: 'value', label: '值', before: formatValue('value', before), after: formatValue('value', after) }]
  }
  const b = isPlainObject(before) ? before : {}
  const a = isPlainObject(after) ? after : {}
  const show = (k, v) => (formats[k] && v !== null && v !== undefined && v !== '' ? formats[k](v) : formatValue(k, v))
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])]
  return keys
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => ({
      key: k,
      label: FIELD_LABELS[k] || k,
      before: show(k, b[k]),
      after: show(k, a[k]),
    }))
}
