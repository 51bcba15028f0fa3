// vi.waitFor gives up after 1 s by default: on a loaded machine a mount can take longer. Wait for the
// condition as long as a hanging test may run (vite.config.js), polling often so a fast machine stays fast.
import { vi } from 'vitest'

const waitFor = vi.waitFor.bind(vi)
vi.waitFor = (callback, options) => {
  const given = typeof options === 'number' ? { timeout: options } : options || {}
  return waitFor(callback, { interval: 20, ...given, timeout: Math.max(given.timeout || 0, 60_000) })
}
