// 左侧菜单与路由权限（按角色）。
export const ADMIN_ROLES = Object.freeze(['center_admin', 'province_admin'])
export const SUPERVISE_ROLES = Object.freeze(['center_admin', 'province_admin', 'finance'])

export const MENU_ITEMS = Object.freeze([
  { path: '/', title: '首页', icon: 'HomeFilled', roles: null },
  { path: '/site-config', title: '站点配置', icon: 'Setting', roles: SUPERVISE_ROLES },
  { path: '/orgs', title: '采购单位', icon: 'OfficeBuilding', roles: SUPERVISE_ROLES },
  { path: '/audit', title: '审计日志', icon: 'Tickets', roles: SUPERVISE_ROLES },
  { path: '/profile', title: '个人信息', icon: 'User', roles: null },
])

export function canAccess(roles, role) {
  return !roles || roles.includes(role)
}

export function menuFor(role) {
  return MENU_ITEMS.filter((item) => canAccess(item.roles, role))
}

/** 能修改站点配置、新增采购单位的角色（财政局只读）。 */
export function canManage(role) {
  return ADMIN_ROLES.includes(role)
}
