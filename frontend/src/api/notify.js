import { ElMessage, ElMessageBox } from 'element-plus'

/** 显示 API 错误的中文说明；已由全局处理的错误（如 401）不再重复提示。 */
export function showError(err, fallback = '操作失败，请稍后重试') {
  if (err && err.handled) return
  ElMessage.error((err && err.message) || fallback)
}

/** 确认框：点确认按钮为 true，取消或关闭为 false（不抛异常，调用处直接 if (!ok) return）。 */
export function confirmed(message, title, { type = 'info', confirmText = '确定' } = {}) {
  return ElMessageBox.confirm(message, title, { confirmButtonText: confirmText, cancelButtonText: '取消', type })
    .then(() => true)
    .catch(() => false)
}
