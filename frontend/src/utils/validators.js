// 表单校验：统一社会信用代码（GB 32100-2015）与联系电话。

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY' // 31 个字符，不含 I、O、S、V、Z
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/

/** 统一社会信用代码校验（含第 18 位校验码）。 */
export function isValidUscc(code) {
  const s = String(code || '').trim().toUpperCase()
  if (!USCC_SHAPE.test(s)) return false
  let sum = 0
  for (let i = 0; i < 17; i += 1) sum += USCC_CHARS.indexOf(s[i]) * USCC_WEIGHTS[i]
  const check = (31 - (sum % 31)) % 31
  return USCC_CHARS[check] === s[17]
}

/** 手机号（11 位）或座机（区号-号码）。 */
export function isValidPhone(phone) {
  const s = String(phone || '').trim()
  return /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/.test(s)
}

/** 手机号（11 位，1 开头）。 */
export function isValidMobile(phone) {
  return /^1[3-9]\d{9}$/.test(String(phone || '').trim())
}

/** 电子邮箱（宽松校验：name@domain.tld）。 */
export function isValidEmail(email) {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(email || '').trim())
}

export const PASSWORD_RULE_TEXT = '至少 10 位，含大小写字母和数字'

/** 密码强度：至少 10 位，含大写字母、小写字母和数字。 */
export function isStrongPassword(password) {
  const s = String(password || '')
  return s.length >= 10 && /[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s)
}

/** 用户名：4–32 位字母、数字、下划线、点或短横线，以字母开头。 */
export function isValidUsername(username) {
  return /^[A-Za-z][A-Za-z0-9_.-]{3,31}$/.test(String(username || '').trim())
}
