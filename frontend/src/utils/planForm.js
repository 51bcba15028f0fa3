// @ts-check
// 自建采购计划表单：请求体、校验规则，以及 422 LIMIT_EXCEEDED 的说明行。
import { fenToWan, labelOf, yuanToFen } from './format.js'

/** @returns {import('../../types/schema').components['schemas']['SelfBuiltPlanBody']} checked against the API's description at build */
export function planBody(form) {
  return {
    name: form.name.trim(),
    business_year: form.business_year,
    business_month: form.business_month,
    purchase_method: form.purchase_method,
    budget_category: form.budget_category,
    amount_fen: yuanToFen(form.amount),
    planned_date: form.planned_date,
    note: (form.note || '').trim(),
  }
}

export function planRules() {
  return {
    name: [{ required: true, message: '请输入计划名称', trigger: 'blur' }],
    purchase_method: [{ required: true, message: '请选择采购方式', trigger: 'change' }],
    budget_category: [{ required: true, message: '请选择预算品目', trigger: 'change' }],
    amount: [
      { required: true, message: '请输入预算金额', trigger: 'blur' },
      {
        validator: (_r, v, cb) => {
          if (!String(v || '').trim()) return cb(new Error('请输入预算金额'))
          try {
            return yuanToFen(v) > 0 ? cb() : cb(new Error('预算金额须大于 0'))
          } catch (err) {
            return cb(new Error(err.message))
          }
        },
        trigger: 'blur',
      },
    ],
    planned_date: [{ required: true, message: '请选择计划采购日期', trigger: 'change' }],
  }
}

/**
 * 422 LIMIT_EXCEEDED 的 details {limit_label, limit_fen, used_fen, left_fen} → 中文说明行（限额名称由服务端给出）。
 */
export function limitExceededLines(details) {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return []
  const wan = (fen) => `${fenToWan(fen, { grouping: true })} 万元`
  const lines = []
  if (details.limit_label) lines.push(`限额类型：${details.limit_label}`)
  if (Number.isSafeInteger(details.limit_fen)) lines.push(`限额：${wan(details.limit_fen)}`)
  if (Number.isSafeInteger(details.used_fen)) lines.push(`已使用：${wan(details.used_fen)}`)
  if (Number.isSafeInteger(details.left_fen)) lines.push(`剩余可用：${wan(details.left_fen)}`)
  return lines
}
