import { setupServer } from 'msw/node';

/**
 * The one msw server of the dom project (started in `setupDom.ts`). It has no default handlers:
 * each test installs the backend it needs with `server.use(...)` (see `ossHandlers.ts`), so a test
 * that forgets one fails on `onUnhandledRequest: 'error'` instead of silently hitting a default.
 */
export const server = setupServer();
