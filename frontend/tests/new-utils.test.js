import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  fenToWanInput,
  fenToYuan,
  fenToYuanInput,
  formatFileSize,
  formatRating,
  priceDropBp,
  yuanToFen,
} from '../src/utils/format.js'
import {
  CERTIFICATE_KIND_LABELS,
  DOCUMENT_KIND_LABELS,
  FUND_SOURCE_CODES,
  FUND_SOURCE_LABELS,
  INDUSTRY_LABELS,
  LISTING_STATUS_LABELS,
  OWNERSHIP_LABELS,
  PLAN_METHOD_LABELS,
  PLAN_SOURCE_LABELS,
  PLAN_STATUS_LABELS,
  SCALE_LABELS,
  SUPPLIER_STATUS_LABELS,
  SUPPLIER_STATUS_TAG,
  tagType,
} from '../src/utils/labels.js'
import { isStrongPassword, isValidEmail, isValidMobile, isValidUsername } from '../src/utils/validators.js'
import { fieldHead, mapFieldErrors } from '../src/utils/fields.js'
import { hasThresholds, impliedScale } from '../src/utils/scale.js'
import { differs, lowestPriceIndexes, parseIds, specNameUnion, specRows } from '../src/utils/compare.js'
import {
  categoryOptions,
  certificatesProblem,
  emptyListingForm,
  listingBody,
  listingToForm,
  requiredSpecsProblem,
  specsProblem,
  withRequiredSpecs,
} from '../src/utils/listingForm.js'
import { SUPPLIER_FIELD_ALIASES, emptySupplierForm, profileBody, registerBody, supplierToForm } from '../src/utils/supplierForm.js'
import { limitExceededLines, planBody } from '../src/utils/planForm.js'
import { buildCategoryTree } from '../src/utils/tree.js'
import { checkDocumentFile, documentContentType, postToS3, uploadDocument } from '../src/api/suppliers.js'
import { COMPARE_MAX, addToCompare, clearCompare, compare, compareItemsFor, removeFromCompare, restoreCompare } from '../src/stores/compare.js'
import { clearSession, saveLogin } from '../src/stores/session.js'
import { CONFIG, CONSTRUCTION, OTHER_TEXT_ONLY, WHOLESALE } from './fixtures.js'
import { BUYER, jsonResponse } from './helpers.js'

const WAN = 1000000

describe('yuanToFen', () => {
  it('parses up to two decimals exactly', () => {
    expect(yuanToFen('18')).toBe(1800)
    expect(yuanToFen('18.5')).toBe(1850)
    expect(yuanToFen('16.8')).toBe(1680)
    expect(yuanToFen('0.01')).toBe(1)
    expect(yuanToFen('4.35')).toBe(435) // 4.35 * 100 = 434.99999999999994 in floats
    expect(yuanToFen('1.15')).toBe(115) // 1.15 * 100 = 114.99999999999999
    expect(yuanToFen(' 1,234.56 ')).toBe(123456)
    expect(yuanToFen('.5')).toBe(50)
    expect(yuanToFen('45800.50')).toBe(4580050)
    expect(yuanToFen('2.100')).toBe(210)
    expect(yuanToFen(19.9)).toBe(1990)
  })

  it('rejects sub-fen precision and garbage', () => {
    expect(() => yuanToFen('18.505')).toThrow(/两位小数/)
    expect(() => yuanToFen('')).toThrow()
    expect(() => yuanToFen('十八')).toThrow()
    expect(() => yuanToFen('1e3')).toThrow()
    expect(() => yuanToFen('99999999999999999')).toThrow(/过大/)
  })

  it('round-trips with the input formatters', () => {
    for (const fen of [0, 1, 99, 1680, 123456, 4580050]) {
      expect(yuanToFen(fenToYuanInput(fen))).toBe(fen)
      expect(yuanToFen(fenToYuan(fen))).toBe(fen)
    }
    expect(fenToYuanInput(123456)).toBe('1234.56')
    expect(fenToYuanInput(null)).toBe('')
    expect(fenToWanInput(800000000)).toBe('800')
    expect(fenToWanInput(300500000)).toBe('300.5')
    expect(fenToWanInput(12345)).toBe('0.012345')
    expect(fenToWanInput(0)).toBe('0')
  })
})

