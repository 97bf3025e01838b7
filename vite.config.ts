import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// Peer and regular dependencies stay external: the app's bundler dedupes them (react-query must be
// the app's own instance, or the QueryClientProvider context would not be found).
const external = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\/react-query($|\/)/, /^react-dropzone($|\/)/];

/** Ships the stylesheet as `dist/styles.css` untouched: it is opt-in (`import 'ticket-attachment-uploader/styles.css'`). */
function copyStylesheet(): Plugin {
  return {
    name: 'copy-stylesheet',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'styles.css', source: readFileSync('src/components/styles.css', 'utf8') });
    },
  };
}

// `vite` (dev) serves the demo (index.html + demo/); `vite build` builds the library from src/index.ts.
export default defineConfig({
  plugins: [react(), copyStylesheet()],
  server: { host: '127.0.0.1' },
  // Pre-bundled up front so the dev server never reloads the page mid-session to add a dependency
  // (a reload would drop uploads in flight during the browser tests and the demo).
  // The scan starts from the pages this server serves, not every .html of the repository: the bench
  // pages import the package's own built stylesheet, which a fresh clone has not built yet.
  optimizeDeps: {
    entries: ['index.html', 'test/browser/harness/index.html'],
    include: ['react', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', '@tanstack/react-query', 'react-dropzone'],
  },
  preview: { host: '127.0.0.1' },
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'index.js' },
    target: 'es2020',
    minify: true,
    sourcemap: true,
    emptyOutDir: true,
    rollupOptions: {
      external,
      // Next.js and other RSC bundlers need the directive at the top of the emitted module; bundling
      // strips per-file directives, so it is restored here (every export needs the client anyway).
      output: { banner: "'use client';" },
    },
  },
});
