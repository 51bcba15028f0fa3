import { describe, expect, it } from 'vitest'
import { isValidPhone, isValidUscc } from '../src/utils/validators.js'
import { buildCategoryTree } from '../src/utils/tree.js'
import { uuid4 } from '../src/utils/uuid.js'

describe('isValidUscc', () => {
  it('accepts codes with a correct check character', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true)
    expect(isValidUscc('11371500MB2853182R')).toBe(true)
    expect(isValidUscc('91110000600037341l')).toBe(true) // 小写自动转大写
  })

  it('rejects wrong check characters, lengths and letters', () => {
    expect(isValidUscc('11371500MB28531826')).toBe(false)
    expect(isValidUscc('91350100M000100Y4')).toBe(false)
    expect(isValidUscc('91350100M000100YI3')).toBe(false)
    expect(isValidUscc('')).toBe(false)
  })
})

describe('isValidPhone', () => {
  it('accepts mobiles and landlines', () => {
    expect(isValidPhone('13800000000')).toBe(true)
    expect(isValidPhone('0635-8888888')).toBe(true)
    expect(isValidPhone('063588888888')).toBe(true)
    expect(isValidPhone('12345')).toBe(false)
    expect(isValidPhone('1380000000a')).toBe(false)
  })
})

describe('buildCategoryTree', () => {
  it('nests children under parents and keeps orphans at the top', () => {
    const tree = buildCategoryTree([
      { id: 'LC-01', name: '办公用品', parent_id: '' },
      { id: 'LC-0101', name: '签字笔', parent_id: 'LC-01' },
      { id: 'LC-02', name: '计算机', parent_id: '' },
      { id: 'LC-0201', name: '台式机', parent_id: 'LC-02' },
      { id: 'LC-9901', name: '孤儿', parent_id: 'LC-99' },
    ])
    expect(tree.map((n) => n.id)).toEqual(['LC-01', 'LC-02', 'LC-9901'])
    expect(tree[0].children.map((n) => n.name)).toEqual(['签字笔'])
  })

  it('orders siblings by sort when given', () => {
    const tree = buildCategoryTree([
      { id: 'B', name: '乙', parent_id: '', sort: 2 },
      { id: 'A', name: '甲', parent_id: '', sort: 1 },
      { id: 'A2', name: '甲二', parent_id: 'A', sort: 2 },
      { id: 'A1', name: '甲一', parent_id: 'A', sort: 1 },
    ])
    expect(tree.map((n) => n.id)).toEqual(['A', 'B'])
    expect(tree[0].children.map((n) => n.id)).toEqual(['A1', 'A2'])
    expect(tree[0]._index).toBeUndefined()
  })
})

describe('uuid4', () => {
  it('makes distinct v4 ids', () => {
    const a = uuid4()
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(uuid4()).not.toBe(a)
  })
})
