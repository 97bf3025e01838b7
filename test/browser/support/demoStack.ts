import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Page } from 'playwright-core';
import type { ControlFaultsResponse, ControlObjectsResponse, ControlRequestsResponse } from '../../../server/oss-emulator/controlApi';
import type { OssFaultsPatch } from '../../../server/oss-emulator/faults';
import { startLocalStack } from '../../../server/local-stack/localStack';
import type { WorkOrderTicket } from '../../../server/work-order/workOrderTicketStore';
import type { WorkOrder2021Ticket } from '../../../server/work-order/workOrder2021Tickets';
import type { LocalAuthorizationSettings } from '../../../server/local-stack/authorizationSettings';
import { launchBrowser, type BrowserSession } from './launchBrowser';

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The local stack (Vite demo + demo backend + Work Order API emulator + OSS emulator) on free loopback ports, and its control APIs. */
export async function startDemoStack(options: { lifetimeSeconds?: number } = {}) {
  const stack = await startLocalStack({ port: 0, ossPort: 0, vite: true, quiet: true, ...options });
  const { appUrl, ossUrl, workOrderUrl } = stack;
  return {
    appUrl,
    ossUrl,
    workOrderUrl,
    /** The 2016-08-30 tickets the Work Order API emulator stored (its control API's read-back). */
    legacyTickets: () => json<{ legacy: WorkOrderTicket[] }>(`${workOrderUrl}/__control/tickets`).then((body) => body.legacy),
    /** The 2021-06-10 tickets the Work Order API emulator stored (notes[0] is the description). */
    currentTickets: () => json<{ current: WorkOrder2021Ticket[] }>(`${workOrderUrl}/__control/tickets`).then((body) => body.current),
    objects: () => json<ControlObjectsResponse>(`${ossUrl}/__control/objects`).then((body) => body.objects),
    requests: () => json<ControlRequestsResponse>(`${ossUrl}/__control/requests`).then((body) => body.requests),
    setFaults: (faults: OssFaultsPatch) => json<ControlFaultsResponse>(`${ossUrl}/__control/faults`, post(faults)),
    /** Empties the OSS emulator and forgets the Work Order API's tickets and faults. */
    reset: () =>
      Promise.all([json<unknown>(`${ossUrl}/__control/reset`, post({})), json<unknown>(`${appUrl}/api/__control/reset`, post({}))]),
    authorization: () => json<LocalAuthorizationSettings>(`${appUrl}/api/__control/authorization`),
    setAuthorization: (settings: Partial<LocalAuthorizationSettings>) =>
      json<unknown>(`${appUrl}/api/__control/authorization`, post(settings)),
    close: () => stack.close(),
  };
}

export type DemoStack = Awaited<ReturnType<typeof startDemoStack>>;

/** One stack and one Chromium for a test file. */
export async function startDemoSession(options: { lifetimeSeconds?: number; viewport?: { width: number; height: number } } = {}) {
  const [stack, browser] = await Promise.all([startDemoStack(options), launchBrowser({ viewport: options.viewport })]);
  return {
    stack,
    browser,
    async close() {
      await Promise.allSettled([browser.close(), stack.close()]);
    },
  };
}

export type DemoSession = Awaited<ReturnType<typeof startDemoSession>>;

/**
 * Registers the hooks of a browser test file: one stack and one Chromium for the file, and for each
 * test a reset emulator and a fresh, focused page (closed afterwards). `beforeEachPage` runs on the
 * new page before the test, e.g. to open the demo.
 */
export function setUpDemoSession(options: { beforeEachPage?: (page: Page, session: DemoSession) => Promise<void> } = {}) {
  const state: { session?: DemoSession; page?: Page } = {};
  beforeAll(async () => {
    state.session = await startDemoSession();
  });
  afterAll(async () => {
    await state.session?.close();
  });
  beforeEach(async () => {
    const session = state.session as DemoSession;
    await session.stack.reset();
    await session.stack.setAuthorization({ lifetimeSeconds: 120 });
    const page = await session.browser.context.newPage();
    state.page = page;
    await page.bringToFront();
    await options.beforeEachPage?.(page, session);
    return async () => {
      await page.close();
    };
  });
  return {
    get session(): DemoSession {
      if (!state.session) throw new Error('The demo session has not started.');
      return state.session;
    },
    get page(): Page {
      if (!state.page) throw new Error('No page: use it inside a test.');
      return state.page;
    },
  };
}

/** `beforeEachPage` for the demo: open it and wait until the form is there. */
export async function openDemo(page: Page, session: DemoSession): Promise<void> {
  await page.goto(session.stack.appUrl);
  await page.getByRole('heading', { name: 'New ticket' }).waitFor();
}

/** Where browser tests write screenshots of what a user sees (git-ignored, for review). */
export const SCREENSHOTS = 'test-results/screenshots';

export type { BrowserSession };
