// 左侧菜单与路由权限（按角色）。
export const ADMIN_ROLES = Object.freeze(['center_admin', 'province_admin'])
export const SUPERVISE_ROLES = Object.freeze(['center_admin', 'province_admin', 'finance'])
export const SUPPLIER_ROLES = Object.freeze(['supplier'])
export const PLAN_ROLES = Object.freeze(['buyer', 'center_admin', 'finance', 'province_admin'])
export const BUYER_ROLES = Object.freeze(['buyer'])
export const ORDER_ROLES = Object.freeze(['buyer', 'supplier', 'center_admin', 'finance', 'province_admin'])

export const MENU_ITEMS = Object.freeze([
  { path: '/', title: '首页', icon: 'HomeFilled', roles: null },
  { path: '/catalog', title: '网上超市', icon: 'Goods', roles: null },
  { path: '/cart', title: '购物车', icon: 'ShoppingCart', roles: BUYER_ROLES },
  { path: '/orders', title: '订单管理', icon: 'List', roles: ORDER_ROLES },
  { path: '/competitions', title: '竞价与反拍', icon: 'Timer', roles: ORDER_ROLES },
  { path: '/agreements', title: '框架协议', icon: 'Files', roles: ORDER_ROLES, methods: ['framework_direct', 'framework_bidding', 'framework_rotation'] },
  { path: '/batches', title: '批量采购', icon: 'Collection', roles: ORDER_ROLES, methods: ['batch'] },
  { path: '/designations', title: '定点采购', icon: 'Location', roles: ORDER_ROLES, methods: ['designated'] },
  { path: '/my-listings', title: '我的商品', icon: 'Box', roles: SUPPLIER_ROLES },
  { path: '/supplier-profile', title: '企业资料', icon: 'Postcard', roles: SUPPLIER_ROLES },
  { path: '/my-findings', title: '整改与信用', icon: 'Warning', roles: SUPPLIER_ROLES },
  { path: '/supplier-review', title: '供应商审核', icon: 'Stamp', roles: SUPERVISE_ROLES },
  { path: '/listing-review', title: '商品审核', icon: 'DocumentChecked', roles: ADMIN_ROLES },
  { path: '/plans', title: '采购计划', icon: 'Notebook', roles: PLAN_ROLES },
  { path: '/inspections', title: '监督巡检', icon: 'View', roles: SUPERVISE_ROLES },
  { path: '/alerts', title: '动态预警', icon: 'Bell', roles: SUPERVISE_ROLES },
  { path: '/credit', title: '诚信管理', icon: 'Medal', roles: SUPERVISE_ROLES },
  { path: '/followups', title: '差评回访', icon: 'ChatDotRound', roles: ADMIN_ROLES },
  { path: '/bulletins', title: '公告管理', icon: 'Promotion', roles: ADMIN_ROLES },
  { path: '/pavilions', title: '特色场馆', icon: 'Shop', roles: ADMIN_ROLES },
  { path: '/site-config', title: '站点配置', icon: 'Setting', roles: SUPERVISE_ROLES },
  { path: '/orgs', title: '采购单位', icon: 'OfficeBuilding', roles: SUPERVISE_ROLES },
  { path: '/reports', title: '统计报表', icon: 'DataAnalysis', roles: SUPERVISE_ROLES },
  { path: '/audit', title: '审计日志', icon: 'Tickets', roles: SUPERVISE_ROLES },
  { path: '/api-docs', title: '接口文档', icon: 'Document', roles: SUPERVISE_ROLES },
  { path: '/complaints', title: '投诉举报', icon: 'WarnTriangleFilled', roles: ORDER_ROLES },
  { path: '/service-desk', title: '咨询服务', icon: 'Service', roles: ORDER_ROLES },
  { path: '/profile', title: '个人信息', icon: 'User', roles: null },
])

// 不登录也能看的页面（阳光采购：浏览、比价、公告）
export const ANONYMOUS_PATHS = Object.freeze(['/', '/catalog'])

export function canAccess(roles, role) {
  return !roles || roles.includes(role)
}

/**
 * 某角色的菜单。给出站点已开通的采购方式（代码数组）时，只列出本站点开通了的采购方式的入口
 * （如未开通定点采购的站点不显示“定点采购”）；不给时不按采购方式筛选。
 */
export function menuFor(role, enabledMethods = null) {
  return MENU_ITEMS.filter(
    (item) => canAccess(item.roles, role) && (!item.methods || !enabledMethods || item.methods.some((m) => enabledMethods.includes(m))),
  )
}

/** 站点配置中已开通的采购方式代码（配置里的 methods 可能是代码，也可能是 {code, ...}）。 */
export function enabledMethods(config) {
  return config?.methods ? config.methods.map((m) => m.code || m) : null
}

/** 能修改站点配置、新增采购单位、审核供应商与商品的角色（财政局只读）。 */
export function canManage(role) {
  return ADMIN_ROLES.includes(role)
}
