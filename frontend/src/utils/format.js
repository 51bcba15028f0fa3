// 金额、日期与代码表的格式化工具。
// 金额在 API 中一律为整数“分”；这里只做整数运算，避免浮点误差。

export const FEN_PER_WAN = 1000000 // 1 万元 = 10,000 元 = 1,000,000 分
const WAN_DECIMALS = 6 // 万元最多 6 位小数，恰好精确到分
const YI_DECIMALS = 10 // 亿元：10 位小数精确到分

function assertFen(fen) {
  const n = typeof fen === 'string' && fen.trim() !== '' ? Number(fen) : fen
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new TypeError(`金额必须是整数分：${fen}`)
  }
  return n
}

function groupThousands(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

// 把非负整数 n 以 unit 为单位、保留 decimals 位小数（四舍五入，半数远离零）。
function scaleDown(abs, unitExp, decimals) {
  const unit = 10 ** unitExp
  const step = 10 ** (unitExp - decimals) // 最小显示单位对应的分数
  const q = Math.floor((abs + Math.floor(step / 2)) / step) // 以最小显示单位计
  const scale = 10 ** decimals
  const intPart = Math.floor(q / scale)
  const frac = String(q % scale).padStart(decimals, '0')
  return { intPart: String(intPart), frac, unit }
}

/**
 * 分 → 万元字符串，默认两位小数：50000000 → "50.00"。
 * @param {number} fen 整数分
 * @param {{digits?: number, grouping?: boolean}} [opts] digits 小数位（0–6），grouping 千分位
 */
export function fenToWan(fen, opts = {}) {
  const { digits = 2, grouping = false } = opts
  const n = assertFen(fen)
  const { intPart, frac } = scaleDown(Math.abs(n), WAN_DECIMALS, digits)
  const sign = n < 0 && (intPart !== '0' || /[1-9]/.test(frac)) ? '-' : ''
  const head = grouping ? groupThousands(intPart) : intPart
  return sign + head + (digits > 0 ? '.' + frac : '')
}

/** 分 → 亿元字符串，默认两位小数（报表口径）：70_600_000_000 → "7.06"。 */
export function fenToYi(fen, digits = 2) {
  const n = assertFen(fen)
  const { intPart, frac } = scaleDown(Math.abs(n), YI_DECIMALS, digits)
  const sign = n < 0 && (intPart !== '0' || /[1-9]/.test(frac)) ? '-' : ''
  return sign + groupThousands(intPart) + (digits > 0 ? '.' + frac : '')
}

/** 分 → 元字符串，千分位、两位小数：123456 → "1,234.56"。 */
export function fenToYuan(fen) {
  const n = assertFen(fen)
  const abs = Math.abs(n)
  const yuan = groupThousands(String(Math.floor(abs / 100)))
  const cents = String(abs % 100).padStart(2, '0')
  return (n < 0 ? '-' : '') + yuan + '.' + cents
}

/** 表格里的金额（元）：整数分 → "1,234.56"，缺失或非整数 → "—"。 */
export function formatYuan(fen) {
  return Number.isSafeInteger(fen) ? fenToYuan(fen) : '—'
}

// 把数字的科学计数法字符串（如 "1e-7"、"1.5e+21"）展开成普通小数字符串。
function expandExponent(text) {
  const m = /^([+-]?)(\d+)(?:\.(\d*))?e([+-]?\d+)$/i.exec(text)
  if (!m) return text
  const [, sign, intDigits, fracDigits = '', expText] = m
  const exp = Number(expText)
  let digits = intDigits + fracDigits
  let point = intDigits.length + exp
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits
    point = 1
  } else if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length)
  }
  const out = digits.slice(0, point) + (point < digits.length ? '.' + digits.slice(point) : '')
  return sign + out
}

// 把十进制字符串（或数字）逐位解析为以 10^-decimals 为单位的整数，不经浮点运算。
function parseScaled(text, decimals, tooPrecise) {
  if (text === null || text === undefined) throw new Error('请输入金额')
  let s = typeof text === 'number' ? expandExponent(String(text)) : String(text)
  s = s.replace(/[,\s，]/g, '')
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s)
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    throw new Error(`金额格式不正确：${text}`)
  }
  const [, sign, intDigits, fracRaw = ''] = m
  const frac = fracRaw.replace(/0+$/, '')
  if (frac.length > decimals) throw new Error(`${tooPrecise}：${text}`)
  const whole = (intDigits || '0') + frac.padEnd(decimals, '0')
  const fen = Number(whole.replace(/^0+(?=\d)/, ''))
  if (!Number.isSafeInteger(fen)) throw new Error(`金额过大：${text}`)
  return sign === '-' && fen !== 0 ? -fen : fen
}

