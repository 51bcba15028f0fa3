// 共用的组合式函数、组件与查表工具。
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { h } from 'vue'
import { confirmed } from '../src/api/notify.js'
import { usePagedList } from '../src/composables/usePagedList.js'
import DayPicker from '../src/components/DayPicker.vue'
import EffectiveDateItem from '../src/components/EffectiveDateItem.vue'
import LoadMore from '../src/components/LoadMore.vue'
import StatusFilter from '../src/components/StatusFilter.vue'
import SupplierDocumentsTable from '../src/components/SupplierDocumentsTable.vue'
import {
  CHANGE_STATUS_TAG,
  DISTRICT_KIND_TAG,
  beforeToday,
  labelOf as labelOfFromFormat,
  pickerDate,
} from '../src/utils/format.js'
import { PLAN_STATUS_LABELS, SCALE_LABELS, labelOf, lookup, tagType } from '../src/utils/labels.js'
import { cleanupDom } from './helpers.js'

const plugins = [[ElementPlus, { locale: zhCn }]]

afterEach(() => {
  vi.useRealTimers()
  cleanupDom()
})

/** 可以手动决定何时返回的 fetchPage 替身。 */
function deferredPages() {
  const calls = []
  const fetchPage = vi.fn(
    (cursor, filter) =>
      new Promise((resolve, reject) => {
        calls.push({ cursor, filter, resolve, reject })
      }),
  )
  return { fetchPage, calls }
}

describe('usePagedList', () => {
  it('loads the first page, appends the next one without repeating rows, and stops at the last page', async () => {
    const pages = {
      '': { items: [{ id: 1 }, { id: 2 }], next_cursor: 'c2' },
      c2: { items: [{ id: 2 }, { id: 3 }], next_cursor: 'c3' },
      c3: { items: [{ id: 4 }], next_cursor: null },
    }
    const fetchPage = vi.fn(async (cursor) => pages[cursor || ''])
    const list = usePagedList(fetchPage)

    expect(list.items.value).toEqual([])
    expect(list.nextCursor.value).toBeNull()
    expect(list.loading.value).toBe(false)

    const first = list.reload()
    expect(list.loading.value).toBe(true)
    await first
    expect(fetchPage).toHaveBeenLastCalledWith(undefined, undefined)
    expect(list.items.value.map((i) => i.id)).toEqual([1, 2])
    expect(list.nextCursor.value).toBe('c2')
    expect(list.loading.value).toBe(false)

    await list.loadMore()
    expect(fetchPage).toHaveBeenLastCalledWith('c2', undefined)
    expect(list.items.value.map((i) => i.id)).toEqual([1, 2, 3])

    await list.loadMore()
    expect(list.items.value.map((i) => i.id)).toEqual([1, 2, 3, 4])
    expect(list.nextCursor.value).toBeNull()

    expect(list.loadMore()).toBeUndefined()
    expect(fetchPage).toHaveBeenCalledTimes(3)
  })

  it('de-duplicates by the given key and treats a missing body as an empty last page', async () => {
    const fetchPage = vi
      .fn()
      .mockResolvedValueOnce({ items: [{ uscc: 'A', id: 1 }], next_cursor: 'n' })
      .mockResolvedValueOnce({ items: [{ uscc: 'A', id: 2 }, { uscc: 'B', id: 3 }] })
      .mockResolvedValueOnce(null)
    const list = usePagedList(fetchPage, { key: 'uscc' })
    await list.reload()
    await list.loadMore()
    expect(list.items.value.map((i) => i.uscc)).toEqual(['A', 'B'])
    expect(list.items.value[0].id).toBe(1)
    expect(list.nextCursor.value).toBeNull()

    await list.reload()
    expect(list.items.value).toEqual([])
    expect(list.nextCursor.value).toBeNull()
  })

  it('replaces the rows on reload and clears them at once', async () => {
    const { fetchPage, calls } = deferredPages()
    const list = usePagedList(fetchPage)
    const first = list.reload()
    calls[0].resolve({ items: [{ id: 1 }], next_cursor: 'x' })
    await first

    const second = list.reload()
    expect(list.items.value).toEqual([])
    expect(list.nextCursor.value).toBeNull()
    calls[1].resolve({ items: [{ id: 9 }], next_cursor: null })
    await second
    expect(list.items.value).toEqual([{ id: 9 }])
  })

  it('passes the filter to fetchPage and drops a response whose filter has since changed', async () => {
    let status = 'pending'
    const { fetchPage, calls } = deferredPages()
    const list = usePagedList(fetchPage, { filter: () => status })

    const stale = list.reload()
    expect(calls[0].filter).toBe('pending')
    status = 'active'
    const fresh = list.reload()
    expect(calls[1].filter).toBe('active')

    calls[1].resolve({ items: [{ id: 'a1' }], next_cursor: null })
    await fresh
    calls[0].resolve({ items: [{ id: 'p1' }], next_cursor: 'p2' })
    await stale
    expect(list.items.value).toEqual([{ id: 'a1' }])
    expect(list.nextCursor.value).toBeNull()
    expect(list.loading.value).toBe(false)
  })

  it('shows the error in Chinese, keeps the loaded rows and ends loading', async () => {
    const error = vi.spyOn(ElMessage, 'error').mockImplementation(() => {})
    const fetchPage = vi
      .fn()
      .mockResolvedValueOnce({ items: [{ id: 1 }], next_cursor: 'c2' })
      .mockRejectedValueOnce(Object.assign(new Error('服务暂不可用'), { code: 'UNAVAILABLE' }))
      .mockRejectedValueOnce(Object.assign(new Error('登录已过期'), { handled: true }))
    const list = usePagedList(fetchPage)
    await list.reload()
    await list.loadMore()
    expect(error).toHaveBeenCalledWith('服务暂不可用')
    expect(list.items.value).toEqual([{ id: 1 }])
    expect(list.nextCursor.value).toBe('c2')
    expect(list.loading.value).toBe(false)

    await list.loadMore() // 已由全局处理的错误不再提示
    expect(error).toHaveBeenCalledTimes(1)
  })
})

