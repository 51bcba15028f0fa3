import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import CatalogView from '../src/views/CatalogView.vue'
import { compare, restoreCompare } from '../src/stores/compare.js'
import { saveLogin, session } from '../src/stores/session.js'
import { CONFIG, card } from './fixtures.js'
import { BUYER, cleanupDom, mockFetch, resetApp } from './helpers.js'
import { mountView } from './mount.js'

function mountCatalog(path = '/catalog') {
  return mountView(CatalogView, {
    at: path,
    routes: [
      { path: '/catalog', component: CatalogView },
      { path: '/catalog/:id', component: { template: '<div>商品详情</div>' } },
      { path: '/compare', component: { template: '<div>商品对比</div>' } },
    ],
  })
}

const pens = [card('p1', '得力 S01 中性笔 0.5mm 黑色 12 支/盒', 1800), card('p2', '晨光 K35 按动中性笔', 1650, {
  brand: '晨光',
  model: 'K35',
  supplier: { uscc: '92371581MA3E9M6X3A', name: '临清市博文文体用品商行', scale: 'micro', rating: { count: 0, average: null } },
})]

function query(url) {
  return Object.fromEntries(new URL(url).searchParams)
}

beforeEach(() => {
  resetApp()
  sessionStorage.clear()
  restoreCompare()
  saveLogin({ token: 'tok', expires_in: 3600, user: BUYER }, 'liaocheng')
  session.config = CONFIG
})

afterEach(cleanupDom)

