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
]

export const LISTING_FIELD_ALIASES = Object.freeze({
  price_fen: 'price',
  reference_price_fen: 'reference_price',
  images: '',
})

export const LISTING_ERROR_FIELDS = Object.freeze({
  PRICE_ABOVE_REFERENCE: 'price',
  CERTIFICATE_EXPIRED: 'certificates',
  DUPLICATE_LISTING: 'model',
  UNKNOWN_CATEGORY: 'category_id',
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
  }
}

/** 表单 → POST / PUT 请求体。价格须先通过校验。空的参数行不提交。 */
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
  }
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

export function listingRules(form) {
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
    specs: [fromProblem(specsProblem)],
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
  }
}

/** 站点品目 → el-cascader 选项：只有末级品目可选。 */
export function categoryOptions(tree) {
  return (tree || []).map((n) => {
    const children = n.children && n.children.length ? categoryOptions(n.children) : undefined
    return { value: n.id, label: n.name, children, disabled: !children && n.is_leaf === false }
  })
}
