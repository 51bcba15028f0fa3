// 站内信未读数（页头的角标）：登录后读取，每分钟刷新一次，消息中心操作后立即更新。
import { reactive } from 'vue'
import { notificationsApi } from '../api/notifications.js'

export const inbox = reactive({ unread: 0 })
const REFRESH_MS = 60_000
let timer = null

export async function refreshUnread() {
  try {
    const data = await notificationsApi.unread()
    inbox.unread = Number(data?.unread) || 0
  } catch {
    // 角标读取失败不打扰用户；下次刷新再试。
  }
}

export function setUnread(count) {
  inbox.unread = Number(count) || 0
}

export function watchUnread() {
  stopWatchingUnread()
  refreshUnread()
  timer = setInterval(refreshUnread, REFRESH_MS)
}

export function stopWatchingUnread() {
  if (timer) clearInterval(timer)
  timer = null
}
