// 运行时配置：本地服务与部署流程会覆盖本文件。
window.APP_CONFIG = { apiBase: "http://127.0.0.1:8000" }
