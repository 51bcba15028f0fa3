// @ts-check
// 结算下单：每个供应商一张订单、一个幂等键；二级品目的核对；逐个下单并汇总结果。
import { uuid4 } from './uuid.js'

/** @typedef {import('../../types/schema').components['schemas']} Schemas */

/** 品目编码所属的二级品目（与后端 level2_of 相同）：A05040401 → A05040000。 */
export function level2Of(code) {
  const c = String(code || '')
  return c.length === 9 ? `${c.slice(0, 5)}0000` : c
}

/**
 * 采购计划的二级品目：优先用计划自带的 level2_code。
 * @param {Partial<Schemas['PlanView']> | null | undefined} plan
 */
export function planLevel2(plan) {
  if (!plan) return ''
  return plan.level2_code || level2Of(plan.line?.catalog_code || plan.budget_category || '')
}

/** 二级品目名称：站点品目里对应该编码的目录名（如 A05040000 办公用品），找不到返回 ""。 */
export function level2Name(code, categories = []) {
  if (!code) return ''
  const hit = categories.find((c) => c.catalog_code === code)
  return hit ? hit.catalog_name || hit.name || '' : ''
}

/** 分组中不属于计划二级品目的商品名称（为空表示都符合）。 */
export function mismatchedLines(group, plan) {
  const wanted = planLevel2(plan)
  if (!wanted) return []
  return group.lines.filter((l) => l.catalog_code && level2Of(l.catalog_code) !== wanted).map((l) => l.name)
}

/**
 * 一次结算尝试：每个供应商分组一个幂等键，第一次用到时生成，之后（包括重试）一直复用，
 * 所以重复点击或网络重试不会多下一张订单。重新进入结算页才开始新的尝试。
 */
export function createCheckoutAttempt(makeKey = uuid4) {
  const keys = new Map()
  return {
    keyFor(supplierUscc) {
      if (!keys.has(supplierUscc)) keys.set(supplierUscc, makeKey())
      return keys.get(supplierUscc)
    },
    get size() {
      return keys.size
    },
  }
}

/** 下单请求体（docs/api.md POST /sites/{site}/orders）。
 * @returns {import('../../types/schema').components['schemas']['NewOrderBody']} checked against the API's description at build
 */
export function orderBody(group, planNo, form) {
  return {
    plan_no: planNo,
    supplier_uscc: group.supplier.uscc,
    lines: group.lines.map((l) => ({ listing_id: l.id, quantity: l.quantity })),
    delivery: {
      address: form.address.trim(),
      contact: form.contact.trim(),
      phone: form.phone.trim(),
      expected_date: form.expected_date,
    },
    note: (form.note || '').trim(),
  }
}

/** 下单失败的中文说明：接口给出的 message；幂等冲突时提示去订单管理核对。 */
export function placeErrorText(err) {
  if (!err) return '下单失败'
  if (err.code === 'IDEMPOTENCY_KEY_REUSED' || err.code === 'REQUEST_IN_PROGRESS') {
    return `${err.message || '请求已提交过'}。该供应商的订单可能已生成，请先到“订单管理”核对，再重新进入结算页下单`
  }
  return err.message || '下单失败，请稍后重试'
}

/**
 * 逐个分组下单（依次提交：同一采购计划的余额逐单扣减）。
 * place(body, idempotencyKey) 返回订单；返回 [{supplier, ok, order?, error?, code?}]，与 groups 同序。
 */
export async function placeOrders(groups, { planNo, form, attempt, place }) {
  // planNo：全部分组共用的计划号，或按分组给出计划号的函数（每个供应商一张订单、各用各的计划）
  const planOf = typeof planNo === 'function' ? planNo : () => planNo
  const results = []
  for (const group of groups) {
    try {
      const order = await place(orderBody(group, planOf(group), form), attempt.keyFor(group.supplier.uscc))
      results.push({ supplier: group.supplier, ok: true, order })
    } catch (err) {
      results.push({ supplier: group.supplier, ok: false, error: placeErrorText(err), code: err?.code || '' })
    }
  }
  return results
}

/** 下单成功的供应商（从购物车中移除它们的分组）。 */
export function succeededSuppliers(results) {
  return results.filter((r) => r.ok).map((r) => r.supplier.uscc)
}

/** 收货信息的校验规则（el-form）。 */
export function deliveryRules(isValidPhone) {
  return {
    plan_no: [{ required: true, message: '请选择采购计划', trigger: 'change' }],
    address: [
      { required: true, message: '请输入收货地址', trigger: 'blur' },
      { min: 4, max: 200, message: '收货地址为 4–200 个字', trigger: 'blur' },
    ],
    contact: [
      { required: true, message: '请输入收货联系人', trigger: 'blur' },
      { min: 2, max: 30, message: '联系人为 2–30 个字', trigger: 'blur' },
    ],
    phone: [
      { required: true, message: '请输入联系电话', trigger: 'blur' },
      {
        validator: (_r, v, cb) => (isValidPhone(v) ? cb() : cb(new Error('请输入正确的手机号或座机号（区号-号码）'))),
        trigger: 'blur',
      },
    ],
    expected_date: [{ required: true, message: '请选择期望送达日期', trigger: 'change' }],
  }
}

/** "2024-01-15" 之后 n 天的日期（按日历计算，与时区无关）。 */
export function daysAfter(isoDate, n) {
  const [y, m, d] = isoDate.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d + n))
  return t.toISOString().slice(0, 10)
}

/**
 * 结算页的计划选项：品目与购物车相符的排在前面；余额为 0 的不可选。
 * 返回 [{plan, level2, matches, disabled}]。
 * @param {Schemas['PlanView'][]} plans
 * @param {string[]} cartLevel2s
 */
export function planOptions(plans, cartLevel2s) {
  const wanted = new Set(cartLevel2s)
  return (plans || [])
    .map((plan) => {
      const level2 = planLevel2(plan)
      return { plan, level2, matches: wanted.has(level2), disabled: !(plan.balance_fen > 0) }
    })
    .sort((a, b) => Number(b.matches) - Number(a.matches) || Number(a.disabled) - Number(b.disabled))
}

/** 购物车商品涉及的二级品目（去重）。 */
export function cartLevel2s(lines) {
  return [...new Set(lines.map((l) => level2Of(l.catalog_code)).filter(Boolean))]
}

/** 结算预检的请求体：每个供应商分组、所选计划（未选则由系统推荐）。 */
export function forecastGroups(groups, choices) {
  return groups.map((g) => ({
    supplier_uscc: g.supplier.uscc,
    ...(choices[g.supplier.uscc] ? { plan_no: choices[g.supplier.uscc] } : {}),
    lines: g.lines.map((l) => ({ listing_id: l.id, quantity: l.quantity })),
  }))
}
