import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  CODE_SOURCE_LABELS,
  DISTRICT_KIND_LABELS,
  METHOD_CODES,
  METHOD_LABELS,
  ROLE_LABELS,
  bpToPercent,
  fenToWan,
  fenToYuan,
  formatDate,
  formatDateTime,
  labelOf,
  todayInShanghai,
  wanToFen,
} from '../src/utils/format.js'

describe('fenToWan', () => {
  it('formats integer fen as 万元 with two decimals', () => {
    expect(fenToWan(50000000)).toBe('50.00')
    expect(fenToWan(100000000)).toBe('100.00')
    expect(fenToWan(0)).toBe('0.00')
    expect(fenToWan(10000)).toBe('0.01')
    expect(fenToWan(123456789)).toBe('123.46')
  })

  it('rounds half away from zero using integers only', () => {
    expect(fenToWan(5000)).toBe('0.01') // 0.005 万元
    expect(fenToWan(4999)).toBe('0.00')
    expect(fenToWan(1005000)).toBe('1.01') // 1.005 (float toFixed would give 1.00)
    expect(fenToWan(-1005000)).toBe('-1.01')
    expect(fenToWan(-4999)).toBe('0.00') // no "-0.00"
  })

  it('supports other precisions and grouping', () => {
    expect(fenToWan(1, { digits: 6 })).toBe('0.000001')
    expect(fenToWan(1234567890000, { grouping: true })).toBe('1,234,567.89')
    expect(fenToWan(2500000, { digits: 0 })).toBe('3')
  })

  it('accepts integer strings and rejects non-integers', () => {
    expect(fenToWan('50000000')).toBe('50.00')
    expect(() => fenToWan(1.5)).toThrow()
    expect(() => fenToWan('abc')).toThrow()
    expect(() => fenToWan(null)).toThrow()
  })
})

describe('fenToYuan', () => {
  it('formats with thousands separators and two decimals', () => {
    expect(fenToYuan(123456)).toBe('1,234.56')
    expect(fenToYuan(0)).toBe('0.00')
    expect(fenToYuan(5)).toBe('0.05')
    expect(fenToYuan(50000000)).toBe('500,000.00')
    expect(fenToYuan(-123456)).toBe('-1,234.56')
    expect(fenToYuan(900719925474099)).toBe('9,007,199,254,740.99')
  })
})

describe('wanToFen', () => {
  it('parses decimal strings exactly', () => {
    expect(wanToFen('50')).toBe(50000000)
    expect(wanToFen('50.00')).toBe(50000000)
    expect(wanToFen('0.01')).toBe(10000)
    expect(wanToFen('0.000001')).toBe(1)
    expect(wanToFen('1.1')).toBe(1100000) // 1.1 * 1e6 = 1100000.0000000002 in floats
    expect(wanToFen('0.3')).toBe(300000)
    expect(wanToFen('4.35')).toBe(4350000) // 4.35 * 1e6 = 4349999.999999999
    expect(wanToFen('.5')).toBe(500000)
    expect(wanToFen('7.')).toBe(7000000)
    expect(wanToFen(' 1,000.5 ')).toBe(1000500000)
    expect(wanToFen('-2.5')).toBe(-2500000)
    expect(wanToFen('1.2300000')).toBe(1230000) // trailing zeros beyond 6 places are fine
  })

  it('accepts numbers from el-input-number without float drift', () => {
    expect(wanToFen(50.01)).toBe(50010000)
    expect(wanToFen(0.3)).toBe(300000)
    expect(() => wanToFen(0.1 + 0.2)).toThrow() // 0.30000000000000004：须先 toFixed
    expect(wanToFen(1e-6)).toBe(1)
    expect(wanToFen((4.35).toFixed(2))).toBe(4350000)
  })

  it('rejects sub-fen precision and garbage', () => {
    expect(() => wanToFen('0.0000001')).toThrow(/精确到分/)
    expect(() => wanToFen('')).toThrow()
    expect(() => wanToFen('.')).toThrow()
    expect(() => wanToFen('1.2.3')).toThrow()
    expect(() => wanToFen('1e3')).toThrow()
    expect(() => wanToFen('五十')).toThrow()
    expect(() => wanToFen(null)).toThrow()
    expect(() => wanToFen('99999999999')).toThrow(/过大/)
  })

  it('round-trips with fenToWan', () => {
    for (const fen of [0, 10000, 50000000, 123450000, 200000000]) {
      expect(wanToFen(fenToWan(fen))).toBe(fen)
    }
  })
})

