import { startEmbeddedStack } from '@hostlink/testing';
import { describeHostFiles } from './support/host-files.suite.js';

describeHostFiles({
  label: 'embedded platform',
  start: () => startEmbeddedStack(),
  // Three heartbeat intervals at the default HOSTLINK_HEARTBEAT_SECONDS.
  presenceTtlMs: 3 * 5_000,
});