describe('code-table lookups', () => {
  it('lookup returns own entries only, else the fallback', () => {
    expect(lookup(SCALE_LABELS, 'micro', '?')).toBe('微型')
    expect(lookup(SCALE_LABELS, 'huge', '?')).toBe('?')
    expect(lookup(SCALE_LABELS, 'toString', '?')).toBe('?')
    expect(lookup(SCALE_LABELS, undefined, null)).toBeNull()
  })

  it('labelOf and tagType are built on it; format.js re-exports the same labelOf', () => {
    expect(labelOfFromFormat).toBe(labelOf)
    expect(labelOf(SCALE_LABELS, 'small')).toBe('小型')
    expect(labelOf(SCALE_LABELS, 'huge')).toBe('huge')
    expect(labelOf(SCALE_LABELS, 7)).toBe('7')
    expect(labelOf(SCALE_LABELS, null)).toBe('')
    expect(labelOf(SCALE_LABELS, undefined)).toBe('')
    expect(labelOf(SCALE_LABELS, '')).toBe('')
    expect(tagType(CHANGE_STATUS_TAG, 'applied')).toBe('success')
    expect(tagType(CHANGE_STATUS_TAG, 'pending')).toBe('warning')
    expect(tagType(CHANGE_STATUS_TAG, 'gone')).toBe('info')
    expect(tagType(DISTRICT_KIND_TAG, 'city_level')).toBe('primary')
    expect(tagType(DISTRICT_KIND_TAG, 'functional_zone')).toBe('warning')
    expect(tagType(DISTRICT_KIND_TAG, undefined)).toBe('info')
  })
})

describe('date-picker helpers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
  })

  it('pickerDate reads the local calendar date the picker chose', () => {
    expect(pickerDate(new Date(2026, 0, 5))).toBe('2026-01-05')
    expect(pickerDate(new Date(2026, 10, 21, 23, 59))).toBe('2026-11-21')
  })

  it('beforeToday disables days before today in Beijing time, today stays selectable', () => {
    vi.setSystemTime(new Date('2026-11-21T04:00:00Z')) // 北京时间 11 月 21 日 12:00
    expect(beforeToday(new Date(2026, 10, 20))).toBe(true)
    expect(beforeToday(new Date(2026, 10, 21))).toBe(false)
    expect(beforeToday(new Date(2026, 10, 22))).toBe(false)
    vi.setSystemTime(new Date('2026-11-21T17:00:00Z')) // 北京时间已是 11 月 22 日
    expect(beforeToday(new Date(2026, 10, 21))).toBe(true)
  })
})

