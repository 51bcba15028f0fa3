// 站内信（docs/api.md「Notifications」）：本单位的消息、未读数、标记已读。
import { request } from './client.js'

export const notificationsApi = {
  list: ({ unread = false, cursor } = {}) =>
    request('GET', '/me/notifications', { query: { unread: unread ? 'true' : undefined, cursor } }),
  unread: () => request('GET', '/me/notifications/unread'),
  read: (id) => request('POST', `/me/notifications/${encodeURIComponent(id)}/read`, { body: {} }),
  readAll: () => request('POST', '/me/notifications/read-all', { body: {} }),
}
