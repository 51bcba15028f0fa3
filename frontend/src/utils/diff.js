// 审计事件的辅助判断。字段名称与取值的中文显示由服务端给出（事件的 changes），前端不再另备一份对照表。

export function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
