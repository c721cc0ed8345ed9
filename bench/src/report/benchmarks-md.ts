import type { Figure } from './figure.js';

export interface BenchRun {
  date: string;
  quick: boolean;
  machine: { cpus: number; model: string; node: string };
  suites: { name: string; figures: Figure[]; error?: string }[];
}

const number = (value: number) =>
  Number.isNaN(value) ? '–' : Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);

function row(figure: Figure): string {
  const { p50, min, max, n } = figure.value;
  const spread = n > 1 ? `${number(min)}–${number(max)} (n=${n})` : 'one run';
  const baseline = figure.baseline ? `${figure.baseline.label}: ${number(figure.baseline.value)}` : '';
  const ratio = figure.ratio === undefined ? '' : `${figure.ratio.toFixed(2)}x`;
  const target = figure.target ? `${figure.target.text} ${figure.target.met ? '✅' : '❌'}` : '';
  return `| ${figure.label} | ${number(p50)} ${figure.unit} | ${spread} | ${baseline} | ${ratio} | ${target} |`;
}

/** BENCHMARKS.md: one table per suite, every figure with its spread, its baseline, the ratio and the target. */
export function renderBenchmarks(run: BenchRun): string {
  const lines = [
    '# Benchmarks',
    '',
    `Measured ${run.date}${run.quick ? ' (quick run: smaller sizes, one round)' : ''} on ${run.machine.cpus} cores ` +
      `(${run.machine.model}), Node ${run.machine.node}, everything on loopback; client, relay, agent and the ` +
      'baselines share the machine. Ratios are Hostlink over the baseline measured in the same run. ' +
      'Regenerate with `npm run bench` (see bench/README.md).',
  ];
  for (const suite of run.suites) {
    lines.push('', `## ${suite.name}`, '');
    if (suite.error) {
      lines.push(`Not measured: ${suite.error}`);
      continue;
    }
    lines.push(
      '| figure | median | spread | baseline (same run) | ratio | target |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    lines.push(...suite.figures.map(row));
  }
  return `${lines.join('\n')}\n`;
}
