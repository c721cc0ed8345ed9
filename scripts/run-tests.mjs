#!/usr/bin/env node
// Runs every compiled spec of every project with Node's test runner (Node 20 takes no globs).
// Usage: node scripts/run-tests.mjs [project-folder ...]   e.g. libs/secure-channel e2e
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2);
const projects = roots.length > 0 ? roots : ['libs', 'apps'].flatMap(listDirs).concat(['e2e']);

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

const specs = projects.flatMap((project) => specsUnder(join(project, 'dist')));
if (specs.length === 0) {
  console.error('No compiled specs found: run `npm run build` first.');
  process.exit(1);
}
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...specs], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
