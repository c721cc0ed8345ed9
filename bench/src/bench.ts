/**
 * The whole benchmark suite (issue 6): runs every bench as its own process, one after the other so they
 * do not share the machine, gathers their results into bench/results/<date>.json and writes BENCHMARKS.md
 * at the repository root. Each suite stops by itself; a suite that fails is reported as not measured.
 *
 *   npm run bench [-- --quick]        (first, as root: bench/setup.sh)
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@hostlink/testing';
import { agentsFigures } from './report/agents.figures.js';
import { brokerFigures } from './report/broker.figures.js';
import { type BenchRun, renderBenchmarks } from './report/benchmarks-md.js';
import { channelCostFigures } from './report/channel-cost.figures.js';
import type { Figure } from './report/figure.js';
import { foundationFigures } from './report/foundation.figures.js';
import { presenceFigures } from './report/presence.figures.js';
import { relayFigures } from './report/relay.figures.js';
import { resultsFile } from './report/results-file.js';

const quick = process.argv.includes('--quick');
const today = new Date().toISOString().slice(0, 10);
const resultsDir = join(repoRoot(), 'bench', 'results');

interface Suite {
  name: string;
  script: string;
  /** What the suite writes under bench/results, without the date and the -quick suffix. */
  results: string;
  figures: (raw: never) => Figure[];
}

const suites: Suite[] = [
  {
    name: 'Relay throughput (one stream; 2 GiB, 256 MiB when quick)',
    script: 'relay',
    results: 'relay',
    figures: relayFigures,
  },
  {
    name: 'Time to first byte and end-to-end download',
    script: 'foundation',
    results: 'foundation',
    figures: foundationFigures,
  },
  {
    name: 'Agents per poll instance (19,000 agents; 200 when quick)',
    script: 'agents',
    results: 'agents',
    figures: agentsFigures,
  },
  {
    name: 'Presence latency (distributed platform, gateway events client)',
    script: 'presence',
    results: 'presence',
    figures: presenceFigures,
  },
  {
    name: 'Broker requests, host listing (1,000 hosts), agent idle memory',
    script: 'broker',
    results: 'broker',
    figures: brokerFigures,
  },
];

function runSuite(script: string): Promise<void> {
  const args = [join(repoRoot(), 'bench', 'dist', `${script}.bench.js`), ...(quick ? ['--quick'] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', cwd: repoRoot() });
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${script}.bench.js exited with ${code}`)),
    );
  });
}

async function measure(suite: Suite): Promise<BenchRun['suites'][number]> {
  console.log(`\n=== ${suite.name}`);
  try {
    await runSuite(suite.script);
    const file = resultsFile(suite.results, quick);
    const raw = JSON.parse(await readFile(file, 'utf8')) as never;
    return { name: suite.name, figures: suite.figures(raw) };
  } catch (error) {
    return { name: suite.name, figures: [], error: (error as Error).message };
  }
}

const run: BenchRun = {
  date: new Date().toISOString(),
  quick,
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
  suites: [],
};
for (const suite of suites) run.suites.push(await measure(suite));
run.suites.push({
  name: "The channel's own cost (across the suites above)",
  figures: channelCostFigures(run.suites),
});
await mkdir(resultsDir, { recursive: true });
const file = join(resultsDir, `${today}${quick ? '-quick' : ''}.json`);
await writeFile(file, `${JSON.stringify(run, null, 2)}\n`);
await writeFile(join(repoRoot(), 'BENCHMARKS.md'), renderBenchmarks(run));
console.log(`\nwritten ${file} and BENCHMARKS.md`);
if (run.suites.some((suite) => suite.error)) process.exitCode = 1;
