import { createRouter, createWebHashHistory } from 'vue-router'
import { isLoggedIn, session } from './stores/session.js'
import { ADMIN_ROLES, BUYER_ROLES, ORDER_ROLES, PLAN_ROLES, SUPERVISE_ROLES, SUPPLIER_ROLES, canAccess } from './menu.js'

export const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: '登录' } },
  { path: '/register', name: 'register', component: () => import('./views/RegisterView.vue'), meta: { public: true, title: '供应商注册' } },
  {
    path: '/',
    component: () => import('./layouts/MainLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: '首页', anonymous: true } },
      { path: 'catalog', name: 'catalog', component: () => import('./views/CatalogView.vue'), meta: { title: '网上超市', anonymous: true } },
      { path: 'catalog/:id', name: 'catalog-detail', component: () => import('./views/ProductDetailView.vue'), meta: { title: '商品详情', anonymous: true, menu: '/catalog', parent: { path: '/catalog', title: '网上超市' } } },
      { path: 'compare', name: 'compare', component: () => import('./views/CompareView.vue'), meta: { title: '商品对比', anonymous: true, menu: '/catalog', parent: { path: '/catalog', title: '网上超市' } } },
      { path: 'cart', name: 'cart', component: () => import('./views/CartView.vue'), meta: { title: '购物车', roles: BUYER_ROLES } },
      { path: 'checkout', name: 'checkout', component: () => import('./views/CheckoutView.vue'), meta: { title: '结算下单', roles: BUYER_ROLES, menu: '/cart', parent: { path: '/cart', title: '购物车' } } },
      { path: 'orders', name: 'orders', component: () => import('./views/OrdersView.vue'), meta: { title: '订单管理', roles: ORDER_ROLES } },
      { path: 'orders/:orderNo', name: 'order-detail', component: () => import('./views/OrderDetailView.vue'), meta: { title: '订单详情', roles: ORDER_ROLES, menu: '/orders', parent: { path: '/orders', title: '订单管理' } } },
      { path: 'competitions', name: 'competitions', component: () => import('./views/CompetitionsView.vue'), meta: { title: '竞价与反拍', roles: ORDER_ROLES } },
      { path: 'competitions/new', name: 'competition-launch', component: () => import('./views/CompetitionLaunchView.vue'), meta: { title: '发起竞价/反拍', roles: BUYER_ROLES, menu: '/competitions', parent: { path: '/competitions', title: '竞价与反拍' } } },
      { path: 'competitions/:id', name: 'competition-detail', component: () => import('./views/CompetitionDetailView.vue'), meta: { title: '项目详情', roles: ORDER_ROLES, menu: '/competitions', parent: { path: '/competitions', title: '竞价与反拍' } } },
      { path: 'agreements', name: 'agreements', component: () => import('./views/AgreementsView.vue'), meta: { title: '框架协议', roles: ORDER_ROLES } },
      { path: 'agreements/:number', name: 'agreement-detail', component: () => import('./views/AgreementDetailView.vue'), meta: { title: '协议详情', roles: ORDER_ROLES, menu: '/agreements', parent: { path: '/agreements', title: '框架协议' } } },
      { path: 'batches', name: 'batches', component: () => import('./views/BatchesView.vue'), meta: { title: '批量采购', roles: ORDER_ROLES } },
      { path: 'batches/:id', name: 'batch-detail', component: () => import('./views/BatchDetailView.vue'), meta: { title: '批量采购详情', roles: ORDER_ROLES, menu: '/batches', parent: { path: '/batches', title: '批量采购' } } },
      { path: 'designations', name: 'designations', component: () => import('./views/DesignationsView.vue'), meta: { title: '定点采购', roles: ORDER_ROLES } },
      { path: 'pavilions', name: 'pavilions', component: () => import('./views/PavilionsView.vue'), meta: { title: '特色场馆', roles: ADMIN_ROLES } },
      { path: 'bulletins', name: 'bulletins', component: () => import('./views/BulletinsView.vue'), meta: { title: '公告管理', roles: ADMIN_ROLES } },
      { path: 'inspections', name: 'inspections', component: () => import('./views/InspectionsView.vue'), meta: { title: '监督巡检', roles: SUPERVISE_ROLES } },
      { path: 'inspections/:id', name: 'inspection-detail', component: () => import('./views/InspectionDetailView.vue'), meta: { title: '巡检详情', roles: SUPERVISE_ROLES, menu: '/inspections', parent: { path: '/inspections', title: '监督巡检' } } },
      { path: 'alerts', name: 'alerts', component: () => import('./views/AlertsView.vue'), meta: { title: '动态预警', roles: SUPERVISE_ROLES } },
      { path: 'credit', name: 'credit', component: () => import('./views/CreditView.vue'), meta: { title: '诚信管理', roles: SUPERVISE_ROLES } },
      { path: 'my-findings', name: 'my-findings', component: () => import('./views/MyFindingsView.vue'), meta: { title: '整改与信用', roles: SUPPLIER_ROLES } },
      { path: 'complaints', name: 'complaints', component: () => import('./views/ComplaintsView.vue'), meta: { title: '投诉举报', roles: ORDER_ROLES } },
      { path: 'service-desk', name: 'service-desk', component: () => import('./views/ServiceDeskView.vue'), meta: { title: '咨询服务', roles: ORDER_ROLES } },
      { path: 'followups', name: 'followups', component: () => import('./views/FollowupsView.vue'), meta: { title: '差评回访', roles: ADMIN_ROLES } },
      { path: 'my-listings', name: 'my-listings', component: () => import('./views/MyListingsView.vue'), meta: { title: '我的商品', roles: SUPPLIER_ROLES } },
      { path: 'supplier-profile', name: 'supplier-profile', component: () => import('./views/SupplierProfileView.vue'), meta: { title: '企业资料', roles: SUPPLIER_ROLES } },
      { path: 'supplier-review', name: 'supplier-review', component: () => import('./views/SupplierReviewView.vue'), meta: { title: '供应商审核', roles: SUPERVISE_ROLES } },
      { path: 'listing-review', name: 'listing-review', component: () => import('./views/ListingReviewView.vue'), meta: { title: '商品审核', roles: ADMIN_ROLES } },
      { path: 'plans', name: 'plans', component: () => import('./views/PlansView.vue'), meta: { title: '采购计划', roles: PLAN_ROLES } },
      { path: 'site-config', name: 'site-config', component: () => import('./views/SiteConfigView.vue'), meta: { title: '站点配置', roles: SUPERVISE_ROLES } },
      { path: 'orgs', name: 'orgs', component: () => import('./views/OrgsView.vue'), meta: { title: '采购单位', roles: SUPERVISE_ROLES } },
      { path: 'reports', name: 'reports', component: () => import('./views/ReportsView.vue'), meta: { title: '统计报表', roles: SUPERVISE_ROLES } },
      { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: '审计日志', roles: SUPERVISE_ROLES } },
      { path: 'api-docs', name: 'api-docs', component: () => import('./views/ApiDocsView.vue'), meta: { title: '接口文档', roles: SUPERVISE_ROLES } },
      { path: 'messages', name: 'messages', component: () => import('./views/MessagesView.vue'), meta: { title: '消息中心' } },
      { path: 'profile', name: 'profile', component: () => import('./views/ProfileView.vue'), meta: { title: '个人信息' } },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

/** 登录与角色守卫，单独导出以便测试。 */
export function guard(to) {
  if (to.meta.public) {
    return (to.name === 'login' || to.name === 'register') && isLoggedIn() ? { path: '/' } : true
  }
  if (!isLoggedIn()) {
    // 阳光采购：首页、网上超市、商品详情与对比不登录也能看
    if (to.matched.length && to.matched[to.matched.length - 1].meta.anonymous) return true
    return to.fullPath && to.fullPath !== '/' ? { path: '/login', query: { redirect: to.fullPath } } : { path: '/login' }
  }
  const roles = to.matched.reduce((acc, r) => r.meta.roles || acc, null)
  if (!canAccess(roles, session.user.role)) return { path: '/' }
  return true
}

export function createAppRouter(history = createWebHashHistory()) {
  const router = createRouter({ history, routes })
  router.beforeEach(guard)
  return router
}