describe('priceDropBp and small formatters', () => {
  it('computes the drop against the reference price in basis points, rounding half up', () => {
    expect(priceDropBp(1800, 2200)).toBe(1818) // 18.1818…%
    expect(priceDropBp(1680, 1990)).toBe(1558)
    expect(priceDropBp(1500, 1800)).toBe(1667)
    expect(priceDropBp(2200, 2200)).toBe(0)
    expect(priceDropBp(2300, 2000)).toBe(-1500)
    expect(priceDropBp(1, 0)).toBeNull()
    expect(priceDropBp(null, 100)).toBeNull()
  })

  it('formats sizes and ratings', () => {
    expect(formatFileSize(500)).toBe('500 B')
    expect(formatFileSize(123456)).toBe('120.6 KB')
    expect(formatFileSize(10 * 1024 * 1024)).toBe('10.0 MB')
    expect(formatRating({ count: 12, average: 4.8 })).toBe('★ 4.8（12 条评价）')
    expect(formatRating({ count: 0, average: null })).toBe('暂无评价')
    expect(formatRating(undefined)).toBe('暂无评价')
  })
})

describe('label maps from docs/api.md', () => {
  it('covers every enumeration with Chinese labels', () => {
    expect(Object.keys(SUPPLIER_STATUS_LABELS)).toEqual(['pending', 'active', 'rejected', 'suspended', 'expelled'])
    expect(SUPPLIER_STATUS_LABELS.active).toBe('已入驻')
    expect(SCALE_LABELS).toEqual({ micro: '微型', small: '小型', medium: '中型', large: '大型' })
    expect(OWNERSHIP_LABELS.hmt).toBe('港澳台资')
    expect(Object.keys(INDUSTRY_LABELS)).toHaveLength(16)
    expect(INDUSTRY_LABELS.software_it).toBe('软件和信息技术服务业')
    expect(DOCUMENT_KIND_LABELS.business_license).toBe('营业执照')
    expect(LISTING_STATUS_LABELS.delisted).toBe('已下架（采购中心）')
    expect(CERTIFICATE_KIND_LABELS).toEqual({ energy_saving: '节能', environmental: '环保' })
    expect(PLAN_SOURCE_LABELS).toEqual({ pushed: '推送', self_built: '自建' })
    expect(PLAN_STATUS_LABELS.pending_acceptance).toBe('待接收')
    expect(PLAN_METHOD_LABELS.online_supermarket).toBe('网上超市')
    expect(FUND_SOURCE_CODES.map((c) => FUND_SOURCE_LABELS[c])).toEqual([
      '预算内一般预算',
      '预算内政府性基金',
      '预算内国有资本运营',
      '财政专户资金',
      '自筹资金',
    ])
    for (const map of [SUPPLIER_STATUS_LABELS, INDUSTRY_LABELS, DOCUMENT_KIND_LABELS, LISTING_STATUS_LABELS]) {
      for (const v of Object.values(map)) expect(v).toMatch(/[\u4e00-\u9fa5]/)
    }
    expect(tagType(SUPPLIER_STATUS_TAG, 'active')).toBe('success')
    expect(tagType(SUPPLIER_STATUS_TAG, 'toString')).toBe('info')
  })
})

describe('new validators', () => {
  it('checks passwords, mobiles, e-mails and usernames', () => {
    expect(isStrongPassword('Gongying2026')).toBe(true)
    expect(isStrongPassword('gongying2026')).toBe(false) // 无大写
    expect(isStrongPassword('GONGYING2026')).toBe(false) // 无小写
    expect(isStrongPassword('Gongyingxx')).toBe(false) // 无数字
    expect(isStrongPassword('Gong2026a')).toBe(false) // 9 位
    expect(isValidMobile('13906358888')).toBe(true)
    expect(isValidMobile('0635-8888888')).toBe(false)
    expect(isValidEmail('liuyang@example.com')).toBe(true)
    expect(isValidEmail('liuyang@example')).toBe(false)
    expect(isValidUsername('lc_sup_new')).toBe(true)
    expect(isValidUsername('1abc')).toBe(false)
    expect(isValidUsername('ab')).toBe(false)
  })
})

describe('mapFieldErrors', () => {
  it('maps nested API paths onto form items', () => {
    expect(fieldHead('certificates[1].expires_on')).toBe('certificates')
    expect(fieldHead('specs.0.name')).toBe('specs')
    const out = mapFieldErrors(
      {
        'declaration.revenue_fen': '须大于 0',
        'contact.phone': '手机号格式不正确',
        'certificates[0].expires_on': '证书已过期',
        uscc: '校验位错误',
        mystery: '未知字段',
      },
      { ...SUPPLIER_FIELD_ALIASES, certificates: 'certificates' },
      ['revenue_wan', 'contact_phone', 'certificates', 'uscc'],
    )
    expect(out).toEqual({
      revenue_wan: '须大于 0',
      contact_phone: '手机号格式不正确',
      certificates: '证书已过期',
      uscc: '校验位错误',
      '': '未知字段',
    })
  })
})

