import { ElMessage } from 'element-plus'

/** 显示 API 错误的中文说明；已由全局处理的错误（如 401）不再重复提示。 */
export function showError(err, fallback = '操作失败，请稍后重试') {
  if (err && err.handled) return
  ElMessage.error((err && err.message) || fallback)
}
