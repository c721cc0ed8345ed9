#!/usr/bin/env node
// After tsc: bundles the `hostlink` command into one file (apps/cli/dist/hostlink.mjs). Loading the
// CLI module by module meant resolving and reading about 220 files at every start (zod alone is 95),
// which cost more than the rest of a small `hostlink get`; one file starts in about half the time.
// Native and optional add-ons stay outside the bundle: Node loads them from node_modules as before.
import { build } from 'esbuild';

await build({
  entryPoints: ['apps/cli/dist/main.js'],
  outfile: 'apps/cli/dist/hostlink.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['bufferutil', 'utf-8-validate'],
  // CommonJS dependencies (commander, cli-progress) call require() for Node's modules; ESM has none.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