describe('impliedScale', () => {
  const v = (employees, revenueWan, assetsWan = 0) => ({
    employees,
    revenue_fen: revenueWan * WAN,
    assets_fen: assetsWan * WAN,
  })

  it('follows the thresholds the industries endpoint returns', () => {
    expect(impliedScale(WHOLESALE, v(30, 800))).toBe('micro') // 营业收入不足 1000 万元
    expect(impliedScale(WHOLESALE, v(30, 1200))).toBe('small')
    expect(impliedScale(WHOLESALE, v(4, 1200))).toBe('micro')
    expect(impliedScale(WHOLESALE, v(20, 5000))).toBe('medium')
    expect(impliedScale(WHOLESALE, v(199, 50000))).toBe('medium') // 人数在中小微范围内
    expect(impliedScale(WHOLESALE, v(200, 40000))).toBe('large')
    expect(impliedScale(CONSTRUCTION, v(1, 6000, 5000))).toBe('medium')
    expect(impliedScale(CONSTRUCTION, v(1, 6000, 4999))).toBe('small')
    expect(impliedScale(CONSTRUCTION, v(1, 90000, 90000))).toBe('large')
  })

  it('does not guess without structured thresholds or complete data', () => {
    expect(hasThresholds(OTHER_TEXT_ONLY)).toBe(false)
    expect(impliedScale(OTHER_TEXT_ONLY, v(30, 1200))).toBeNull()
    expect(impliedScale(WHOLESALE, { employees: 30, revenue_fen: null, assets_fen: 0 })).toBeNull()
    expect(impliedScale(null, v(1, 1))).toBeNull()
  })
})

describe('compare matrix', () => {
  const a = { id: 'a', price_fen: 1800, specs: [{ name: '笔芯', value: '0.5mm' }, { name: '颜色', value: '黑色' }] }
  const b = { id: 'b', price_fen: 1500, specs: [{ name: '颜色', value: '黑色' }, { name: '按动', value: '是' }] }
  const c = { id: 'c', price_fen: 1500, specs: [{ name: '笔芯', value: '0.7mm' }] }

  it('builds the union of spec names, server order first', () => {
    expect(specNameUnion([a, b, c], ['颜色'])).toEqual(['颜色', '笔芯', '按动'])
    const rows = specRows([a, b], ['笔芯', '颜色', '按动'])
    expect(rows).toEqual([
      { name: '笔芯', values: ['0.5mm', ''], differs: true },
      { name: '颜色', values: ['黑色', '黑色'], differs: false },
      { name: '按动', values: ['', '是'], differs: true },
    ])
    expect(differs(['x'])).toBe(false)
  })

  it('finds the lowest prices (ties included) and parses ids', () => {
    expect(lowestPriceIndexes([a, b, c])).toEqual([1, 2])
    expect(lowestPriceIndexes([])).toEqual([])
    expect(parseIds('a, b,,a,c,d,e')).toEqual(['a', 'b', 'c', 'd'])
    expect(parseIds(undefined)).toEqual([])
  })
})

