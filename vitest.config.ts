import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// One Vitest run, four layers (see README "Tests"): pure core and the Node server in `node`,
// React hooks and components in `jsdom`, and real-browser tests that drive the system Chromium
// through playwright-core from `node`.
export default defineConfig({
  test: {
    restoreMocks: true,
    projects: [
      {
        test: { name: 'core', environment: 'node', include: ['test/core/**/*.test.ts'] },
      },
      {
        test: { name: 'package', environment: 'node', include: ['test/package/**/*.test.{ts,tsx}'] },
      },
      {
        // README.md's code blocks typechecked as pasted, and every docs/ citation in the code resolving.
        test: { name: 'docs', environment: 'node', include: ['test/docs/**/*.test.ts'] },
      },
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['test/server/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['test/react/**/*.test.{ts,tsx}', 'test/components/**/*.test.{ts,tsx}', 'test/demo/**/*.test.{ts,tsx}'],
          setupFiles: ['test/support/jsdomRequestFix.ts', 'test/support/setupDom.ts'],
          testTimeout: 15_000,
        },
      },
      {
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