/**
 * 万元（十进制字符串或数字）→ 整数分，逐位解析，不经浮点运算：
 * "50" → 50000000，"0.01" → 10000，"0.000001" → 1。
 * 超过 6 位小数（不足 1 分）或格式不正确时抛出 Error。
 */
export function wanToFen(text) {
  return parseScaled(text, WAN_DECIMALS, '金额最多精确到分（万元后 6 位小数）')
}

/**
 * 元（十进制字符串或数字）→ 整数分，逐位解析，不经浮点运算：
 * "18" → 1800，"18.5" → 1850，"0.01" → 1，"1,234.56" → 123456。
 * 超过 2 位小数或格式不正确时抛出 Error。
 */
export function yuanToFen(text) {
  return parseScaled(text, 2, '金额最多精确到分（两位小数）')
}

/** 分 → 元的输入框文本（无千分位）：1850 → "18.50"。 */
export function fenToYuanInput(fen) {
  if (fen === null || fen === undefined || fen === '') return ''
  return fenToYuan(fen).replace(/,/g, '')
}

/** 分 → 万元的输入框文本（去掉末尾多余的 0）：800000000 → "800"，12345 → "0.012345"。 */
export function fenToWanInput(fen) {
  if (fen === null || fen === undefined || fen === '') return ''
  return fenToWan(fen, { digits: WAN_DECIMALS }).replace(/\.?0+$/, '')
}

/**
 * 降幅（相对参考价），单位基点，整数运算、四舍五入：价格 1800、参考价 2200 → 1818（18.18%）。
 * 参考价无效时返回 null；价格高于参考价时为负数。
 */
export function priceDropBp(priceFen, referenceFen) {
  if (!Number.isSafeInteger(priceFen) || !Number.isSafeInteger(referenceFen) || referenceFen <= 0) return null
  const diff = BigInt(referenceFen - priceFen) * 10000n
  const ref = BigInt(referenceFen)
  const neg = diff < 0n
  const abs = neg ? -diff : diff
  const q = (abs * 2n + ref) / (2n * ref)
  return Number(neg ? -q : q)
}

