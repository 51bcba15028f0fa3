// 测试用的 fetch 假实现与契约样例数据。
import { vi } from 'vitest'

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
