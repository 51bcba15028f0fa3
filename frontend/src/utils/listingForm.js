// @ts-check
// 商品发布 / 编辑表单：表单模型 ⇄ API 请求体、校验规则、字段错误别名。
import { fenToYuanInput, todayInShanghai, yuanToFen } from './format.js'

export const LISTING_FIELDS = [
  'category_id',
  'name',
  'brand',
  'model',
  'specs',
  'price',
  'reference_price',
  'reference_source',
  'stock',
  'delivery_districts',
  'certificates',
  'images',
  'unit',
  'lead_days',
  'warranty',
  'after_sales',
  'description',
]

// 计量单位（与服务端 domain/listings.py 的 UNITS 一致）
export const UNITS = Object.freeze([
  '件', '个', '支', '盒', '包', '箱', '台', '套', '把', '张', '本', '卷', '瓶', '桶', '袋', '组', '副', '只',
  '块', '条', '双', '令', '米', '千克', '升', '次', '项', '人·次', '平方米', '月', '年',
])

export const LISTING_FIELD_ALIASES = Object.freeze({
  price_fen: 'price',
  reference_price_fen: 'reference_price',
})

export const LISTING_ERROR_FIELDS = Object.freeze({
  PRICE_ABOVE_REFERENCE: 'price',
  CERTIFICATE_EXPIRED: 'certificates',
  DUPLICATE_LISTING: 'model',
  UNKNOWN_CATEGORY: 'category_id',
  IMAGE_NOT_READY: 'images',
})

export function emptyListingForm() {
  return {
    category_id: '',
    name: '',
    brand: '',
    model: '',
    specs: [{ name: '', value: '' }],
    price: '',
    reference_price: '',
    reference_source: '',
    stock: null,
    delivery_districts: [],
    certificates: [],
    images: [],
    unit: '件',
    lead_days: 3,
    warranty: '',
    after_sales: '',
    description: '',
  }
}

export function listingToForm(l) {
  if (!l) return emptyListingForm()
  return {
    category_id: l.category_id || '',
    name: l.name || '',
    brand: l.brand || '',
    model: l.model || '',
    specs: (l.specs || []).length ? l.specs.map((s) => ({ name: s.name, value: s.value })) : [{ name: '', value: '' }],
    price: Number.isSafeInteger(l.price_fen) ? fenToYuanInput(l.price_fen) : '',
    reference_price: Number.isSafeInteger(l.reference_price_fen) ? fenToYuanInput(l.reference_price_fen) : '',
    reference_source: l.reference_source || '',
    stock: Number.isInteger(l.stock) ? l.stock : null,
    delivery_districts: [...(l.delivery_districts || [])],
    certificates: (l.certificates || []).map((c) => ({ kind: c.kind, number: c.number, expires_on: c.expires_on })),
    images: [...(l.images || [])],
    unit: l.unit || '件',
    lead_days: Number.isInteger(l.lead_days) ? l.lead_days : 3,
    warranty: l.warranty || '',
    after_sales: l.after_sales || '',
    description: l.description || '',
  }
}

/** 表单 → POST / PUT 请求体。价格须先通过校验。空的参数行不提交。
 * @returns {import('../../types/schema').components['schemas']['ListingBody']} checked against the API's description at build
 */
export function listingBody(form) {
  return {
    category_id: form.category_id,
    name: form.name.trim(),
    brand: form.brand.trim(),
    model: form.model.trim(),
    specs: form.specs
      .map((s) => ({ name: s.name.trim(), value: s.value.trim() }))
      .filter((s) => s.name || s.value),
    price_fen: yuanToFen(form.price),
    reference_price_fen: yuanToFen(form.reference_price),
    reference_source: form.reference_source.trim(),
    stock: form.stock,
    delivery_districts: [...form.delivery_districts],
    images: [...(form.images || [])],
    certificates: form.certificates.map((c) => ({ kind: c.kind, number: c.number.trim(), expires_on: c.expires_on })),
    unit: form.unit,
    lead_days: form.lead_days,
    warranty: form.warranty.trim(),
    after_sales: form.after_sales.trim(),
    description: form.description.trim(),
  }
}

/** 品目要求的参数（站点配置 categories[].spec_params）补进参数行：已有的不动，缺的加空行。 */
export function withRequiredSpecs(specs, params) {
  const rows = (specs || []).filter((s) => (s.name || '').trim() || (s.value || '').trim())
  const have = new Set(rows.map((s) => s.name.trim()))
  const added = (params || []).filter((p) => !have.has(p.name)).map((p) => ({ name: p.name, value: '' }))
  const all = [...rows, ...added]
  return all.length ? all : [{ name: '', value: '' }]
}