/** 文件大小：123456 → "120.6 KB"。 */
export function formatFileSize(bytes) {
  const n = Number(bytes)
  if (!Number.isFinite(n) || n < 0) return ''
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** 供应商评价：{count: 12, average: 4.8} → "★ 4.8（12 条评价）"；无评价 → "暂无评价"。 */
export function formatRating(rating) {
  if (!rating || !rating.count || rating.average === null || rating.average === undefined) return '暂无评价'
  const avg = Number(rating.average)
  return `★ ${Number.isFinite(avg) ? avg.toFixed(1) : rating.average}（${rating.count} 条评价）`
}

// 中国自 1991 年起不实行夏令时，Asia/Shanghai 恒为 UTC+8；固定偏移与机器时区无关。
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000

function shanghaiParts(iso) {
  if (iso === null || iso === undefined || iso === '') return null
  const d = iso instanceof Date ? iso : new Date(iso)
  const t = d.getTime()
  if (Number.isNaN(t)) return null
  const s = new Date(t + SHANGHAI_OFFSET_MS)
  const p2 = (v) => String(v).padStart(2, '0')
  return {
    date: `${s.getUTCFullYear()}-${p2(s.getUTCMonth() + 1)}-${p2(s.getUTCDate())}`,
    time: `${p2(s.getUTCHours())}:${p2(s.getUTCMinutes())}:${p2(s.getUTCSeconds())}`,
  }
}

/** ISO 时间 → 北京时间日期 "2024-01-15"；空值返回 ""，无法解析时原样返回。 */
export function formatDate(iso) {
  const p = shanghaiParts(iso)
  if (!p) return iso ? String(iso) : ''
  return p.date
}

/**
 * ISO 时间 → 北京时间 "2024-01-15 10:30:00"（seconds: false 时为 "2024-01-15 10:30"）；
 * 空值返回 ""，无法解析时原样返回。
 */
export function formatDateTime(iso, { seconds = true } = {}) {
  const p = shanghaiParts(iso)
  if (!p) return iso ? String(iso) : ''
  return `${p.date} ${seconds ? p.time : p.time.slice(0, 5)}`
}

/** 北京时间的今天，"2024-01-15"。 */
export function todayInShanghai(now = new Date()) {
  return formatDate(now)
}

/** 日期选择器给出的 Date（所选日期的本地 0 点）→ "2024-01-15"，取其本地年月日。 */
export function pickerDate(date) {
  const p2 = (v) => String(v).padStart(2, '0')
  return `${date.getFullYear()}-${p2(date.getMonth() + 1)}-${p2(date.getDate())}`
}

/** 日期选择器的 disabled-date：早于北京时间今天的日期不可选（今天可选）。 */
export function beforeToday(date) {
  return pickerDate(date) < todayInShanghai()
}

export const ROLE_LABELS = Object.freeze({
  buyer: '采购人',
  supplier: '供应商',
  center_admin: '采购中心',
  finance: '财政局',
  province_admin: '省级管理员',
})

export const METHOD_CODES = Object.freeze([
  'direct',
  'bidding',
  'reverse_auction',
  'batch',
  'framework_direct',
  'framework_bidding',
  'framework_rotation',
  'designated',
])

export const METHOD_LABELS = Object.freeze({
  direct: '直购',
  bidding: '竞价',
  reverse_auction: '反拍',
  batch: '批量采购（优惠率）',
  framework_direct: '框架协议·直接选定',
  framework_bidding: '框架协议·二次竞价',
  framework_rotation: '框架协议·顺序轮候',
  designated: '定点采购',
})

export const DISTRICT_KIND_LABELS = Object.freeze({
  city_level: '市本级',
  county: '区县',
  functional_zone: '功能区',
})

export const DISTRICT_KIND_TAG = Object.freeze({
  city_level: 'primary',
  county: 'info',
  functional_zone: 'warning',
})

export const CODE_SOURCE_LABELS = Object.freeze({
  'MCA-2024': '民政部区划代码',
  'NBS-2023-statistical-only': '统计用区划代码',
  'tenant-local': '本站点自编码',
})

export const ORG_KINDS = Object.freeze(['机关', '事业单位', '团体组织'])

export const CHANGE_STATUS_LABELS = Object.freeze({
  pending: '待生效',
  applied: '已生效',
  cancelled: '已撤销',
})

export const CHANGE_STATUS_TAG = Object.freeze({
  pending: 'warning',
  applied: 'success',
  cancelled: 'info',
})

export const CHANGE_KIND_LABELS = Object.freeze({
  limits: '采购限额',
  methods: '采购方式',
  bidding: '竞价与反拍规则',
})

export const BIDDING_RULE_LABELS = Object.freeze({
  bidding_min_suppliers: '竞价最少响应供应商',
  bidding_response_hours: '竞价默认响应时长（小时）',
  winner_confirm_working_days: '成交确认期限（工作日）',
  bidding_min_response_minutes: '竞价最短响应时间（分钟）',
  bidding_max_response_hours: '竞价最长响应时间（小时）',
  bidding_draw_min: '随机抽取最少家数',
  direct_after_failure: '流标后允许直购',
  sme_deduction_bp: '小微企业价格扣除（基点）',
  auction_minutes: '反拍时长（分钟）',
  auction_extension_window_minutes: '反拍延时触发窗口（分钟）',
  auction_extension_minutes: '反拍每次延时（分钟）',
  auction_min_step_bp: '最小降价幅度（基点）',
  auction_max_step_bp: '最大降价幅度（基点）',
  framework_end_margin_days: '框架协议到期前停止受理（天）',
})

export const LIMIT_LABELS = Object.freeze({
  per_order_cap_fen: '单笔订单限额',
  per_plan_cap_fen: '单个采购计划限额',
  annual_category_cap_fen: '单品目年度累计限额',
})


// 代码 → 中文标签：实现在 labels.js，这里一并导出，供只引 format.js 的页面使用。
export { labelOf } from './labels.js'

/** 基点 → 百分比字符串：50 → "0.50%"。 */
export function bpToPercent(bp) {
  const n = Number(bp)
  if (!Number.isInteger(n)) return String(bp)
  const abs = Math.abs(n)
  return `${n < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`
}
