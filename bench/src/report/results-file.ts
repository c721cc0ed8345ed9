import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { repoRoot } from '@hostlink/testing';

/** Where a suite's results go, and where `npm run bench` reads them: bench/results/<date>-<suite>[-quick].json. */
export function resultsFile(suite: string, quick: boolean): string {
  const date = new Date().toISOString().slice(0, 10);
  return join(repoRoot(), 'bench', 'results', `${date}-${suite}${quick ? '-quick' : ''}.json`);
}

/** Writes a suite's results as indented JSON and says where. */
export async function writeResults(suite: string, quick: boolean, results: unknown): Promise<string> {
  const file = resultsFile(suite, quick);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten ${file}`);
  return file;
}
