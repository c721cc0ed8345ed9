/**
 * The baseline for broker requests: a bare nats.js responder that answers every request on one subject
 * with its own body, nothing else in the way (no Nest, no validation, no database). Its own process, as the
 * broker is.
 *
 *   node bench/dist/broker/echo-responder.js <nats-url> <subject>
 */
import { connect } from '@nats-io/transport-node';

const [url, subject] = process.argv.slice(2);
if (!url || !subject) throw new Error('usage: echo-responder.js <nats-url> <subject>');
const nats = await connect({ servers: url });
nats.subscribe(subject, {
  callback: (error, message) => {
    if (!error) message.respond(message.data);
  },
});
await nats.flush();
console.log(`echo responder ready on ${subject}`);
process.once('SIGTERM', () => void nats.close().then(() => process.exit(0)));
