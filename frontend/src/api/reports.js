// 统计报表（docs/api.md「Finance reports」）：站点或全省的年度、月度报表，下载与重新生成。
import { request } from './client.js'

const enc = encodeURIComponent
/** scope：站点 id，或 'shandong'（全省）。 */
const base = (scope) => (scope === 'shandong' ? '/province/reports' : `/sites/${enc(scope)}/reports`)

export const reportsApi = {
  list: (scope) => request('GET', base(scope)),
  detail: (scope, period) => request('GET', `${base(scope)}/${enc(period)}`),
  regenerate: (scope, period) => request('POST', `${base(scope)}/${enc(period)}/jobs`, { body: {} }),
  job: (scope, period, jobId) => request('GET', `${base(scope)}/${enc(period)}/jobs/${enc(jobId)}`),
}
