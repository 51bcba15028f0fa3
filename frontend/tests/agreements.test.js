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
