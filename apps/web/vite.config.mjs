// Builds the page into dist/public (served by the gateway); tsc -b emits dist/*.js only for the Node specs.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist/public',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The strict CSP forbids inline code: everything is a file of its own, modulepreload polyfill included.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
  },
});
