import { connect } from '@nats-io/transport-node';
import type { NatsBusOptions } from '../nats.transport.js';
import { EventStream } from './event-stream.js';

/** Removes the durable event stream of a test run's subject prefix. */
export async function deleteEventStream(options: NatsBusOptions): Promise<void> {
  const nats = await connect({ servers: options.servers });
  try {
    await new EventStream(nats, [], options.subjectPrefix).delete();
  } finally {
    await nats.close();
  }
}
