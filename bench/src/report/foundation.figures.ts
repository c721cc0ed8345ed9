import { type Summary, summarize } from '../stats.js';
import { type Figure, figure } from './figure.js';

const median = (values: readonly number[]) => summarize(values).p50;

export interface FoundationResults {
  bigBytes: number;
  'firstByte.relay': Summary;
  'firstByte.direct': Summary;
  'firstListing.relay': Summary;
  'firstListing.direct': Summary;
  sshTrue: Summary;
  cliSmallGet: Summary;
  /** The first connection of the run, whose host login pays a full scrypt. */
  firstByteCold: number;
  /** One sample per round, interleaved with Hostlink's. */
  scpMbps: number[];
  'download.relay': Downloads;
  'download.direct': Downloads;
}

interface Downloads {
  sdkMbps: number[];
  cliMbps: number[];
}

const gbps = (mbps: readonly number[]) => mbps.map((value) => value / 1000);

/** Time to first byte against `ssh host true`, and the 2 GiB download against scp of the same file. */
export function foundationFigures(raw: FoundationResults): Figure[] {
  const ssh = { label: '`ssh host true`', value: raw.sshTrue.p50 };
  const latency = (label: string, summary: Summary): Figure[] => [
    figure({
      label: `${label}, p50`,
      unit: 'ms',
      samples: [summary.p50],
      baseline: ssh,
      target: { text: '< 30 ms, ≤ 0.1x (10x faster)', met: ({ p50, ratio }) => p50 < 30 && ratio <= 0.1 },
    }),
    figure({
      label: `${label}, p99`,
      unit: 'ms',
      samples: [summary.p99],
      target: { text: '< 100 ms', met: ({ p50 }) => p50 < 100 },
    }),
  ];
  const scp = { label: 'scp -c aes128-gcm', value: median(gbps(raw.scpMbps)) };
  const size = `${raw.bigBytes / 2 ** 20} MiB`;
  const download = (via: 'relay' | 'direct'): Figure[] => [
    figure({
      label: `\`hostlink get\` ${size}, ${via}, to disk, SHA-256 checked`,
      unit: 'Gbit/s',
      samples: gbps(raw[`download.${via}`].cliMbps),
      baseline: scp,
      target: { text: '≥ 1.5x', met: ({ ratio }) => ratio >= 1.5 },
    }),
    figure({
      label: `SDK download ${size}, ${via}, to memory`,
      unit: 'Gbit/s',
      samples: gbps(raw[`download.${via}`].sdkMbps),
      baseline: scp,
    }),
  ];
  return [
    ...latency('connect → first byte, relay', raw['firstByte.relay']),
    ...latency('connect → first byte, direct', raw['firstByte.direct']),
    ...latency('connect → first listing, relay', raw['firstListing.relay']),
    figure({
      label: 'connect → first byte, first connection of the run (host password checked by scrypt)',
      unit: 'ms',
      samples: [raw.firstByteCold],
      baseline: ssh,
    }),
    figure({
      label: '`hostlink get` of a small file, whole process (startup included)',
      unit: 'ms',
      samples: [raw.cliSmallGet.p50],
      baseline: ssh,
    }),
    ...download('relay'),
    ...download('direct'),
  ];
}
