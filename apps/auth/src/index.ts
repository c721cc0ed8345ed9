export { AuthModule } from './auth.module.js';
export type { AuthOptions } from './auth.options.js';
export { samlClockSkew } from './main/auth.config.js';
