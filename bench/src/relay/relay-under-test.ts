import { randomBytes } from 'node:crypto';
import { freePort, ServiceProcess } from '@hostlink/testing';
import { BrokerStandIn } from './broker-stand-in.js';

const NATS_URL = 'nats://127.0.0.1:4222';
const ISSUER_BASE = 'http://127.0.0.1:1';

/** One real relay process (`node apps/relay/dist/main.js`, environment only) and a broker stand-in. */
export interface RelayUnderTest {
  readonly process: ServiceProcess;
  readonly tcpUrl: string;
  readonly wsUrl: string;
  tickets(): Promise<{ client: string; agent: string }>;
  close(): Promise<void>;
}

export async function startRelay(): Promise<RelayUnderTest> {
  const nats = { url: NATS_URL, subjectPrefix: `bench-relay-${randomBytes(4).toString('hex')}` };
  const broker = await BrokerStandIn.start(nats, `${ISSUER_BASE}/broker`);
  const [port, opsPort] = [await freePort(), await freePort()];
  const relayId = 'bench-relay';
  const relay = new ServiceProcess(
    'relay',
    'relay',
    {
      NATS_URL: nats.url,
      NATS_SUBJECT_PREFIX: nats.subjectPrefix,
      INSTANCE_ID: relayId,
      HOST: '127.0.0.1',
      PORT: String(port),
      OPS_PORT: String(opsPort),
      RELAY_PUBLIC_URL: `ws://127.0.0.1:${port}/relay`,
      PUBLIC_URL: ISSUER_BASE,
      LOG_LEVEL: 'warn',
    },
    opsPort,
  );
  await relay.start();
  // The relay runs in a process group of its own: a bench that crashes must not leave it running.
  const pid = relay.pid;
  process.once('exit', () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return {
    process: relay,
    tcpUrl: `tcp://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/relay`,
    tickets: () => broker.ticketPair(relayId),
    close: async () => {
      await relay.stop();
      await broker.close();
    },
  };
}
