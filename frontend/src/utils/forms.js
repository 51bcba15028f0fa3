// 表单的共用规则与显示（各下单、报名、发起对话框共用）。

/** Element Plus 的必填规则：失焦时提示。 */
export const required = (message) => [{ required: true, message, trigger: 'blur' }]

/** 收货（或服务）信息的必填规则。 */
export function deliveryRules(place = '收货地址', day = '要求到货日期') {
  return {
    address: required(`请填写${place}`),
    contact: required('请填写联系人'),
    phone: required('请填写联系电话'),
    expected_date: required(`请选择${day}`),
  }
}

/** 采购计划下拉选项的文字：编号 · 名称（可用余额）。 */
export function planLabel(plan, formatYuan) {
  return `${plan.plan_no} · ${plan.name}（余额 ${formatYuan(plan.balance_fen)} 元）`
}
