import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

/** Builds the renderer alone (out/renderer), for the browser host and e2e tests. The Electron build
 * (electron.vite.config.ts) builds the same entry. */
export default defineConfig({
  root: resolve(import.meta.dirname, 'src-renderer'),
  base: './',
  plugins: [react()],
  build: { outDir: resolve(import.meta.dirname, 'out/renderer'), emptyOutDir: true, sourcemap: true },
});
