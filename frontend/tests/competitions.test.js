import { describe, expect, it } from 'vitest'
import { webcrypto } from 'node:crypto'
import {
  beijingToIso,
  canonical,
  categoriesForPlan,
  clockOffset,
  formatRemaining,
  highestAllowedUnit,
  isoToBeijing,
  launchBody,
  remainingMs,
  verifyRecord,
} from '../src/utils/competitions.js'
import { yuanToFen } from '../src/utils/format.js'

// Chained by the server's own domain.competitions.chain: the browser must reach the same digests.
const RECORD = [
  {
    "at": "2026-12-03T02:00:00.000Z",
    "action": "competition.launched",
    "kind": "竞价",
    "ceiling_fen": 2400000,
    "invitation": {
      "mode": "all",
      "seed": "",
      "pool": 3,
      "invited": 3
    },
    "seq": 1,
    "prev": "0000000000000000000000000000000000000000000000000000000000000000",
    "hash": "a7b5cb5cba16b40cd4e3f2efe66e18f1f5880e23b461ae03218eb4b6659587c7"
  },
  {
    "at": "2026-12-03T03:00:00.000Z",
    "action": "quote.submitted",
    "supplier": "供应商#1",
    "revision": 1,
    "commitment": "abababababababababababababababababababababababababababababababab",
    "unit_price_fen": 10400,
    "nonce": "n1",
    "small_micro": true,
    "extra": null,
    "seq": 2,
    "prev": "a7b5cb5cba16b40cd4e3f2efe66e18f1f5880e23b461ae03218eb4b6659587c7",
    "hash": "606e0482b70cb30e4d82834ac4719b758536409f2fcb4a2cd5cc15fb1abd285e"
  }
]

describe('competition helpers', () => {
  it('counts down on the server clock, not the browser one', () => {
    // The browser's clock is 90 s fast: the server says 10:00:00 when the browser says 10:01:30.
    const browserNow = Date.parse('2026-12-03T02:01:30.000Z')
    const offset = clockOffset('2026-12-03T02:00:00.000Z', browserNow)
    expect(offset).toBe(-90_000)
    expect(remainingMs('2026-12-03T02:05:00.000Z', offset, browserNow)).toBe(300_000)
    expect(formatRemaining(300_000)).toBe('00:05:00')
    expect(formatRemaining(2 * 86400_000 + 3723_000)).toBe('2 天 01:02:03')
    expect(remainingMs('2026-12-03T01:00:00.000Z', offset, browserNow)).toBe(0)
  })

  it('turns Beijing time into UTC and back', () => {
    expect(beijingToIso('2026-12-04', '10:30')).toBe('2026-12-04T02:30:00.000Z')
    expect(beijingToIso('2026-12-04', '')).toBeNull()
    expect(isoToBeijing('2026-12-03T17:30:00.000Z')).toEqual({ day: '2026-12-04', time: '01:30' })
  })

  it('offers only the plan’s 二级品目 leaves and builds the launch body in fen', () => {
    const categories = [
      { id: 'LC-01', parent_id: '', catalog_code: 'A05040000' },
      { id: 'LC-0107', parent_id: 'LC-01', catalog_code: 'A05040101' },
      { id: 'LC-0302', parent_id: 'LC-03', catalog_code: 'A02010105' },
    ]
    expect(categoriesForPlan(categories, { level2_code: 'A05040000' }).map((c) => c.id)).toEqual(['LC-0107'])
    const body = launchBody(
      { kind: 'reverse_auction', title: ' 复印纸 ', plan_no: 'P', category_id: 'LC-0107', spec: ' A4 ', listing_id: '', quantity: '200', unit: '箱',
        ceiling_yuan: '24000.50', day: '2026-12-04', time: '09:00', custom: true, draw: false, draw_size: 0, step_percent: 0.5,
        district: '371500', address: '东昌路 1 号', contact: '张敏', phone: '0635-8241234', expected_date: '2026-12-20' },
      yuanToFen,
    )
    expect(body).toMatchObject({ kind: 'reverse_auction', title: '复印纸', ceiling_fen: 2400050, quantity: 200, custom: false, step_bp: 50, starts_at: '2026-12-04T01:00:00.000Z' })
    expect(body.end_at).toBeUndefined()
  })

  it('allows a bid at most one step below the best total', () => {
    const c = { best_total_fen: 2_380_000, ceiling_fen: 2_400_000, rule: { step_fen: 12_000 }, item: { quantity: 200 } }
    expect(highestAllowedUnit(c)).toBe(11_840)
    expect(highestAllowedUnit({ ...c, best_total_fen: 0 })).toBe(12_000)
  })

  it('verifies a record chained by the server, and notices a change', async () => {
    expect(canonical({ b: 1, a: [true, null, '供应商#1'] })).toBe('{"a":[true,null,"供应商#1"],"b":1}')
    const ok = await verifyRecord(RECORD, webcrypto.subtle)
    expect(ok).toEqual({ ok: true, digest: RECORD[1].hash })
    const changed = RECORD.map((e) => ({ ...e }))
    changed[1].unit_price_fen = 10300
    expect((await verifyRecord(changed, webcrypto.subtle)).ok).toBe(false)
  })
})
