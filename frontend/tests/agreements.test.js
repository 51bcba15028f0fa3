import { describe, expect, it } from 'vitest'
import { selectableProducts, stage2Of } from '../src/utils/agreements.js'

const agreement = {
  rules: { methods: ['rotation', 'direct_select'] },
  stage2: {
    direct_select: { label: '直接选定', open: true, code: '', reason: '' },
    secondary_bidding: { label: '二次竞价', open: false, code: 'STAGE2_METHOD_NOT_ALLOWED', reason: '不含二次竞价' },
    rotation: { label: '顺序轮候', open: false, code: 'TOO_FEW_SUPPLIERS', reason: '少于 3 家' },
  },
  members: [
    { uscc: 'A', name: '甲', status: 'active', products: [{ code: 'P1', cap_fen: 100 }, { code: 'P2', cap_fen: 200 }] },
    { uscc: 'B', name: '乙', status: 'suspended', products: [{ code: 'P3', cap_fen: 300 }] },
  ],
}

describe('framework agreements', () => {
  it('lists the agreement\'s stage-2 methods in a fixed order with why each is closed', () => {
    expect(stage2Of(agreement).map((m) => [m.code, m.open, m.reason])).toEqual([
      ['direct_select', true, ''],
      ['rotation', false, '少于 3 家'],
    ])
    expect(stage2Of(null)).toEqual([])
  })

  it('offers only the active shortlisted suppliers\' products for direct selection', () => {
    expect(selectableProducts(agreement).map((p) => [p.supplier_name, p.code])).toEqual([
      ['甲', 'P1'],
      ['甲', 'P2'],
    ])
  })
})

describe('entering an agreement', () => {
  it('turns the form into the agreement body, caps in fen', async () => {
    const { agreementBody } = await import('../src/utils/agreements.js')
    const body = agreementBody({
      number: 'sdkj-2026-fz-003',
      name: '复印纸框架协议',
      agency: '山东省政府采购中心',
      codes: 'A05040101, a02021104',
      valid_from: '2026-12-01',
      valid_to: '2027-11-30',
      methods: ['direct_select'],
      min_suppliers: 3,
      document_url: '',
      members: [
        { uscc: '91371500ma3c4d5e6r', name: '甲', product: '复印纸', brand_model: '得力 ZL7055', catalog_code: '', unit: '箱', cap: '120.5' },
        { uscc: '', name: '', product: '', brand_model: '', catalog_code: '', unit: '', cap: '' },
      ],
    })
    expect(body.number).toBe('SDKJ-2026-FZ-003')
    expect(body.catalog_codes).toEqual(['A05040101', 'A02021104'])
    expect(body.members).toHaveLength(1)
    expect(body.members[0].products[0]).toMatchObject({ brand: '得力', model: 'ZL7055', catalog_code: 'A05040101', cap_fen: 12050 })
    expect(() =>
      agreementBody({ ...body, codes: 'A05040101', members: [{ uscc: 'X', name: '乙', product: 'p', brand_model: '', unit: '箱', cap: '1.234' }] }),
    ).toThrow(/第 1 家入围供应商的入围限价/)
  })
})
