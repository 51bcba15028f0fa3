// 新页面测试用的契约样例（docs/api.md）。
export const CONFIG = {
  id: 'liaocheng',
  name: '聊城市政府采购网上商城',
  short_name: '聊城',
  districts: [
    { code: '371500', name: '市本级', kind: 'city_level' },
    { code: '371502', name: '东昌府区', kind: 'county' },
    { code: 'L37150001', name: '聊城经济技术开发区', kind: 'functional_zone' },
  ],
  limits: { per_order_cap_fen: 80000000, per_plan_cap_fen: 100000000, annual_category_cap_fen: 200000000 },
  categories: [
    { id: 'LC-01', name: '办公用品', parent_id: '', is_leaf: false, catalog_code: 'A05040000', catalog_name: '办公用品' },
    { id: 'LC-0101', name: '签字笔', parent_id: 'LC-01', is_leaf: true, catalog_code: 'A05040402', catalog_name: '笔' },
    { id: 'LC-0107', name: '复印纸', parent_id: 'LC-01', is_leaf: true, catalog_code: 'A05040101', catalog_name: '复印纸' },
    { id: 'LC-03', name: '计算机', parent_id: '', is_leaf: false, catalog_code: 'A02010000', catalog_name: '信息化设备' },
    { id: 'LC-0302', name: '台式计算机', parent_id: 'LC-03', is_leaf: true, catalog_code: 'A02010105', catalog_name: '台式计算机' },
  ],
  decentralized_categories: [{ code: 'A05040000', name: '办公用品' }],
  methods: [],
  version: 1,
}

const WAN = 1000000
export const WHOLESALE = {
  code: 'wholesale',
  name: '批发业',
  criteria: '从业人员200人以下或营业收入40000万元以下的为中小微型企业。其中，从业人员20人及以上，且营业收入5000万元及以上的为中型企业；从业人员5人及以上，且营业收入1000万元及以上的为小型企业；从业人员5人以下或营业收入1000万元以下的为微型企业。',
  thresholds: {
    sme_below: { employees: 200, revenue_fen: 40000 * WAN },
    medium: { employees: 20, revenue_fen: 5000 * WAN },
    small: { employees: 5, revenue_fen: 1000 * WAN },
  },
}
export const CONSTRUCTION = {
  code: 'construction',
  name: '建筑业',
  criteria: '营业收入80000万元以下或资产总额80000万元以下的为中小微型企业。……',
  thresholds: {
    sme_below: { revenue_fen: 80000 * WAN, assets_fen: 80000 * WAN },
    medium: { revenue_fen: 6000 * WAN, assets_fen: 5000 * WAN },
    small: { revenue_fen: 300 * WAN, assets_fen: 300 * WAN },
  },
}
export const OTHER_TEXT_ONLY = { code: 'other', name: '其他未列明行业', criteria: '从业人员300人以下的为中小微型企业。……' }

export function card(id, name, priceFen, extra = {}) {
  return {
    id,
    name,
    brand: '得力',
    model: 'S01',
    price_fen: priceFen,
    category_id: 'LC-0101',
    category_name: '签字笔',
    supplier: { uscc: '91371502MA3C7K2X18', name: '聊城市东昌府区鑫诚办公用品有限公司', scale: 'small', rating: { count: 12, average: 4.8 } },
    delivery_districts: ['371500'],
    sales: 35,
    image: null,
    ...extra,
  }
}
