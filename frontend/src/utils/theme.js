// 按站点主题色设置 Element Plus 的主色及其深浅变体。

function parseHex(color) {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(color || '').trim())
  if (!m) return null
  let hex = m[1]
  if (hex.length === 3) hex = hex.split('').map((c) => c + c).join('')
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16))
}

function toHex(rgb) {
  return '#' + rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')
}

/** 与 target 按 weight（0–1）混合。 */
export function mix(color, target, weight) {
  const a = parseHex(color)
  const b = parseHex(target)
  if (!a || !b) return null
  return toHex(a.map((v, i) => v * (1 - weight) + b[i] * weight))
}

export function isValidColor(color) {
  return parseHex(color) !== null
}

export function applyTheme(color, root = document.documentElement) {
  if (!isValidColor(color)) return
  const base = toHex(parseHex(color))
  root.style.setProperty('--el-color-primary', base)
  for (const level of [3, 5, 7, 8, 9]) {
    root.style.setProperty(`--el-color-primary-light-${level}`, mix(base, '#ffffff', level / 10))
  }
  root.style.setProperty('--el-color-primary-dark-2', mix(base, '#000000', 0.2))
  root.style.setProperty('--app-theme-color', base)
}
