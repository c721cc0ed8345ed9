import type { BenchRun } from './benchmarks-md.js';
import { type Figure, figure } from './figure.js';

export const RELAY_ALONE_LABEL = 'relay, TCP legs, one stream';
const RELAYED_DOWNLOAD = /, relay, to (disk|memory)/;

/**
 * Figure 2's second half: end-to-end downloads through the relay (agent, Noise channel, client) over the
 * relay alone moving raw bytes, each measured by its own suite in this run. Medians against medians.
 */
export function channelCostFigures(suites: BenchRun['suites']): Figure[] {
  const figures = suites.flatMap((suite) => suite.figures);
  const relayAlone = figures.find((candidate) => candidate.label === RELAY_ALONE_LABEL);
  if (!relayAlone) return [];
  const baseline = { label: 'the relay alone, TCP legs', value: relayAlone.value.p50 };
  return figures
    .filter((candidate) => RELAYED_DOWNLOAD.test(candidate.label))
    .map((download) =>
      figure({
        label: download.label,
        unit: download.unit,
        samples: [download.value.p50],
        baseline,
        ...(download.label.includes('hostlink get') && {
          target: { text: '≥ 0.6x', met: ({ ratio }) => ratio >= 0.6 },
        }),
      }),
    );
}