describe('dates in Asia/Shanghai', () => {
  const originalTz = process.env.TZ
  afterEach(() => {
    process.env.TZ = originalTz
  })

  it('formats ISO instants in UTC+8 whatever the machine time zone', () => {
    for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Europe/London']) {
      process.env.TZ = tz
      expect(formatDateTime('2024-01-15T02:30:00.000Z')).toBe('2024-01-15 10:30:00')
      expect(formatDate('2024-01-15T02:30:00.000Z')).toBe('2024-01-15')
      // 16:00 UTC is already the next day in Beijing
      expect(formatDate('2026-12-31T16:00:00.000Z')).toBe('2027-01-01')
      expect(formatDateTime('2026-12-31T15:59:59Z')).toBe('2026-12-31 23:59:59')
    }
  })

  it('handles offsets, Date objects and empty values', () => {
    expect(formatDateTime('2024-01-15T10:30:00+08:00')).toBe('2024-01-15 10:30:00')
    expect(formatDateTime(new Date(Date.UTC(2024, 0, 15, 2, 30)))).toBe('2024-01-15 10:30:00')
    expect(formatDate('')).toBe('')
    expect(formatDate(null)).toBe('')
    expect(formatDateTime(undefined)).toBe('')
    expect(formatDate('not a date')).toBe('not a date')
  })

  it('computes today in Beijing', () => {
    expect(todayInShanghai(new Date('2026-11-21T17:00:00Z'))).toBe('2026-11-22')
  })
})

describe('label maps', () => {
  it('has Chinese labels for roles and all 8 methods', () => {
    expect(ROLE_LABELS.buyer).toBe('采购人')
    expect(ROLE_LABELS.center_admin).toBe('采购中心')
    expect(ROLE_LABELS.province_admin).toBe('省级管理员')
    expect(METHOD_CODES).toHaveLength(8)
    for (const code of METHOD_CODES) expect(METHOD_LABELS[code]).toMatch(/[\u4e00-\u9fa5]/)
    expect(METHOD_LABELS.batch).toBe('批量采购（优惠率）')
    expect(METHOD_LABELS.framework_rotation).toBe('框架协议·顺序轮候')
  })

  it('maps district kinds and code sources', () => {
    expect(DISTRICT_KIND_LABELS.city_level).toBe('市本级')
    expect(DISTRICT_KIND_LABELS.county).toBe('区县')
    expect(DISTRICT_KIND_LABELS.functional_zone).toBe('功能区')
    expect(CODE_SOURCE_LABELS['MCA-2024']).toBe('民政部区划代码')
    expect(CODE_SOURCE_LABELS['NBS-2023-statistical-only']).toBe('统计用区划代码')
    expect(CODE_SOURCE_LABELS['tenant-local']).toBe('本站点自编码')
  })

  it('falls back to the raw code for unknown values', () => {
    expect(labelOf(METHOD_LABELS, 'direct')).toBe('直购')
    expect(labelOf(METHOD_LABELS, 'new_method')).toBe('new_method')
    expect(labelOf(METHOD_LABELS, 'toString')).toBe('toString')
    expect(labelOf(METHOD_LABELS, '')).toBe('')
  })

  it('formats basis points as percent', () => {
    expect(bpToPercent(50)).toBe('0.50%')
    expect(bpToPercent(300)).toBe('3.00%')
  })
})

describe('v-skeleton', () => {
  it('shows a skeleton only when a load takes longer than 300 ms, and removes it when done', async () => {
    const { vSkeleton, SKELETON_DELAY_MS } = await import('../src/directives/skeleton.js')
    vi.useFakeTimers()
    try {
      const el = document.createElement('div')
      document.body.appendChild(el)
      vSkeleton.mounted(el, { value: true })
      vi.advanceTimersByTime(SKELETON_DELAY_MS - 1)
      expect(el.querySelector('.app-skeleton')).toBeNull() // a quick load shows nothing
      vi.advanceTimersByTime(1)
      expect(el.querySelector('.app-skeleton')).not.toBeNull()
      expect(el.querySelectorAll('.app-skeleton-row').length).toBeGreaterThanOrEqual(3)
      vSkeleton.updated(el, { value: false })
      expect(el.querySelector('.app-skeleton')).toBeNull()
      vSkeleton.mounted(el, { value: true })
      vSkeleton.updated(el, { value: false }) // done within 300 ms: never shown
      vi.advanceTimersByTime(SKELETON_DELAY_MS * 2)
      expect(el.querySelector('.app-skeleton')).toBeNull()
    } finally {
      vi.useRealTimers()
    }
  })
})
