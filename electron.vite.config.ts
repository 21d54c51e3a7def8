import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

/**
 * Electron build (`npm run build` / `npm start`): main (ESM, dependencies external so native
 * modules load from node_modules), the sandboxed preload (one CommonJS file, everything bundled,
 * as sandboxed preloads cannot require modules) and the renderer (same entry as
 * vite.renderer.config.ts, which builds it alone for the browser host).
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      // The fill worker (cache/fill-worker.ts) is its own entry: cache-filler.ts starts it from
      // `fill-worker.js` next to the bundle.
      rollupOptions: {
        input: { main: resolve(import.meta.dirname, 'src-main/main.ts'), 'fill-worker': resolve(import.meta.dirname, 'src-main/cache/fill-worker.ts') },
        output: { format: 'es' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve(import.meta.dirname, 'src-main/preload.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src-renderer/index.html') } },
    },
  },
});