describe('listing form', () => {
  it('turns the form into the POST body with exact fen', () => {
    const form = {
      ...emptyListingForm(),
      category_id: 'LC-0101',
      name: ' 得力 S01 中性笔 ',
      brand: '得力',
      model: 'S01',
      specs: [{ name: '笔芯', value: '0.5mm' }, { name: '', value: '' }],
      price: '16.8',
      reference_price: '19.90',
      reference_source: '京东自营 2026-11-20',
      stock: 300,
      delivery_districts: ['371500'],
      certificates: [{ kind: 'environmental', number: ' CEC1 ', expires_on: '2027-06-30' }],
    }
    expect(listingBody(form)).toEqual({
      category_id: 'LC-0101',
      name: '得力 S01 中性笔',
      brand: '得力',
      model: 'S01',
      specs: [{ name: '笔芯', value: '0.5mm' }],
      price_fen: 1680,
      reference_price_fen: 1990,
      reference_source: '京东自营 2026-11-20',
      stock: 300,
      delivery_districts: ['371500'],
      images: [],
      certificates: [{ kind: 'environmental', number: 'CEC1', expires_on: '2027-06-30' }],
      unit: '件',
      lead_days: 3,
      warranty: '',
      after_sales: '',
      description: '',
    })
    const back = listingToForm({ ...listingBody(form), id: 'x' })
    expect(back.price).toBe('16.80')
    expect(back.reference_price).toBe('19.90')
  })

  it('adds the parameters a category requires and names the missing ones', () => {
    const params = [{ name: '处理器', hint: '' }, { name: '内存', hint: '' }]
    const rows = withRequiredSpecs([{ name: '颜色', value: '黑色' }, { name: '', value: '' }], params)
    expect(rows).toEqual([{ name: '颜色', value: '黑色' }, { name: '处理器', value: '' }, { name: '内存', value: '' }])
    rows[1].value = 'i5'
    expect(requiredSpecsProblem(rows, params, '台式计算机')).toBe('台式计算机须填写规格参数：内存')
    expect(requiredSpecsProblem(rows, [], '签字笔')).toBe('')
  })

  it('validates spec and certificate rows', () => {
    expect(specsProblem([{ name: '', value: '' }])).toBe('')
    expect(specsProblem([{ name: '', value: '黑色' }])).toBe('参数名称不能为空')
    expect(specsProblem([{ name: '颜色', value: '' }])).toBe('请填写「颜色」的参数值')
    expect(specsProblem([{ name: '颜色', value: '黑' }, { name: '颜色', value: '蓝' }])).toBe('参数「颜色」重复')
    expect(certificatesProblem([{ kind: 'energy_saving', number: 'N1', expires_on: '2026-11-21' }], '2026-11-22')).toBe(
      '证书 N1 已于 2026-11-21 过期',
    )
    expect(certificatesProblem([{ kind: 'energy_saving', number: 'N1', expires_on: '2026-11-22' }], '2026-11-22')).toBe('')
    expect(certificatesProblem([{ kind: '', number: 'N1', expires_on: '2027-01-01' }])).toBe('请选择证书类型')
  })

  it('lets the cascader pick leaf categories only', () => {
    const opts = categoryOptions(buildCategoryTree(CONFIG.categories))
    expect(opts.map((o) => o.label)).toEqual(['办公用品', '计算机'])
    expect(opts[0].children.map((o) => o.value)).toEqual(['LC-0101', 'LC-0107'])
    expect(opts[0].disabled).toBe(false)
    const lonelyGroup = categoryOptions([{ id: 'G', name: '空大类', is_leaf: false, children: [] }])
    expect(lonelyGroup[0].disabled).toBe(true)
  })
})

describe('supplier form', () => {
  it('builds the registration body with fen from 万元 text', () => {
    const form = {
      ...emptySupplierForm(),
      username: 'lc_sup_new',
      password: 'Gongying2026',
      password2: 'Gongying2026',
      uscc: '91371502ma3g2p8b5l',
      name: '聊城市东昌府区瑞丰办公设备有限公司',
      legal_representative: '刘洋',
      registered_address: '聊城市东昌府区东昌东路 66 号',
      home_district: '371502',
      ownership: 'private',
      industry: 'wholesale',
      employees: 30,
      revenue_wan: '1200',
      assets_wan: '300.5',
      scale: 'small',
      contact_name: '刘洋',
      contact_phone: '13906358888',
      contact_email: 'liuyang@example.com',
    }
    const body = registerBody(form)
    expect(body).toEqual({
      username: 'lc_sup_new',
      password: 'Gongying2026',
      uscc: '91371502MA3G2P8B5L',
      name: '聊城市东昌府区瑞丰办公设备有限公司',
      legal_representative: '刘洋',
      registered_address: '聊城市东昌府区东昌东路 66 号',
      home_district: '371502',
      ownership: 'private',
      scale: 'small',
      declaration: { industry: 'wholesale', employees: 30, revenue_fen: 1200000000, assets_fen: 300500000 },
      contact: { name: '刘洋', phone: '13906358888', email: 'liuyang@example.com' },
    })
    const again = supplierToForm({ ...body, status: 'rejected' })
    expect(profileBody(again)).toEqual(profileBody(form))
    expect(again.revenue_wan).toBe('1200')
  })
})

describe('plan form', () => {
  it('builds the self-built plan body and explains LIMIT_EXCEEDED', () => {
    expect(
      planBody({
        name: ' 办公家具采购 ',
        business_year: 2026,
        business_month: 11,
        purchase_method: 'online_supermarket',
        budget_category: 'A05010000',
        amount: '45800.50',
        planned_date: '2026-12-10',
        note: '',
      }),
    ).toEqual({
      name: '办公家具采购',
      business_year: 2026,
      business_month: 11,
      purchase_method: 'online_supermarket',
      budget_category: 'A05010000',
      amount_fen: 4580050,
      planned_date: '2026-12-10',
      note: '',
    })
    expect(
      limitExceededLines({
        limit: 'annual_category',
        limit_label: '年度品目采购限额',
        limit_fen: 200000000,
        used_fen: 180000000,
        left_fen: 20000000,
      }),
    ).toEqual(['限额类型：年度品目采购限额', '限额：200.00 万元', '已使用：180.00 万元', '剩余可用：20.00 万元'])
    expect(limitExceededLines(null)).toEqual([])
    expect(limitExceededLines([{ field: 'x' }])).toEqual([])
  })
})

