import { createApp } from 'vue'
import ElementPlus, { ElMessage } from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import 'dayjs/locale/zh-cn' // 日期选择器按中国习惯从周一开始
import './styles.css'

import App from './App.vue'
import { createAppRouter } from './router.js'
import { onUnauthorized } from './api/client.js'
import { clearSession, restoreSession } from './stores/session.js'
import { vSkeleton } from './directives/skeleton.js'

restoreSession()

const router = createAppRouter()

onUnauthorized(() => {
  clearSession()
  ElMessage.error('登录已失效，请重新登录')
  if (router.currentRoute.value.name !== 'login') router.replace({ path: '/login' })
})

createApp(App).use(ElementPlus, { locale: zhCn }).use(router).directive('skeleton', vSkeleton).mount('#app')
