import { type Figure, figure } from './figure.js';

interface Latency {
  p50: number;
  p99: number;
}
interface SequentialAndConcurrent {
  sequential: Latency;
  concurrent: Latency;
  cpuMicrosPerRequest: number;
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
    connectQuiet: SequentialAndConcurrent;
  };
  listing: {
    hosts: number;
    cpuMicrosPerListing: { gateway: number; broker: number };
    http: { hosts: HttpRun; live: HttpRun; bare: HttpRun };
  };
  agentMemory: { agent: Memory; bareWs: Memory };
}

/** Broker requests against a bare nats.js echo, the gateway's host listing, the agent's idle memory. */
export function brokerFigures(raw: BrokerResults): Figure[] {
  const { echo, listHosts } = raw.nats;
  const { http, hosts } = raw.listing;
  const bare = (label: string, value: number) => ({ label, value });
  const connect = (which: 'connect' | 'connectQuiet', how: string): Figure[] => [
    figure({
      label: `broker connect over NATS ${how}, p50`,
      unit: 'ms',
      samples: [raw.nats[which].sequential.p50],
      baseline: bare('bare nats.js echo, p50', echo.sequential.p50),
      target: { text: '≤ 2x', met: ({ ratio }) => ratio <= 2 },
    }),
    figure({
      label: `broker connect over NATS ${how}, p99`,
      unit: 'ms',
      samples: [raw.nats[which].sequential.p99],
      baseline: bare('bare nats.js echo, p99', echo.sequential.p99),
      target: { text: '< 3 ms', met: ({ p50 }) => p50 < 3 },
    }),
  ];
  return [
    ...connect('connectQuiet', '(broker and poll; the agent opens no leg)'),
    ...connect('connect', '(real agent, which opens a relay leg)'),
    figure({
      label: 'broker CPU per connect',
      unit: 'µs',
      samples: [raw.nats.connectQuiet.cpuMicrosPerRequest],
      baseline: bare('echo responder CPU per request', echo.cpuMicrosPerRequest),
    }),
    figure({
      label: `broker connect over NATS, p99 (${raw.concurrency} in flight)`,
      unit: 'ms',
      samples: [raw.nats.connectQuiet.concurrent.p99],
      baseline: bare(`bare nats.js echo, p99 (${raw.concurrency} in flight)`, echo.concurrent.p99),
    }),
    figure({
      label: 'broker host list (2 hosts) over NATS, p50',
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
      label: `CPU per host listing (${hosts} hosts): broker + gateway`,
      unit: 'µs',
      samples: [raw.listing.cpuMicrosPerListing.broker + raw.listing.cpuMicrosPerListing.gateway],
    }),
    figure({
      label: 'agent idle RSS (enrolled, online, after a full GC)',
      unit: 'MiB',
      samples: [raw.agentMemory.agent.rssBytes / 2 ** 20],
      baseline: bare('bare Node process holding one ws', raw.agentMemory.bareWs.rssBytes / 2 ** 20),
    }),
  ];
}
