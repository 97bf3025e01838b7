import { defineConfig } from 'vite';

// Builds the public `ticket-attachment-uploader/server` entry (the getOSSTempAuthor signer, the Work
// Order clients and handlers of both API versions) for Node: ESM, node: built-ins left as imports, and
// Alibaba's SDKs (@alicloud/pop-core, @alicloud/workorder20210610, and any deep import of either) left
// as the optional peer dependencies they are (imported on first use, never bundled). `.d.ts` come
// from tsconfig.server-lib.json.
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
    rolldownOptions: { external: [/^node:/, /^@alicloud\/pop-core(\/|$)/, /^@alicloud\/workorder20210610(\/|$)/] },
  },
});
