import { performance } from 'node:perf_hooks';
import { createDuplexLink } from '../node/duplex-link.adapter.js';
import { createNodeCryptoBackend } from '../node/node-crypto.backend.js';
import { StreamMux } from '../mux/stream-mux.js';
import { connectedChannels, tcpSocketPair } from './channel-pair.fixture.js';

/** Usage: node libs/secure-channel/dist/testing/mux-throughput.bench.js [MiB] */
const mebibytes = Number(process.argv[2] ?? 256);
const { client, server, stop } = await tcpSocketPair();
const backend = createNodeCryptoBackend();
const [a, b] = await connectedChannels({
  initiatorBackend: backend,
  responderBackend: backend,
  links: [createDuplexLink(client), createDuplexLink(server)],
});
const [sender, receiver] = [new StreamMux(a), new StreamMux(b)];
const incoming = new Promise<import('../mux/mux-stream.js').MuxStream>((resolve) =>
  receiver.onStream(resolve),
);
const block = new Uint8Array(1024 * 1024).fill(7);
const started = performance.now();
const sending = (async () => {
  const stream = sender.openStream();
  for (let i = 0; i < mebibytes; i++) await stream.write(block);
  await stream.end();
})();
let received = 0;
for await (const chunk of await incoming) received += chunk.length;
await sending;
const seconds = (performance.now() - started) / 1000;
console.log(
  `${mebibytes} MiB in ${seconds.toFixed(2)} s: ${(received / 1024 / 1024 / seconds).toFixed(0)} MiB/s`,
);
sender.close();
stop();
