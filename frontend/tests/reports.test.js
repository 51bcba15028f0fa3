import { describe, expect, it } from 'vitest'
import { fenToYi } from '../src/utils/format.js'
import { methodGroups, methodRows, percent, periodLabel, reportMonths, reportYears, trendClass } from '../src/utils/reports.js'

const COLUMNS = [
  { method: 'supermarket', method_label: '超市采购', mechanism: 'direct', mechanism_label: '直购' },
  { method: 'supermarket', method_label: '超市采购', mechanism: 'bidding', mechanism_label: '竞价' },
  { method: 'supermarket', method_label: '超市采购', mechanism: 'reverse_auction', mechanism_label: '反拍' },
  { method: 'batch', method_label: '批量采购', mechanism: 'discount_rate', mechanism_label: '优惠率' },
  { method: 'framework', method_label: '框架协议采购', mechanism: 'framework_direct', mechanism_label: '直接选定' },
  { method: 'framework', method_label: '框架协议采购', mechanism: 'framework_bidding', mechanism_label: '二次竞价' },
]

describe('统计报表', () => {
  it('亿元保留两位小数，四舍五入到分的口径', () => {
    expect(fenToYi(70_600_000_000)).toBe('7.06')
    expect(fenToYi(11_349_999_999)).toBe('1.13')
    expect(fenToYi(11_350_000_000)).toBe('1.14')
    expect(fenToYi(0)).toBe('0.00')
    expect(fenToYi(-1_250_000_000)).toBe('-0.13')
    expect(fenToYi(1_052_600_000_000)).toBe('105.26')
  })

  it('采购方式表头按方式合并：超市采购三列，批量采购一列，框架协议两列', () => {
    const groups = methodGroups(COLUMNS)
    expect(groups.map((g) => [g.label, g.columns.map((c) => c.mechanism_label)])).toEqual([
      ['超市采购', ['直购', '竞价', '反拍']],
      ['批量采购', ['优惠率']],
      ['框架协议采购', ['直接选定', '二次竞价']],
    ])
    expect(groups[2].columns[1].index).toBe(5)
  })

  it('采购方式表的行：金额（亿元）与项目数各按范围一行', () => {
    const rows = methodRows({
      columns: COLUMNS,
      rows: [
        { scope: '全市', amount_fen: [47_500_000_000, 0, 0, 0, 0, 0], projects: [62312, 2266, 62, 1901, 1056, 0] },
        { scope: '市本级', amount_fen: [5_600_000_000, 0, 0, 0, 0, 0], projects: [6718, 524, 28, 127, 148, 0] },
      ],
    })
    expect(rows.map((r) => [r.measure, r.scope, r.values[0]])).toEqual([
      ['成交金额（亿元）', '全市', '4.75'],
      ['成交金额（亿元）', '市本级', '0.56'],
      ['项目数量（个）', '全市', '62312'],
      ['项目数量（个）', '市本级', '6718'],
    ])
  })

  it('期间：年度与月份（当年只到本月），北京时间', () => {
    const now = new Date('2026-12-31T17:00:00Z') // 北京时间 2027-01-01 01:00
    expect(reportYears(now)[0]).toBe(2027)
    expect(reportYears(now).at(-1)).toBe(2015)
    expect(reportMonths(2027, now)).toEqual([{ value: '2027-01', label: '1 月' }])
    expect(reportMonths(2024, now)).toHaveLength(12)
    expect(periodLabel('2024')).toBe('2024 年度')
    expect(periodLabel('2024-03')).toBe('2024 年 3 月')
  })

  it('百分比与同比颜色：无上年数据显示“—”', () => {
    expect(percent('14.43')).toBe('14.43%')
    expect(percent(null)).toBe('—')
    expect(trendClass('-13.49')).toBe('trend-down')
    expect(trendClass('22.62')).toBe('trend-up')
    expect(trendClass(null)).toBe('muted')
  })
})

describe('报表图表', () => {
  it('金额以万元作图，按原顺序自上而下', async () => {
    const { areaChart } = await import('../src/utils/reports.js')
    const option = areaChart({ areas: { kind: 'district', rows: [{ name: '莘县', amount_fen: 11_400_000_000 }, { name: '市本级', amount_fen: 12_500_000 }] } })
    expect(option.yAxis.data).toEqual(['市本级', '莘县'])
    expect(option.series[0].data).toEqual([12.5, 11400])
    expect(option.xAxis.name).toBe('万元')
  })
})
