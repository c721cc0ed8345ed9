import { type Figure, figure } from './figure.js';

interface Latency {
  p50: number;
  p99: number;
}
interface SequentialAndConcurrent {
  sequential: Latency;
  concurrent: Latency;
}
interface HttpRun {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}
interface Memory {
  rssBytes: number;
}

/** What bench/results/<date>-broker.json holds that the table shows. */
export interface BrokerResults {
  concurrency: number;
  nats: {
    echo: SequentialAndConcurrent;
    listHosts: SequentialAndConcurrent;
    connect: SequentialAndConcurrent;
  };
  listing: { hosts: number; http: { hosts: HttpRun; live: HttpRun; bare: HttpRun } };
  agentMemory: { agent: Memory; bareWs: Memory };
}

/** Broker requests against a bare nats.js echo, the gateway's host listing, the agent's idle memory. */
export function brokerFigures(raw: BrokerResults): Figure[] {
  const { echo, connect, listHosts } = raw.nats;
  const { http, hosts } = raw.listing;
  const bare = (label: string, value: number) => ({ label, value });
  return [
    figure({
      label: 'broker connect over NATS, p50 (one at a time)',
      unit: 'ms',
      samples: [connect.sequential.p50],
      baseline: bare('bare nats.js echo, p50', echo.sequential.p50),
      target: { text: '≤ 2x', met: ({ ratio }) => ratio <= 2 },
    }),
    figure({
      label: 'broker connect over NATS, p99 (one at a time)',
      unit: 'ms',
      samples: [connect.sequential.p99],
      baseline: bare('bare nats.js echo, p99', echo.sequential.p99),
      target: { text: '< 3 ms', met: ({ p50 }) => p50 < 3 },
    }),
    figure({
      label: `broker connect over NATS, p99 (${raw.concurrency} in flight)`,
      unit: 'ms',
      samples: [connect.concurrent.p99],
      baseline: bare(`bare nats.js echo, p99 (${raw.concurrency} in flight)`, echo.concurrent.p99),
    }),
    figure({
      label: 'broker host list (1 host) over NATS, p50',
      unit: 'ms',
      samples: [listHosts.sequential.p50],
      baseline: bare('bare nats.js echo, p50', echo.sequential.p50),
    }),
    figure({
      label: `gateway GET /api/v1/hosts, ${hosts} hosts in the account`,
      unit: 'req/s',
      samples: [http.hosts.requestsPerSecond],
      baseline: bare('bare node:http, same body', http.bare.requestsPerSecond),
    }),
    figure({
      label: `gateway GET /api/v1/hosts, ${hosts} hosts, p99`,
      unit: 'ms',
      samples: [http.hosts.p99Ms],
      baseline: bare('gateway /health/live, p99', http.live.p99Ms),
    }),
    figure({
      label: 'agent idle RSS (enrolled, online, after a full GC)',
      unit: 'MiB',
      samples: [raw.agentMemory.agent.rssBytes / 2 ** 20],
      baseline: bare('bare Node process holding one ws', raw.agentMemory.bareWs.rssBytes / 2 ** 20),
    }),
  ];
}