describe('CatalogView', () => {
  it('browses the first category, pages with next_cursor and filters by price in 元', async () => {
    const fetch = mockFetch({
      'GET /sites/liaocheng/catalog': (url) => {
        const q = query(url)
        if (q.cursor === 'c2') return [200, { items: [card('p3', '真彩 GP-009 签字笔', 1500)], next_cursor: null }]
        return [200, { items: pens, next_cursor: q.min_price_fen ? null : 'c2' }]
      },
      'GET /sites/liaocheng/catalog/brands': [200, { items: [{ brand: '得力', count: 2 }, { brand: '晨光', count: 1 }] }],
    })
    const { wrapper, router } = await mountCatalog()
    const browse = fetch.mock.calls.find(([u]) => new URL(u).pathname === '/sites/liaocheng/catalog')
    expect(query(browse[0])).toEqual({ limit: '20', category: 'LC-01' })
    expect(browse[1].headers.Authorization).toBe('Bearer tok')
    expect(router.currentRoute.value.query).toEqual({ category: 'LC-01' })
    const items = wrapper.findAll('[data-testid="catalog-item"]')
    expect(items).toHaveLength(2)
    expect(items[0].text()).toContain('¥18.00')
    expect(items[0].text()).toContain('聊城市东昌府区鑫诚办公用品有限公司')
    expect(items[0].text()).toContain('小型')
    expect(items[0].text()).toContain('★ 4.8（12）')
    expect(items[1].text()).toContain('暂无评价')
    expect(items[1].text()).toContain('微型')

    await wrapper.find('[data-testid="catalog-load-more"]').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid="catalog-item"]')).toHaveLength(3)
    expect(query(fetch.mock.calls.at(-1)[0]).cursor).toBe('c2')
    expect(wrapper.text()).toContain('已显示全部 3 件商品')

    await wrapper.find('[data-testid="catalog-min-price"]').setValue('16.5')
    await wrapper.find('[data-testid="catalog-max-price"]').setValue('20')
    await wrapper.find('[data-testid="catalog-max-price"]').trigger('keyup', { key: 'Enter' })
    await flushPromises()
    const q = query(fetch.mock.calls.at(-1)[0])
    expect(q.min_price_fen).toBe('1650')
    expect(q.max_price_fen).toBe('2000')
    expect(q.cursor).toBeUndefined()
    wrapper.unmount()
  })

  it('searches by keyword, shows the matched category and adds items to the compare bar', async () => {
    const fetch = mockFetch({
      'GET /sites/liaocheng/catalog': [200, { items: [], next_cursor: null }],
      'GET /sites/liaocheng/catalog/brands': [200, { items: [] }],
      'GET /sites/liaocheng/catalog/search': [200, { items: pens, next_cursor: null, matched_category: { id: 'LC-0101', name: '签字笔' } }],
    })
    const { wrapper, router } = await mountCatalog()
    expect(wrapper.text()).toContain('该分类下暂无符合条件的商品')

    const box = wrapper.find('input[placeholder="搜索商品名称、品牌、型号"]')
    await box.setValue('签字笔')
    const button = wrapper.find('[data-testid="catalog-search-button"]')
    expect(button.text()).toBe('搜索')
    await button.trigger('click')
    await flushPromises()

    const [url] = fetch.mock.calls.find(([u]) => u.includes('/catalog/search'))
    expect(query(url)).toEqual({ limit: '20', q: '签字笔' })
    expect(router.currentRoute.value.query).toEqual({ q: '签字笔' })
    expect(wrapper.find('[data-testid="matched-category"]').text()).toBe('已匹配品目：签字笔')
    const items = wrapper.findAll('[data-testid="catalog-item"]')
    expect(items).toHaveLength(2)

    // 加入对比
    await items[0].find('[data-testid="compare-toggle"] input').setValue(true)
    await items[1].find('[data-testid="compare-toggle"] input').setValue(true)
    await flushPromises()
    expect(compare.items.map((i) => i.id)).toEqual(['p1', 'p2'])
    const bar = wrapper.find('[data-testid="compare-bar"]')
    expect(bar.text()).toContain('（2/4）')
    await bar.find('[data-testid="compare-go"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/compare?ids=p1,p2')
    wrapper.unmount()
  })

  it('searches without a matched category and with a sort', async () => {
    const fetch = mockFetch({
      'GET /sites/liaocheng/catalog': [200, { items: [], next_cursor: null }],
      'GET /sites/liaocheng/catalog/brands': [200, { items: [] }],
      'GET /sites/liaocheng/catalog/search': [200, { items: [], next_cursor: null, matched_category: null }],
    })
    const { wrapper } = await mountCatalog('/catalog?q=%E4%B8%8D%E5%AD%98%E5%9C%A8')
    const [url] = fetch.mock.calls.find(([u]) => u.includes('/catalog/search'))
    expect(query(url).q).toBe('不存在')
    expect(wrapper.find('[data-testid="matched-category"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('没有找到与“不存在”相关的商品')
    wrapper.unmount()
  })

  it('pages a search by number and shows its counts per category', async () => {
    const fetch = mockFetch({
      'GET /sites/liaocheng/catalog': [200, { items: [], next_cursor: null }],
      'GET /sites/liaocheng/catalog/brands': [200, { items: [] }],
      'GET /sites/liaocheng/catalog/search': [200, {
        items: pens, next_cursor: 'c2', matched_category: null, total: 45, total_exact: true, page: 1, pages: 3,
        categories: [{ id: 'LC-0101', name: '签字笔', count: 30 }, { id: 'LC-0107', name: '复印纸', count: 15 }],
      }],
    })
    const { wrapper } = await mountCatalog('/catalog?q=%E5%BE%97%E5%8A%9B')
    await flushPromises()
    expect(wrapper.find('[data-testid="search-categories"]').text()).toContain('签字笔（30）')
    expect(wrapper.find('[data-testid="search-categories"]').text()).toContain('复印纸（15）')
    const pager = wrapper.find('[data-testid="catalog-pages"]')
    expect(pager.exists()).toBe(true)
    const third = pager.findAll('.el-pager li').find((li) => li.text() === '3')
    await third.trigger('click')
    await flushPromises()
    const urls = fetch.mock.calls.map(([u]) => u).filter((u) => u.includes('/catalog/search'))
    expect(query(urls.at(-1))).toEqual({ limit: '20', q: '得力', page: '3' })
    wrapper.unmount()
  })
})
