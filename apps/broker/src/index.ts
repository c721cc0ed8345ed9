export { BrokerModule } from './broker.module.js';
export type { BrokerOptions, ConfiguredRelay } from './broker.options.js';
