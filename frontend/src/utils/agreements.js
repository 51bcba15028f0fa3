// @ts-check
// 框架协议的显示规则（与服务端 domain/frameworks.py 的第二阶段方式一致）。
import { yuanToFen } from './format.js'

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

/**
 * 省级录入表单 → 接口的协议内容：每家入围供应商一个入围产品（更多产品由省平台推送）；
 * 限价“元”逐位换算成分，格式不对时抛出带中文说明的错误。
 * @returns {import('../../types/schema').components['schemas']['AgreementBody']} checked against the API's description at build
 */
export function agreementBody(form, toFen = yuanToFen) {
  const codes = String(form.codes || '')
    .split(/[,，\s]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean)
  const members = form.members
    .filter((m) => m.uscc || m.name)
    .map((m, i) => {
      const [brand = '', ...model] = String(m.brand_model || '').trim().split(/\s+/)
      let cap
      try {
        cap = toFen(m.cap)
      } catch (err) {
        throw new Error(`第 ${i + 1} 家入围供应商的入围限价：${err.message}`)
      }
      return {
        uscc: m.uscc.trim().toUpperCase(),
        name: m.name.trim(),
        rank: i + 1,
        products: [
          {
            code: `P${String(i + 1).padStart(2, '0')}`,
            name: m.product.trim(),
            brand,
            model: model.join(' '),
            catalog_code: (m.catalog_code || codes[0] || '').trim().toUpperCase(),
            unit: m.unit.trim(),
            cap_fen: cap,
            spec: '',
          },
        ],
      }
    })
  return {
    number: form.number.trim().toUpperCase(),
    name: form.name.trim(),
    agency: form.agency.trim(),
    catalog_codes: codes,
    sites: [],
    valid_from: form.valid_from,
    valid_to: form.valid_to,
    rules: { methods: form.methods, min_suppliers: form.min_suppliers },
    members,
    documents: form.document_url ? [{ title: '框架协议文本', url: form.document_url.trim() }] : [],
  }
}
