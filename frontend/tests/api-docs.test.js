import { describe, expect, it } from 'vitest'
import { describeSchema, errorRows, fieldsOf, operationsOf } from '../src/utils/apiDocs.js'

const doc = {
  paths: {
    '/sites/{site_id}/orders': {
      post: {
        'x-title': '订单 · 新建',
        tags: ['订单'],
        'x-role-names': ['采购人'],
        parameters: [{ name: 'site_id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z]{2,20}$' } }, { $ref: '#/components/parameters/IdempotencyKey' }],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NewOrderBody' } } } },
        'x-error-codes': { PLAN_BALANCE_INSUFFICIENT: { status: 422, message: '采购计划可用余额不足' } },
        responses: { '2XX': { content: { 'application/json': { schema: { $ref: '#/components/schemas/OrderView' } } } } },
      },
    },
    '/integration/plans': { post: { 'x-title': '平台对接 · 采购计划', tags: ['采购计划'], 'x-role-names': [] } },
    '/health': { get: { 'x-title': '健康检查 · 查询', tags: ['站点配置'], 'x-role-names': [] } },
  },
  components: {
    parameters: { IdempotencyKey: { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } } },
    schemas: {
      NewOrderBody: {
        type: 'object',
        required: ['plan_no', 'lines'],
        properties: {
          plan_no: { type: 'string', minLength: 1, maxLength: 40 },
          lines: { type: 'array', minItems: 1, maxItems: 20, items: { $ref: '#/components/schemas/Line' } },
          note: { anyOf: [{ type: 'string', maxLength: 200 }, { type: 'null' }] },
        },
      },
      OrderView: {
        type: 'object',
        required: ['order_no', 'total_fen'],
        properties: { order_no: { type: 'string' }, total_fen: { type: 'integer', minimum: 0, description: '订单金额（分）' }, note: { type: 'string' } },
      },
      Line: { type: 'object', required: ['quantity'], properties: { listing_id: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } } },
    },
  },
}

describe('接口文档', () => {
  it('shows every status a code comes with', () => {
    expect(errorRows({ UPLOAD_NOT_FOUND: { status: 400, statuses: [400, 404], message: '附件未上传成功' } })).toEqual([
      { code: 'UPLOAD_NOT_FOUND', status: '400、404', message: '附件未上传成功' },
    ])
  })

  it('says types and limits in Chinese', () => {
    expect(describeSchema({ type: 'string', minLength: 1, maxLength: 40 })).toBe('文本，1–40 字')
    expect(describeSchema({ type: 'integer', minimum: 0 })).toBe('整数，≥ 0')
    expect(describeSchema({ enum: ['a', 'b'] })).toBe('取值：a、b')
    expect(describeSchema({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toBe('文本（可为空）')
  })

  it('reads an event schema with its own $defs', () => {
    const event = { properties: { buyer: { $ref: '#/$defs/Party' } }, required: ['buyer'], $defs: { Party: { properties: { uscc: { type: 'string' } } } } }
    expect(fieldsOf(event, event).map((r) => [r.name, r.type])).toEqual([['buyer', '对象'], ['buyer.uscc', '文本']])
  })

  it('lists fields of nested objects and lists', () => {
    const rows = fieldsOf(doc.components.schemas.NewOrderBody, doc)
    expect(rows.map((r) => r.name)).toEqual(['plan_no', 'lines', 'lines[].listing_id', 'lines[].quantity', 'note'])
    expect(rows.find((r) => r.name === 'lines[].quantity')).toMatchObject({ required: true, type: '整数，≥ 1' })
  })

  it('says who calls each operation, with its parameters and errors', () => {
    const ops = operationsOf(doc)
    const order = ops.find((o) => o.key === 'post /sites/{site_id}/orders')
    expect(order.callers).toBe('采购人')
    expect(order.parameters.map((p) => p.name)).toEqual(['site_id', 'Idempotency-Key'])
    expect(order.answer.map((f) => [f.name, f.required, f.type])).toEqual([
      ['order_no', true, '文本'],
      ['total_fen', true, '整数，≥ 0，订单金额（分）'],
      ['note', false, '文本'],
    ])
    expect(ops.find((o) => o.path === '/health').answer).toEqual([])
    expect(order.errors).toEqual([{ code: 'PLAN_BALANCE_INSUFFICIENT', status: '422', message: '采购计划可用余额不足' }])
    expect(ops.find((o) => o.path === '/integration/plans').callers).toBe('对接平台（签名认证）')
    expect(ops.find((o) => o.path === '/health').callers).toBe('公开（无需登录）')
  })
})
