import { startDistributedStack } from '@hostlink/testing';
import { describeHostFiles } from '../support/host-files.suite.js';

const heartbeatSeconds = 1;

// The same suite as the embedded platform's, against every service as its own process on NATS, Redis
// and Postgres: two brokers, two poll instances behind one address, two relays.
describeHostFiles({
  label: 'distributed platform',
  start: () => startDistributedStack({ heartbeatSeconds }),
  // The poll service's presence TTL (three heartbeats), and a heartbeat more for the last one in flight.
  presenceTtlMs: 4 * heartbeatSeconds * 1000,
});
