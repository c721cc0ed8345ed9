#!/usr/bin/env node
// Runs every compiled spec of every project with Node's test runner (Node 20 takes no globs).
// Usage: node scripts/run-tests.mjs [project-folder ...]   e.g. libs/secure-channel e2e
//
// Two phases. First every ordinary spec, files in parallel as Node's runner decides. Then, one file at a
// time with nothing else running, the `*.exclusive.*.spec.js` files: they restart the machine's own
// services (Redis, NATS) that every other suite shares.
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2);
const projects =
  roots.length > 0 ? roots : ['libs', 'apps'].flatMap(listDirs).concat(['e2e', 'deploy', 'bench']);

function listDirs(parent) {
  return readdirSync(parent)
    .map((name) => join(parent, name))
    .filter((p) => statSync(p).isDirectory());
}

function specsUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return specsUnder(path);
    return entry.name.endsWith('.spec.js') ? [path] : [];
  });
}

function runTests(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...args], { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const specs = projects.flatMap((project) => specsUnder(join(project, 'dist')));
if (specs.length === 0) {
  console.error('No compiled specs found: run `npm run build` first.');
  process.exit(1);
}
const isExclusive = (path) => /\.exclusive\.[^/]*spec\.js$/.test(path);
const shared = specs.filter((path) => !isExclusive(path));
const exclusive = specs.filter(isExclusive);
let failed = shared.length > 0 ? await runTests(shared) : 0;
for (const spec of exclusive) {
  console.log(`\n# exclusive: ${spec} (alone: it restarts services every suite shares)`);
  const code = await runTests(['--test-concurrency=1', spec]);
  failed ||= code;
}
process.exit(failed);
