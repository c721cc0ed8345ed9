export * from './gateway.module.js';
export * from './http/configure-gateway-http.js';
export type { WebOptions } from './web/web.options.js';
export { webSocketOrigins } from './web/web-csp.js';
