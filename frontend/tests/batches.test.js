import { describe, expect, it } from 'vitest'
import { discountedFen, rateProblem, rateToBp } from '../src/utils/batches.js'

describe('batch purchases', () => {
  it('takes discount rates of 0 up to 100 % with at most two decimals, as the server does', () => {
    for (const good of ['0', '8', '12.5', '12.35', '99.99', '15%']) expect(rateProblem(good)).toBe('')
    for (const bad of ['100', '-1', '12.345', 'abc', '', '101.5']) expect(rateProblem(bad)).not.toBe('')
    expect(rateToBp('12.5')).toBe(1250)
    expect(rateToBp('12.05')).toBe(1205)
    expect(rateToBp('7')).toBe(700)
    expect(rateToBp('100')).toBe(null)
  })

  it('prices at the reference less the rate, rounded down to the fen', () => {
    expect(discountedFen(1000, 1500)).toBe(850)
    expect(discountedFen(999, 1250)).toBe(874) // 874.125
  })
})
