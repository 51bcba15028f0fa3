import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, api, apiBase, onUnauthorized, request } from '../src/api/client.js'
import { saveLogin, session } from '../src/stores/session.js'
import { BUYER, mockFetch, resetApp } from './helpers.js'

beforeEach(() => resetApp('http://127.0.0.1:8000/'))

afterEach(() => {
  vi.unstubAllGlobals()
  onUnauthorized(null)
})

describe('api client', () => {
  it('reads the API base from window.APP_CONFIG at runtime', () => {
    expect(apiBase()).toBe('http://127.0.0.1:8000')
    window.APP_CONFIG = { apiBase: 'https://api.example.gov.cn/prod' }
    expect(apiBase()).toBe('https://api.example.gov.cn/prod')
  })

  it('sends the bearer token and JSON body', async () => {
    saveLogin({ token: 'tok-1', expires_in: 3600, user: BUYER }, 'liaocheng')
    const fetch = mockFetch({ 'PUT /sites/liaocheng/limits': [200, { applied: true, site_version: 4, change: null }] })
    const res = await api.putLimits('liaocheng', { per_order_cap_fen: 1, expected_version: 3 })
    expect(res.applied).toBe(true)
    const [url, init] = fetch.mock.calls[0]
    expect(url).toBe('http://127.0.0.1:8000/sites/liaocheng/limits')
    expect(init.headers.Authorization).toBe('Bearer tok-1')
    expect(init.headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(init.body)).toEqual({ per_order_cap_fen: 1, expected_version: 3 })
  })

  it('passes the audit cursor and Idempotency-Key', async () => {
    saveLogin({ token: 'tok-1', expires_in: 3600, user: BUYER }, 'liaocheng')
    const fetch = mockFetch({
      'GET /sites/liaocheng/audit': [200, { items: [], next_cursor: null }],
      'POST /sites/liaocheng/orgs': [201, { uscc: 'x' }],
    })
    await api.audit('liaocheng', { cursor: 'abc+/=' })
    expect(fetch.mock.calls[0][0]).toBe('http://127.0.0.1:8000/sites/liaocheng/audit?limit=20&cursor=abc%2B%2F%3D')
    await api.createOrg('liaocheng', { name: 'n' }, 'key-123456')
    expect(fetch.mock.calls[1][1].headers['Idempotency-Key']).toBe('key-123456')
  })

  it('turns error bodies into ApiError with code, message and field details', async () => {
    saveLogin({ token: 'tok-1', expires_in: 3600, user: BUYER }, 'liaocheng')
    mockFetch({
      'POST /sites/liaocheng/orgs': [400, {
        code: 'INVALID_INPUT',
        message: '输入有误',
        details: [{ field: 'uscc', message: '统一社会信用代码校验位错误' }],
      }],
    })
    const err = await api.createOrg('liaocheng', {}, 'key-123456').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(400)
    expect(err.code).toBe('INVALID_INPUT')
    expect(err.message).toBe('输入有误')
    expect(err.fieldErrors()).toEqual({ uscc: '统一社会信用代码校验位错误' })
  })

  it('on 401 marks the error handled and calls the unauthorized handler', async () => {
    saveLogin({ token: 'tok-1', expires_in: 3600, user: BUYER }, 'liaocheng')
    const handler = vi.fn()
    onUnauthorized(handler)
    mockFetch({ 'GET /me': [401, { code: 'TOKEN_EXPIRED', message: '登录已过期' }] })
    const err = await api.me().catch((e) => e)
    expect(err.status).toBe(401)
    expect(err.handled).toBe(true)
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('does not treat a failed login (401) as an expired session', async () => {
    const handler = vi.fn()
    onUnauthorized(handler)
    mockFetch({ 'POST /auth/login': [401, { code: 'LOGIN_FAILED', message: '用户名或密码错误' }] })
    const err = await api.login('a', 'b').catch((e) => e)
    expect(err.code).toBe('LOGIN_FAILED')
    expect(err.message).toBe('用户名或密码错误')
    expect(err.handled).toBe(false)
    expect(handler).not.toHaveBeenCalled()
  })

  it('reports network failures in Chinese', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch') }))
    const err = await request('GET', '/sites', { auth: false }).catch((e) => e)
    expect(err.code).toBe('NETWORK_ERROR')
    expect(err.message).toMatch(/无法连接服务器/)
  })

  it('falls back to an HTTP status message for non-JSON errors', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => ({ ok: false, status: 502, text: async () => '<html>Bad Gateway</html>' })))
    const err = await request('GET', '/sites', { auth: false }).catch((e) => e)
    expect(err.code).toBe('HTTP_502')
    expect(err.message).toBe('请求失败（HTTP 502）')
    expect(session.token).toBe('')
  })
})
