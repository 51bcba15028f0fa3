// 页面挂载工具（引入 Element Plus，只给挂载组件的用例文件用）。
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { createMemoryHistory, createRouter } from 'vue-router'
import { vSkeleton } from '../src/directives/skeleton.js'

/**
 * 挂载一个页面：Element Plus（中文）、挂到 document.body，并等待首轮请求完成。
 * 给 routes 时建内存路由并先导航到 at，再挂载页面。
 * @returns {Promise<{wrapper: import('@vue/test-utils').VueWrapper, router: import('vue-router').Router | undefined}>}
 */
export async function mountView(view, { routes, at } = {}) {
  const plugins = [[ElementPlus, { locale: zhCn }]]
  let router
  if (routes) {
    router = createRouter({ history: createMemoryHistory(), routes })
    await router.push(at)
    await router.isReady()
    plugins.push(router)
  }
  const wrapper = mount(view, { global: { plugins, directives: { skeleton: vSkeleton } }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}
