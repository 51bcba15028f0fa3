// v-skeleton="正在加载"：加载超过 300 毫秒时，在元素上盖一层骨架屏（灰色条块），而不是转圈的加载图标；
// 300 毫秒内完成的加载什么也不显示，免得画面闪一下。
export const SKELETON_DELAY_MS = 300

const STATE = Symbol('skeleton')

function overlay(el) {
  const rows = Math.max(3, Math.min(10, Math.floor((el.clientHeight || 240) / 44)))
  const mask = document.createElement('div')
  mask.className = 'app-skeleton'
  mask.setAttribute('aria-busy', 'true')
  mask.setAttribute('aria-label', '正在加载')
  mask.dataset.testid = 'skeleton'
  for (let i = 0; i < rows; i++) {
    const row = document.createElement('div')
    row.className = 'app-skeleton-row'
    row.style.width = `${[92, 78, 86, 64, 96, 72][i % 6]}%`
    mask.appendChild(row)
  }
  return mask
}

function show(el) {
  const state = el[STATE]
  if (state.mask) return
  state.mask = overlay(el)
  if (getComputedStyle(el).position === 'static') {
    state.positioned = true
    el.style.position = 'relative'
  }
  el.appendChild(state.mask)
}

function hide(el) {
  const state = el[STATE]
  clearTimeout(state.timer)
  state.timer = null
  if (state.mask) {
    state.mask.remove()
    state.mask = null
  }
  if (state.positioned) {
    el.style.position = ''
    state.positioned = false
  }
}

function apply(el, loading) {
  const state = el[STATE]
  if (loading) {
    if (!state.timer && !state.mask) state.timer = setTimeout(() => show(el), SKELETON_DELAY_MS)
  } else {
    hide(el)
  }
}

export const vSkeleton = {
  mounted(el, binding) {
    el[STATE] = { timer: null, mask: null, positioned: false }
    apply(el, Boolean(binding.value))
  },
  updated(el, binding) {
    apply(el, Boolean(binding.value))
  },
  beforeUnmount(el) {
    hide(el)
  },
}
