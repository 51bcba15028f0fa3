import { ref } from 'vue'
import { showError } from '../api/notify.js'

/**
 * 游标分页列表（接口返回 {items, next_cursor}）：
 * reload() 清空后从第一页重新加载，loadMore() 追加下一页（按 key 去掉已加载的行）。
 *
 * @param {(cursor: string|undefined, filter: any) => Promise<{items?: object[], next_cursor?: string|null}>} fetchPage
 *   取一页；cursor 为空表示第一页，filter 为发请求时 options.filter() 的值。
 * @param {{key?: string, filter?: () => any}} [options]
 *   key：行的唯一键，默认 'id'；
 *   filter：当前筛选条件（如状态标签）。请求返回时条件已变，则丢弃这次结果。
 */
export function usePagedList(fetchPage, { key = 'id', filter = () => undefined } = {}) {
  const items = ref([])
  const nextCursor = ref(null)
  const loading = ref(false)

  async function load(cursor) {
    const wanted = filter()
    loading.value = true
    try {
      const data = await fetchPage(cursor, wanted)
      if (wanted !== filter()) return // 期间切换了筛选条件
      const page = (data && data.items) || []
      if (cursor) {
        const seen = new Set(items.value.map((i) => i[key]))
        items.value = items.value.concat(page.filter((p) => !seen.has(p[key])))
      } else {
        items.value = page
      }
      nextCursor.value = (data && data.next_cursor) || null
    } catch (err) {
      showError(err)
    } finally {
      loading.value = false
    }
  }

  function reload() {
    items.value = []
    nextCursor.value = null
    return load(undefined)
  }

  function loadMore() {
    return nextCursor.value ? load(nextCursor.value) : undefined
  }

  return { items, nextCursor, loading, reload, loadMore }
}
