// 测试用的 fetch 假实现、契约样例数据与每个用例前后的复位。
// 挂载页面用 mount.js 的 mountView：它引入 Element Plus，放在这里会拖慢只测纯函数的用例文件。
import { vi } from 'vitest'
import { clearSession } from '../src/stores/session.js'

export const SITES = [
  {
    id: 'liaocheng',
    name: '聊城市政府采购网上商城',
    short_name: '聊城',
    division_code: '371500',
    look: { title: '齐鲁云采·聊城市政府采购网上商城', theme_color: '#b71c1c', subtitle: '阳光采购 · 聊城' },
  },
  {
    id: 'weihai',
    name: '威海市政府采购网上商城',
    short_name: '威海',
    division_code: '371000',
    look: { title: '齐鲁云采·威海市政府采购网上商城', theme_color: '#0d47a1', subtitle: '' },
  },
]

export const BUYER = {
  user_id: 'u-1',
  username: 'lc_buyer',
  name: '张敏',
  role: 'buyer',
  role_label: '采购人',
  tenant: 'liaocheng',
  org_id: '11371500MB2853182R',
  org_name: '聊城市教育和体育局',
  district: '371502',
}

export function jsonResponse(status, body) {
  return {
    ok: status >= 200 && status < 300,
    status,
    text: async () => (body === undefined ? '' : JSON.stringify(body)),
  }
}

/** routes: {'GET /sites': [200, body] | (url, init) => [status, body]} */
export function mockFetch(routes) {
  const fn = vi.fn(async (url, init = {}) => {
    const method = (init.method || 'GET').toUpperCase()
    const path = new URL(url, 'http://x').pathname
    const handler = routes[`${method} ${path}`]
    if (!handler) return jsonResponse(404, { code: 'NOT_FOUND', message: '未找到' })
    const [status, body] = typeof handler === 'function' ? handler(url, init) : handler
    return jsonResponse(status, body)
  })
  vi.stubGlobal('fetch', fn)
  return fn
}

/** 每个用例前：指向测试 API、清空本地存储与登录状态。 */
export function resetApp(apiBase = 'http://api.test') {
  window.APP_CONFIG = { apiBase }
  localStorage.clear()
  clearSession()
}

/** 每个用例后：撤销 fetch 等全局替身与 spy，清掉挂到 body 上的 DOM。 */
export function cleanupDom() {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
}
