import { createRouter, createWebHashHistory } from 'vue-router'
import { isLoggedIn, session } from './stores/session.js'
import { SUPERVISE_ROLES, canAccess } from './menu.js'

export const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: '登录' } },
  {
    path: '/',
    component: () => import('./layouts/MainLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: '首页' } },
      { path: 'site-config', name: 'site-config', component: () => import('./views/SiteConfigView.vue'), meta: { title: '站点配置', roles: SUPERVISE_ROLES } },
      { path: 'orgs', name: 'orgs', component: () => import('./views/OrgsView.vue'), meta: { title: '采购单位', roles: SUPERVISE_ROLES } },
      { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: '审计日志', roles: SUPERVISE_ROLES } },
      { path: 'profile', name: 'profile', component: () => import('./views/ProfileView.vue'), meta: { title: '个人信息' } },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

/** 登录与角色守卫，单独导出以便测试。 */
export function guard(to) {
  if (to.meta.public) {
    return to.name === 'login' && isLoggedIn() ? { path: '/' } : true
  }
  if (!isLoggedIn()) {
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
