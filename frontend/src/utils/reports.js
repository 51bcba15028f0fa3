// @ts-check
// 统计报表的页面逻辑：期间、百分比、采购方式表头分组、图表配置。
import { fenToWan, fenToYi, todayInShanghai } from './format.js'

export const PROVINCE_SCOPE = 'shandong'
export const FIRST_YEAR = 2015

/** 可选年度：当前（北京时间）年度往前到 2015 年。 */
export function reportYears(now = new Date()) {
  const year = Number(todayInShanghai(now).slice(0, 4))
  return Array.from({ length: year - FIRST_YEAR + 1 }, (_, i) => year - i)
}

/** 某年可选月份（当年只到本月）：[{value: '2024-03', label: '3 月'}]。 */
export function reportMonths(year, now = new Date()) {
  const today = todayInShanghai(now)
  const last = Number(today.slice(0, 4)) === year ? Number(today.slice(5, 7)) : 12
  return Array.from({ length: last }, (_, i) => ({ value: `${year}-${String(i + 1).padStart(2, '0')}`, label: `${i + 1} 月` }))
}

/** 期间文字：'2024' → '2024 年度'，'2024-03' → '2024 年 3 月'。 */
export function periodLabel(period) {
  const [year, month] = String(period).split('-')
  return month ? `${year} 年 ${Number(month)} 月` : `${year} 年度`
}

/** 接口的百分比字符串（"14.43"，可能为 null）→ "14.43%" / "—"。 */
export function percent(value) {
  return value === null || value === undefined ? '—' : `${value}%`
}

/** 同比的颜色：增长红、下降绿（与国内报表习惯一致），无数据灰。 */
export function trendClass(value) {
  if (value === null || value === undefined) return 'muted'
  return String(value).startsWith('-') ? 'trend-down' : 'trend-up'
}

export const yi = (fen) => fenToYi(fen)
export const wan = (fen) => fenToWan(fen, { grouping: true })

/** @typedef {import('../../types/schema').components['schemas']} Schemas */

/**
 * 采购方式表头：相邻的同一采购方式合并为一组（超市采购：直购、竞价、反拍 …）。
 * @param {Schemas['MethodColumn'][]} columns
 */
export function methodGroups(columns) {
  const groups = []
  columns.forEach((column, index) => {
    const last = groups[groups.length - 1]
    if (last && last.method === column.method) last.columns.push({ ...column, index })
    else groups.push({ method: column.method, label: column.method_label, columns: [{ ...column, index }] })
  })
  return groups
}

/**
 * 采购方式表的行：每个范围（全市/市本级）两行（成交金额、项目数量），便于 el-table 展示。
 * @param {Schemas['MethodTable']} methods
 */
export function methodRows(methods) {
  const rows = []
  for (const measure of [
    { key: 'amount_fen', label: '成交金额（亿元）', format: yi },
    { key: 'projects', label: '项目数量（个）', format: (n) => String(n) },
  ]) {
    for (const row of methods.rows) {
      rows.push({ measure: measure.label, scope: row.scope, values: row[measure.key].map(measure.format) })
    }
  }
  return rows
}

/** 横向条形图（ECharts）：名称与亿元/万元数值。 */
export function barOption(title, items, unit) {
  const sorted = [...items].reverse()
  return {
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${v} ${unit}` },
    grid: { left: 90, right: 50, top: 40, bottom: 20 },
    xAxis: { type: 'value', name: unit },
    yAxis: { type: 'category', data: sorted.map((i) => i.name) },
    series: [{ type: 'bar', data: sorted.map((i) => Number(i.value)), label: { show: true, position: 'right' }, itemStyle: { color: '#c0392b' } }],
  }
}

// 图表以万元为单位（区县、机制的金额常不足 0.01 亿元）。
const chartWan = (fen) => fenToWan(fen)

/**
 * 区划（或站点）成交金额图。
 * @param {Schemas['Report']} report
 */
export function areaChart(report) {
  const word = report.areas.kind === 'site' ? '站点' : '区划'
  return barOption(`成交金额（按${word}）`, report.areas.rows.map((r) => ({ name: r.name, value: chartWan(r.amount_fen) })), '万元')
}

/**
 * 价格形成机制成交金额图（全市）。
 * @param {Schemas['Report']} report
 */
export function methodChart(report) {
  const [whole] = report.methods.rows
  const items = report.methods.columns.map((c, i) => ({ name: c.mechanism_label, value: chartWan(whole ? whole.amount_fen[i] : 0) }))
  return barOption('成交金额（按价格形成机制）', items, '万元')
}
