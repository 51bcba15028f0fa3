// 把扁平的品目列表（parent_id 为空表示顶级）组装成 el-tree 所需的树；同级按 sort（若有）排序。
function bySort(a, b) {
  const sa = Number.isFinite(a.sort) ? a.sort : Infinity
  const sb = Number.isFinite(b.sort) ? b.sort : Infinity
  return sa === sb ? a._index - b._index : sa - sb
}

function strip(node) {
  const { _index, ...rest } = node
  rest.children = node.children.sort(bySort).map(strip)
  return rest
}

export function buildCategoryTree(categories) {
  const nodes = new Map()
  ;(categories || []).forEach((c, i) => nodes.set(c.id, { ...c, _index: i, children: [] }))
  const roots = []
  for (const node of nodes.values()) {
    const parent = node.parent_id ? nodes.get(node.parent_id) : null
    if (parent && parent !== node) parent.children.push(node)
    else roots.push(node) // 顶级，或上级品目缺失时挂在顶级，避免数据丢失
  }
  return roots.sort(bySort).map(strip)
}
