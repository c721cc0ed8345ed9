import type { Summary } from '../stats.js';
import { type Figure, figure } from './figure.js';

interface FoundationResults {
  bigBytes: number;
  'firstByte.relay': Summary;
  'firstByte.direct': Summary;
  'firstListing.relay': Summary;
  'firstListing.direct': Summary;
  sshTrue: Summary;
  scpMbps: number;
  'download.relay': { sdkMbps: number; cliMbps: number };
  'download.direct': { sdkMbps: number; cliMbps: number };
}

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
  const scp = { label: 'scp -c aes128-gcm', value: raw.scpMbps / 1000 };
  const download = (via: 'relay' | 'direct') =>
    figure({
      label: `\`hostlink get\` ${raw.bigBytes >> 20} MiB, ${via}, SHA-256 checked`,
      unit: 'Gbit/s',
      samples: [raw[`download.${via}`].cliMbps / 1000],
      baseline: scp,
      target: { text: '≥ 1.5x', met: ({ ratio }) => ratio >= 1.5 },
    });
  return [
    ...latency('connect → first byte, relay', raw['firstByte.relay']),
    ...latency('connect → first byte, direct', raw['firstByte.direct']),
    ...latency('connect → first listing, relay', raw['firstListing.relay']),
    download('relay'),
    download('direct'),
  ];
}