describe('document upload', () => {
  beforeEach(() => {
    window.APP_CONFIG = { apiBase: 'http://api.test' }
    localStorage.clear()
    clearSession()
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('accepts pdf, jpg and png up to 10 MB', () => {
    expect(documentContentType('营业执照.PDF')).toBe('application/pdf')
    expect(documentContentType('a.jpeg')).toBe('image/jpeg')
    expect(documentContentType('a.docx')).toBe('')
    expect(checkDocumentFile({ name: 'a.png', size: 10 * 1024 * 1024 })).toBe('')
    expect(checkDocumentFile({ name: 'a.png', size: 10 * 1024 * 1024 + 1 })).toBe('文件不能超过 10 MB')
    expect(checkDocumentFile({ name: 'a.txt', size: 1 })).toBe('仅支持 PDF、JPG、PNG 格式的文件')
    expect(checkDocumentFile(null)).toBe('请选择文件')
  })

  it('registers, posts fields then file to S3 without a token, and confirms', async () => {
    saveLogin({ token: 'tok-1', expires_in: 3600, user: { ...BUYER, role: 'supplier' } }, 'liaocheng')
    const calls = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url, init = {}) => {
        calls.push([url, init])
        if (url === 'http://api.test/suppliers/me/documents') {
          return jsonResponse(201, {
            doc_id: 'd1',
            upload: { url: 'https://bucket.s3.example.com/', fields: { key: 'k/d1', policy: 'p', 'x-amz-signature': 's' } },
          })
        }
        if (url === 'https://bucket.s3.example.com/') return { ok: true, status: 204, text: async () => '' }
        if (url === 'http://api.test/suppliers/me/documents/d1/confirm') return jsonResponse(200, { doc_id: 'd1' })
        return jsonResponse(404, {})
      }),
    )
    const file = new File(['%PDF-1.4'], '营业执照.pdf', { type: '' })
    await uploadDocument('business_license', file)
    expect(calls.map(([u, i]) => `${i.method} ${u}`)).toEqual([
      'POST http://api.test/suppliers/me/documents',
      'POST https://bucket.s3.example.com/',
      'POST http://api.test/suppliers/me/documents/d1/confirm',
    ])
    expect(JSON.parse(calls[0][1].body)).toEqual({
      kind: 'business_license',
      file_name: '营业执照.pdf',
      content_type: 'application/pdf',
      size: 8,
    })
    const s3 = calls[1][1]
    expect(s3.headers).toBeUndefined()
    expect([...s3.body.keys()]).toEqual(['key', 'policy', 'x-amz-signature', 'file'])
  })

  it('reports S3 failures in Chinese', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => ({ ok: false, status: 403, text: async () => '<Error/>' })))
    const err = await postToS3({ url: 'https://s3', fields: {} }, new File(['x'], 'a.pdf')).catch((e) => e)
    expect(err.code).toBe('UPLOAD_FAILED')
    expect(err.message).toBe('文件上传失败（HTTP 403）')
  })
})

describe('compare store', () => {
  beforeEach(() => {
    sessionStorage.clear()
    restoreCompare()
  })

  it('keeps at most four items per site and survives a reload', () => {
    compareItemsFor('liaocheng')
    for (let i = 1; i <= COMPARE_MAX; i += 1) expect(addToCompare('liaocheng', { id: `p${i}`, name: `商品${i}`, price_fen: i })).toBe('added')
    expect(addToCompare('liaocheng', { id: 'p5', name: '商品5', price_fen: 5 })).toBe('full')
    expect(addToCompare('liaocheng', { id: 'p1', name: '商品1', price_fen: 1 })).toBe('exists')
    removeFromCompare('p2')
    restoreCompare()
    expect(compare.items.map((i) => i.id)).toEqual(['p1', 'p3', 'p4'])
    compareItemsFor('weihai') // 换站点清空
    expect(compare.items).toEqual([])
    addToCompare('weihai', { id: 'w1', name: '威海商品', price_fen: 1 })
    clearCompare()
    expect(compare.items).toEqual([])
  })
})
