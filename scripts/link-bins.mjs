#!/usr/bin/env node
// After a build: make every workspace binary executable and linked in node_modules/.bin.
// npm links workspace bins during `npm ci`, before the `prepare` build has written them, so the
// links may be missing and the files are not executable; this completes what npm started.
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

const binDir = join('node_modules', '.bin');
mkdirSync(binDir, { recursive: true });
for (const parent of ['apps', 'libs']) {
  for (const name of readdirSync(parent)) {
    const manifest = join(parent, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const { bin = {} } = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const [command, target] of Object.entries(bin)) {
      const file = join(parent, name, target);
      if (!existsSync(file)) throw new Error(`${command}: ${file} was not built`);
      chmodSync(file, 0o755);
      const link = join(binDir, command);
      if (!isLink(link)) symlinkSync(relative(binDir, file), link);
    }
  }
}

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink() || lstatSync(path).isFile();
  } catch {
    return false;
  }
}
