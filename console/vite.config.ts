/** Builds the console into dist/console, which `weft serve` serves at `/`. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  // `npx vite --config console/vite.config.ts`: the API of a running `weft serve`.
  server: { proxy: { '/console/api': process.env.WEFT_CONSOLE_API ?? 'http://127.0.0.1:8080' } },
  build: {
    outDir: path.join(here, '..', 'dist', 'console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
});