/** 必填参数缺值时的提示。 */
export function requiredSpecsProblem(specs, params, categoryName = '该品目') {
  const filled = new Set((specs || []).filter((s) => (s.value || '').trim()).map((s) => (s.name || '').trim()))
  const missing = (params || []).map((p) => p.name).filter((n) => !filled.has(n))
  return missing.length ? `${categoryName}须填写规格参数：${missing.join('、')}` : ''
}

/** 解析元金额；返回 {fen} 或 {error}。 */
export function parseYuan(text, label, { positive = true } = {}) {
  if (text === null || text === undefined || String(text).trim() === '') return { error: `请输入${label}` }
  try {
    const fen = yuanToFen(text)
    if (positive && fen <= 0) return { error: `${label}须大于 0` }
    if (fen < 0) return { error: `${label}不能为负数` }
    return { fen }
  } catch (err) {
    return { error: err.message }
  }
}

/** 参数行的问题：缺名称或值、名称重复。 */
export function specsProblem(specs) {
  const names = new Set()
  for (const s of specs || []) {
    const n = (s.name || '').trim()
    const v = (s.value || '').trim()
    if (!n && !v) continue
    if (!n) return '参数名称不能为空'
    if (!v) return `请填写「${n}」的参数值`
    if (names.has(n)) return `参数「${n}」重复`
    names.add(n)
  }
  return ''
}

/** 认证证书行的问题：缺项或已过期（按北京时间的今天）。 */
export function certificatesProblem(certs, today = todayInShanghai()) {
  for (const c of certs || []) {
    if (!c.kind) return '请选择证书类型'
    if (!(c.number || '').trim()) return '请填写证书编号'
    if (!c.expires_on) return '请选择证书有效期'
    if (c.expires_on < today) return `证书 ${c.number.trim()} 已于 ${c.expires_on} 过期`
  }
  return ''
}

/** requiredFor(categoryId) → {name, params}：该品目的必填参数（可不传）。 */
/** @param {any} form @param {(categoryId: string) => {name: string, params: any[]} | null} [requiredFor] */
export function listingRules(form, requiredFor = () => ({ name: '', params: [] })) {
  const fromProblem = (fn) => ({
    validator: (_r, v, cb) => {
      const p = fn(v)
      return p ? cb(new Error(p)) : cb()
    },
    trigger: 'change',
  })
  return {
    category_id: [{ required: true, message: '请选择末级品目', trigger: 'change' }],
    name: [{ required: true, message: '请输入商品名称', trigger: 'blur' }],
    brand: [{ required: true, message: '请输入品牌', trigger: 'blur' }],
    model: [{ required: true, message: '请输入型号', trigger: 'blur' }],
    specs: [
      fromProblem((v) => {
        const req = requiredFor(form.category_id) || { name: '', params: [] }
        return specsProblem(v) || requiredSpecsProblem(v, req.params, req.name)
      }),
    ],
    price: [
      { required: true, message: '请输入价格', trigger: 'blur' },
      {
        validator: (_r, v, cb) => {
          const p = parseYuan(v, '价格')
          if (p.error) return cb(new Error(p.error))
          const ref = parseYuan(form.reference_price, '参考价')
          if (!ref.error && p.fen > ref.fen) return cb(new Error('价格不得高于参考价'))
          return cb()
        },
        trigger: 'blur',
      },
    ],
    reference_price: [
      { required: true, message: '请输入参考价', trigger: 'blur' },
      {
        validator: (_r, v, cb) => {
          const p = parseYuan(v, '参考价')
          return p.error ? cb(new Error(p.error)) : cb()
        },
        trigger: 'blur',
      },
    ],
    reference_source: [{ required: true, message: '请填写参考价来源（如：京东自营 2026-11-20）', trigger: 'blur' }],
    stock: [{ required: true, type: 'integer', message: '请输入库存', trigger: 'blur' }],
    delivery_districts: [{ required: true, type: 'array', min: 1, message: '请至少选择一个配送区划', trigger: 'change' }],
    certificates: [fromProblem((v) => certificatesProblem(v))],
    unit: [{ required: true, message: '请选择计量单位', trigger: 'change' }],
    lead_days: [{ required: true, type: 'integer', min: 1, max: 90, message: '交货期须为 1 至 90 天', trigger: 'blur' }],
  }
}

/** 站点品目 → el-cascader 选项：只有末级品目可选。 */
export function categoryOptions(tree) {
  return (tree || []).map((n) => {
    const children = n.children && n.children.length ? categoryOptions(n.children) : undefined
    return { value: n.id, label: n.name, children, disabled: !children && n.is_leaf === false }
  })
}