describe('StatusFilter', () => {
  it('shows 全部 plus every status and passes v-model, change and attributes to the radio group', async () => {
    const updates = []
    const changes = []
    const wrapper = mount(StatusFilter, {
      props: {
        labels: PLAN_STATUS_LABELS,
        modelValue: '',
        'onUpdate:modelValue': (v) => {
          updates.push(v)
          wrapper.setProps({ modelValue: v })
        },
        onChange: (v) => changes.push(v),
      },
      attrs: { 'data-testid': 'plan-status-filter' },
      global: { plugins },
      attachTo: document.body,
    })
    const group = wrapper.find('[data-testid="plan-status-filter"]')
    expect(group.classes()).toContain('el-radio-group')
    expect(wrapper.findAll('.el-radio-button').map((b) => b.text())).toEqual(['全部', '待接收', '已接收', '已退回'])
    expect(wrapper.find('.el-radio-button.is-active').text()).toBe('全部')

    await wrapper.findAll('input[type="radio"]')[2].setValue(true)
    await flushPromises()
    expect(updates).toEqual(['accepted'])
    expect(changes).toEqual(['accepted'])
    expect(wrapper.find('.el-radio-button.is-active').text()).toBe('已接收')
    wrapper.unmount()
  })
})

const DOCS = [
  { doc_id: 'd1', kind: 'business_license', file_name: '营业执照.pdf', size: 123456, uploaded_at: '2026-11-20T02:30:00Z', download_url: 'http://x/d1' },
  { doc_id: 'd2', kind: 'mystery', file_name: 'a.png', size: 100, uploaded_at: '2026-11-21T00:00:00Z' },
]

function headers(wrapper) {
  return wrapper.findAll('.el-table__header th').map((th) => th.text())
}

function colWidths(wrapper) {
  return wrapper.findAll('.el-table__header colgroup col').map((c) => c.attributes('width'))
}

describe('SupplierDocumentsTable', () => {
  it('lists kind, file name, size and upload time, with the action column from the slot', async () => {
    const wrapper = mount(SupplierDocumentsTable, {
      props: { documents: DOCS, emptyText: '暂无证照材料', actionLabel: '操作', actionWidth: '90' },
      attrs: { 'data-testid': 'doc-table' },
      slots: { action: ({ row }) => h('button', { class: 'del' }, `删除${row.doc_id}`) },
      global: { plugins },
      attachTo: document.body,
    })
    await flushPromises()
    const table = wrapper.find('[data-testid="doc-table"]')
    expect(table.classes()).toContain('el-table')
    expect(table.classes()).toContain('el-table--striped')
    expect(table.classes()).not.toContain('el-table--small')
    expect(headers(wrapper)).toEqual(['类型', '文件名', '大小', '上传时间', '操作'])
    expect(colWidths(wrapper).slice(0, 5)).toEqual(['140', '220', '110', '170', '90'])
    const rows = wrapper.findAll('.el-table__body tr').map((tr) => tr.findAll('td').map((td) => td.text()))
    expect(rows).toEqual([
      ['营业执照', '营业执照.pdf', '120.6 KB', '2026-11-20 10:30:00', '删除d1'],
      ['mystery', 'a.png', '100 B', '2026-11-21 08:00:00', '删除d2'],
    ])
    // 只为真实的行渲染操作内容（el-table-column 以空行试渲染插槽的那次不算）
    expect(wrapper.findAll('.del').map((b) => b.text())).toEqual(['删除d1', '删除d2'])
    wrapper.unmount()
  })

  it('compact: small, no stripes, narrower columns; no slot means no action column; shows the empty text', async () => {
    const wrapper = mount(SupplierDocumentsTable, {
      props: { documents: [], compact: true, emptyText: '未上传证照' },
      attrs: { 'data-testid': 'supplier-docs' },
      global: { plugins },
      attachTo: document.body,
    })
    await flushPromises()
    const table = wrapper.find('[data-testid="supplier-docs"]')
    expect(table.classes()).toContain('el-table--small')
    expect(table.classes()).not.toContain('el-table--striped')
    expect(headers(wrapper)).toEqual(['类型', '文件名', '大小', '上传时间'])
    expect(colWidths(wrapper).slice(0, 4)).toEqual(['120', '200', '90', '160'])
    expect(wrapper.find('.el-table__empty-text').text()).toBe('未上传证照')
    wrapper.unmount()
  })
})

