export * from './gateway.module.js';
export * from './http/configure-gateway-http.js';
