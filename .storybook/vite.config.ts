import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Storybook's own Vite config: the root vite.config.ts builds the library (build.lib, externals,
// a stylesheet-copy plugin), none of which belongs in a Storybook build.
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1' },
});
