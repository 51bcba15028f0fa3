// @ts-check
// 供应商注册 / 企业资料表单：表单模型 ⇄ API 请求体、校验规则、字段错误别名。
import { fenToWanInput, wanToFen } from './format.js'
import {
  PASSWORD_RULE_TEXT,
  isStrongPassword,
  isValidEmail,
  isValidMobile,
  isValidUscc,
  isValidUsername,
} from './validators.js'

export const ACCOUNT_FIELDS = ['username', 'password', 'password2']
export const PROFILE_FIELDS = [
  'uscc',
  'name',
  'legal_representative',
  'registered_address',
  'home_district',
  'ownership',
  'industry',
  'employees',
  'revenue_wan',
  'assets_wan',
  'scale',
  'contact_name',
  'contact_phone',
  'contact_email',
]

// API 字段路径 → 表单项
export const SUPPLIER_FIELD_ALIASES = Object.freeze({
  'declaration.industry': 'industry',
  'declaration.employees': 'employees',
  'declaration.revenue_fen': 'revenue_wan',
  'declaration.assets_fen': 'assets_wan',
  declaration: 'industry',
  'contact.name': 'contact_name',
  'contact.phone': 'contact_phone',
  'contact.email': 'contact_email',
  contact: 'contact_name',
  home_district_name: 'home_district',
})

// 错误代码 → 表单项（接口未给出 details 字段时，把 message 显示在该项下）
export const SUPPLIER_ERROR_FIELDS = Object.freeze({
  USERNAME_TAKEN: 'username',
  SUPPLIER_EXISTS: 'uscc',
  WEAK_PASSWORD: 'password',
  SCALE_MISMATCH: 'scale',
})

export function emptySupplierForm() {
  const form = {}
  for (const f of [...ACCOUNT_FIELDS, ...PROFILE_FIELDS]) form[f] = ''
  form.employees = null
  return form
}

/** 已有的供应商资料 → 表单（企业资料页修改用）。 */
export function supplierToForm(s) {
  const d = (s && s.declaration) || {}
  const c = (s && s.contact) || {}
  return {
    ...emptySupplierForm(),
    uscc: s?.uscc || '',
    name: s?.name || '',
    legal_representative: s?.legal_representative || '',
    registered_address: s?.registered_address || '',
    home_district: s?.home_district || '',
    ownership: s?.ownership || '',
    industry: d.industry || '',
    employees: Number.isInteger(d.employees) ? d.employees : null,
    revenue_wan: Number.isSafeInteger(d.revenue_fen) ? fenToWanInput(d.revenue_fen) : '',
    assets_wan: Number.isSafeInteger(d.assets_fen) ? fenToWanInput(d.assets_fen) : '',
    scale: s?.scale || '',
    contact_name: c.name || '',
    contact_phone: c.phone || '',
    contact_email: c.email || '',
  }
}

function tryWanToFen(text) {
  try {
    return text === '' || text === null || text === undefined ? null : wanToFen(text)
  } catch {
    return null
  }
}

/** 申报数据（整数）：员工数、营业收入与资产总额（分）；无法解析的为 null。 */
export function declarationValues(form) {
  return {
    employees: Number.isInteger(form.employees) ? form.employees : null,
    revenue_fen: tryWanToFen(form.revenue_wan),
    assets_fen: tryWanToFen(form.assets_wan),
  }
}

/** 表单 → PUT /suppliers/me 的请求体（注册时另加 username、password、uscc）。
 * @returns {import('../../types/schema').components['schemas']['ProfileBody']} checked against the API's description at build
 */
export function profileBody(form) {
  const v = declarationValues(form)
  return {
    name: form.name.trim(),
    legal_representative: form.legal_representative.trim(),
    registered_address: form.registered_address.trim(),
    home_district: form.home_district,
    ownership: form.ownership,
    scale: form.scale,
    declaration: {
      industry: form.industry,
      employees: v.employees,
      revenue_fen: v.revenue_fen,
      assets_fen: v.assets_fen,
    },
    contact: {
      name: form.contact_name.trim(),
      phone: form.contact_phone.trim(),
      email: form.contact_email.trim(),
    },
  }
}

/** 表单 → POST /suppliers/register 的请求体。
 * @returns {import('../../types/schema').components['schemas']['RegisterBody']} checked against the API's description at build
 */
export function registerBody(form) {
  return {
    username: form.username.trim(),
    password: form.password,
    uscc: form.uscc.trim().toUpperCase(),
    ...profileBody(form),
  }
}

function check(fn, message) {
  return { validator: (_r, v, cb) => (fn(v) ? cb() : cb(new Error(message))), trigger: 'blur' }
}

function wanRule(label) {
  return {
    validator: (_r, v, cb) => {
      try {
        const fen = wanToFen(v)
        if (fen < 0) cb(new Error(`${label}不能为负数`))
        else cb()
      } catch (err) {
        cb(new Error(String(v).trim() === '' ? `请输入${label}` : err.message))
      }
    },
    trigger: 'blur',
  }
}

/** 企业信息、申报数据、联系人的校验规则。 */
export function profileRules() {
  return {
    uscc: [
      { required: true, message: '请输入统一社会信用代码', trigger: 'blur' },
      check(isValidUscc, '统一社会信用代码格式或校验位不正确'),
    ],
    name: [{ required: true, message: '请输入企业名称', trigger: 'blur' }],
    legal_representative: [{ required: true, message: '请输入法定代表人', trigger: 'blur' }],
    registered_address: [{ required: true, message: '请输入注册地址', trigger: 'blur' }],
    home_district: [{ required: true, message: '请选择所在区划', trigger: 'change' }],
    ownership: [{ required: true, message: '请选择企业性质', trigger: 'change' }],
    industry: [{ required: true, message: '请选择所属行业', trigger: 'change' }],
    employees: [
      { required: true, type: 'integer', message: '请输入从业人员数', trigger: 'blur' },
    ],
    revenue_wan: [{ required: true, message: '请输入营业收入', trigger: 'blur' }, wanRule('营业收入')],
    assets_wan: [{ required: true, message: '请输入资产总额', trigger: 'blur' }, wanRule('资产总额')],
    scale: [{ required: true, message: '请选择企业规模', trigger: 'change' }],
    contact_name: [{ required: true, message: '请输入联系人', trigger: 'blur' }],
    contact_phone: [
      { required: true, message: '请输入手机号', trigger: 'blur' },
      check(isValidMobile, '请输入 11 位手机号'),
    ],
    contact_email: [
      { required: true, message: '请输入电子邮箱', trigger: 'blur' },
      check(isValidEmail, '电子邮箱格式不正确'),
    ],
  }
}

/** 注册表单的全部规则（账号 + 企业信息）。getPassword 用于“确认密码”。 */
export function registerRules(getPassword) {
  return {
    username: [
      { required: true, message: '请输入用户名', trigger: 'blur' },
      check(isValidUsername, '用户名为 4–32 位字母、数字、下划线、点或短横线，以字母开头'),
    ],
    password: [
      { required: true, message: '请输入密码', trigger: 'blur' },
      check(isStrongPassword, `密码须${PASSWORD_RULE_TEXT}`),
    ],
    password2: [
      { required: true, message: '请再次输入密码', trigger: 'blur' },
      check((v) => v === getPassword(), '两次输入的密码不一致'),
    ],
    ...profileRules(),
  }
}
