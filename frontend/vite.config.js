import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// 静态托管于 S3（无路由重写）：相对路径 + hash 路由。
export default defineConfig({
  base: './',
  plugins: [vue()],
  build: {
    // Element Plus 全量引入，单个 chunk 约 1 MB，对后台管理系统可以接受。
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.js'],
    css: false,
    // CI runs on a busy 2-core machine: no test may fail because the machine is slow. Tests wait
    // for conditions (vi.waitFor, see tests/setup.js), and these limits only stop a test that hangs.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    setupFiles: ['tests/setup.js'],
    // Node 直接加载 element-plus 时，async-validator 走 CJS 入口，默认导出不是构造函数，
    // 表单校验在测试中会静默失效；让 Vite 处理 element-plus 即可使用其 ESM 入口。
    server: { deps: { inline: ['element-plus'] } },
  },
})
