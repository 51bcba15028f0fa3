// 监督管理：巡检、整改、信用记录与信用规则、动态预警（docs/api.md「Supervision」）。
import { request } from './client.js'

const enc = encodeURIComponent

export const inspectionsApi = {
  list: () => request('GET', '/inspections'),
  get: (id) => request('GET', `/inspections/${enc(id)}`),
  open: (body) => request('POST', '/inspections', { body }),
  close: (id) => request('POST', `/inspections/${enc(id)}/close`, { body: {} }),
  record: (id, body) => request('POST', `/inspections/${enc(id)}/findings`, { body }),
  correct: (id, findingId, text) => request('POST', `/inspections/${enc(id)}/findings/${enc(findingId)}/correction`, { body: { text } }),
  review: (id, findingId, action, reason) =>
    request('POST', `/inspections/${enc(id)}/findings/${enc(findingId)}/review`, { body: { action, reason } }),
  escalate: (id, findingId, body) => request('POST', `/inspections/${enc(id)}/findings/${enc(findingId)}/escalate`, { body }),
  findings: (query) => request('GET', '/findings', { query }),
  priceNotice: (body) => request('POST', '/price-notices', { body }),
}

export const creditApi = {
  rules: () => request('GET', '/credit/rules'),
  reviseRules: (body) => request('PUT', '/credit/rules', { body }),
  entries: (query) => request('GET', '/credit/entries', { query }),
  propose: (body) => request('POST', '/credit/entries', { body }),
  state: (uscc, id, text) => request('POST', `/credit/entries/${enc(uscc)}/${enc(id)}/statement`, { body: { text } }),
  decide: (uscc, id, uphold, reason) => request('POST', `/credit/entries/${enc(uscc)}/${enc(id)}/decision`, { body: { uphold, reason } }),
  standing: (uscc) => request('GET', `/suppliers/${enc(uscc)}/credit`),
  notices: (siteId) => request('GET', `/sites/${enc(siteId)}/credit-notices`),
}

export const alertsApi = {
  list: (siteId, status) => request('GET', `/sites/${enc(siteId)}/alerts`, { query: { status } }),
  get: (siteId, id) => request('GET', `/sites/${enc(siteId)}/alerts/${enc(id)}`),
  handle: (siteId, id, action, reason) => request('POST', `/sites/${enc(siteId)}/alerts/${enc(id)}/handle`, { body: { action, reason } }),
  rules: (siteId) => request('GET', `/sites/${enc(siteId)}/alert-rules`),
  reviseRules: (siteId, body) => request('PUT', `/sites/${enc(siteId)}/alert-rules`, { body }),
}

export const complaintsApi = {
  list: (siteId) => request('GET', `/sites/${enc(siteId)}/complaints`),
  file: (siteId, body) => request('POST', `/sites/${enc(siteId)}/complaints`, { body }),
  answer: (siteId, id, text) => request('POST', `/sites/${enc(siteId)}/complaints/${enc(id)}/answer`, { body: { text } }),
  withdraw: (siteId, id, text) => request('POST', `/sites/${enc(siteId)}/complaints/${enc(id)}/withdraw`, { body: { text } }),
  decide: (siteId, id, body) => request('POST', `/sites/${enc(siteId)}/complaints/${enc(id)}/decision`, { body }),
}

export const ticketsApi = {
  list: (siteId, query) => request('GET', `/sites/${enc(siteId)}/tickets`, { query }),
  ask: (siteId, body) => request('POST', `/sites/${enc(siteId)}/tickets`, { body }),
  logCall: (siteId, body) => request('POST', `/sites/${enc(siteId)}/tickets/calls`, { body }),
  answer: (siteId, id, text) => request('POST', `/sites/${enc(siteId)}/tickets/${enc(id)}/answer`, { body: { text } }),
  toFaq: (siteId, id) => request('POST', `/sites/${enc(siteId)}/tickets/${enc(id)}/faq`, { body: {} }),
  figures: (siteId, month) => request('GET', `/sites/${enc(siteId)}/tickets/figures`, { query: { month } }),
}

export const queueApi = {
  list: (siteId) => request('GET', `/sites/${enc(siteId)}/supervision/queue`),
}
