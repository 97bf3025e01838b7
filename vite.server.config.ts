import { defineConfig } from 'vite';

// Builds the public `ticket-attachment-uploader/server` entry (the getOSSTempAuthor signer, the Work
// Order client and handler) for Node: ESM, node:crypto left as an import, and @alicloud/pop-core left
// as the optional peer dependency it is (imported on first use, never bundled). `.d.ts` come from
// tsconfig.server-lib.json.
export default defineConfig({
  publicDir: false,
  build: {
    ssr: true,
    lib: { entry: 'server/index.ts', formats: ['es'], fileName: () => 'index.js' },
    outDir: 'dist/server',
    // dist/ also holds the browser library, built first by `vite build`.
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rolldownOptions: { external: [/^node:/, '@alicloud/pop-core'] },
  },
});
