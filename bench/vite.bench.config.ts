/**
 * Bench-only Vite config: builds the pages under bench/pages in production mode (minified, React's
 * production build). bench/run.ts builds into a temporary folder with `build.outDir` set inline.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const pagesDir = path.join(benchDir, 'pages');

export default defineConfig({
  root: pagesDir,
  mode: 'production',
  base: '/',
  logLevel: 'warn',
  clearScreen: false,
  plugins: [react()],
  resolve: {
    // The package's public stylesheet export (`ticket-attachment-uploader/styles.css`).
    alias: { 'ticket-attachment-uploader/styles.css': path.join(benchDir, '../src/components/styles.css') },
  },
  build: {
    emptyOutDir: true,
    minify: true,
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: false,
    rollupOptions: {
      input: {
        uploader: path.join(pagesDir, 'uploader.html'),
        'uploader-profiling': path.join(pagesDir, 'uploader-profiling.html'),
        raw: path.join(pagesDir, 'raw.html'),
      },
    },
  },
});