describe('DayPicker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-21T04:00:00Z')) // 北京时间 11 月 21 日 12:00
  })

  function picker(props) {
    return mount(DayPicker, { props: { modelValue: '', ...props }, attrs: { 'data-testid': 'day' }, global: { plugins } })
  }

  it('lets today be chosen by default and only later days with after="today"', () => {
    const from = picker({}).findComponent({ name: 'ElDatePicker' }).props('disabledDate')
    expect(from(new Date(2026, 10, 20))).toBe(true)
    expect(from(new Date(2026, 10, 21))).toBe(false)
    const later = picker({ after: 'today' }).findComponent({ name: 'ElDatePicker' }).props('disabledDate')
    expect(later(new Date(2026, 10, 21))).toBe(true)
    expect(later(new Date(2026, 10, 22))).toBe(false)
  })

  it('gives the day as YYYY-MM-DD, keeps the test id on its root and passes placeholder and clearable', () => {
    const wrapper = picker({ placeholder: '不选则立即生效', clearable: true })
    const inner = wrapper.findComponent({ name: 'ElDatePicker' })
    expect(inner.props('valueFormat')).toBe('YYYY-MM-DD')
    expect(inner.props('format')).toBe('YYYY-MM-DD')
    expect(inner.props('clearable')).toBe(true)
    expect(wrapper.attributes('data-testid')).toBe('day')
    expect(wrapper.find('input').attributes('placeholder')).toBe('不选则立即生效')
  })
})

describe('confirmed', () => {
  afterEach(() => vi.restoreAllMocks())

  it('is true when confirmed, false when cancelled or closed, and passes the wording through', async () => {
    const box = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValueOnce('confirm')
    expect(await confirmed('确定清空吗？', '清空购物车', { type: 'warning', confirmText: '清空' })).toBe(true)
    expect(box).toHaveBeenCalledWith('确定清空吗？', '清空购物车', {
      confirmButtonText: '清空',
      cancelButtonText: '取消',
      type: 'warning',
    })
    box.mockRejectedValueOnce('cancel')
    expect(await confirmed('确定吗？', '审核通过')).toBe(false)
    expect(box).toHaveBeenLastCalledWith('确定吗？', '审核通过', { confirmButtonText: '确定', cancelButtonText: '取消', type: 'info' })
    box.mockRejectedValueOnce('close')
    expect(await confirmed('确定吗？', '审核通过')).toBe(false)
  })
})

describe('LoadMore', () => {
  it('offers 加载更多 while there is a next page, then says all is loaded, and nothing for an empty list', async () => {
    const wrapper = mount(LoadMore, { props: { more: true, loading: false, count: 20 }, global: { plugins } })
    const button = wrapper.find('[data-testid="load-more"]')
    expect(button.text()).toBe('加载更多')
    await button.trigger('click')
    expect(wrapper.emitted('more')).toHaveLength(1)
    await wrapper.setProps({ more: false, count: 23, doneText: '已显示全部 23 件商品' })
    expect(wrapper.find('[data-testid="load-more"]').exists()).toBe(false)
    expect(wrapper.text()).toBe('已显示全部 23 件商品')
    await wrapper.setProps({ count: 0 })
    expect(wrapper.text()).toBe('')
  })
})

describe('EffectiveDateItem', () => {
  it('labels the field 生效日期 and says when the change takes effect', async () => {
    const wrapper = mount(EffectiveDateItem, {
      props: { modelValue: '' },
      global: { plugins },
      attachTo: document.body,
    })
    expect(wrapper.find('.el-form-item__label').text()).toBe('生效日期')
    expect(wrapper.find('input').attributes('placeholder')).toBe('不选则立即生效')
    expect(wrapper.find('.hint').text()).toBe('立即生效')
    await wrapper.setProps({ modelValue: '2026-12-01' })
    expect(wrapper.find('.hint').text()).toBe('2026-12-01 起生效')
    wrapper.unmount()
  })
})
