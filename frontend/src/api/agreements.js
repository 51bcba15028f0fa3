// 框架协议（docs/api.md「Framework agreements」）：第一阶段由省级录入或省平台推送，第二阶段在各站点下单或二次竞价。
import { request } from './client.js'

const enc = encodeURIComponent
const inSite = (siteId) => `/sites/${enc(siteId)}/agreements`
const one = (siteId, number) => `${inSite(siteId)}/${enc(number)}`

export const agreementsApi = {
  list: (siteId) => request('GET', inSite(siteId)),
  detail: (siteId, number) => request('GET', one(siteId, number)),
  order: (siteId, number, body, idempotencyKey) =>
    request('POST', `${one(siteId, number)}/orders`, { body, headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} }),
  compete: (siteId, number, body, idempotencyKey) =>
    request('POST', `${one(siteId, number)}/competitions`, { body, headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} }),
  // 省级管理员
  create: (body) => request('POST', '/agreements', { body }),
  setStatus: (number, action, reason) => request('POST', `/agreements/${enc(number)}/status`, { body: { action, reason } }),
  setMember: (number, uscc, status, reason) =>
    request('POST', `/agreements/${enc(number)}/members/${enc(uscc)}/status`, { body: { status, reason } }),
}
