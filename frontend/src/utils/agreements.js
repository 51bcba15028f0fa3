// 框架协议的显示规则（与服务端 domain/frameworks.py 的第二阶段方式一致）。
export const STAGE2_ORDER = Object.freeze(['direct_select', 'secondary_bidding', 'rotation'])

/** 协议规则中的第二阶段方式，按固定顺序，每项带今天能否使用及原因。 */
export function stage2Of(agreement) {
  const allowed = agreement?.rules?.methods || []
  return STAGE2_ORDER.filter((code) => allowed.includes(code)).map((code) => ({ ...agreement.stage2[code], code, problem: agreement.stage2[code]?.code || '' }))
}

/** 直接选定时可选的产品：正常状态的入围供应商的每个入围产品，一行一个。 */
export function selectableProducts(agreement) {
  return (agreement?.members || [])
    .filter((m) => m.status === 'active')
    .flatMap((m) => m.products.map((p) => ({ ...p, supplier_uscc: m.uscc, supplier_name: m.name })))
}
