// 站点列表与当前站点配置。
import { api } from '../api/client.js'
import { applyTheme } from '../utils/theme.js'
import { session } from './session.js'

export async function loadSites() {
  const data = await api.sites()
  session.sites = (data && data.items) || []
  return session.sites
}

/** 读取当前站点配置，并据此设置页面标题与主题色。 */
export async function loadSiteConfig(siteId = session.siteId) {
  const config = await api.siteConfig(siteId)
  if (siteId !== session.siteId) return config // 期间已切换站点，丢弃过期结果
  session.config = config
  const look = (config && config.look) || {}
  if (look.title) document.title = look.title
  if (look.theme_color) applyTheme(look.theme_color)
  return config
}
