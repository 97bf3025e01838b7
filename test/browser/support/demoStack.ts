import { startLocalStack } from '../../../server/localStack';
import { launchBrowser, type BrowserSession } from './launchBrowser';

export interface StoredObject {
  key: string;
  size: number;
  md5: string;
  etag: string;
  contentType: string;
  contentDisposition?: string;
  storedAt: number;
}

export interface LoggedRequest {
  requestId: string;
  method: string;
  key?: string;
  status: number;
  code?: string;
  receivedAt: number;
  firstFileByteAt?: number;
  finishedAt: number;
  bytesReceived: number;
  policyExpiration?: string;
  policyExpiredAtReceipt: boolean;
  fault?: 'failure' | 'drop' | 'forced-policy-expired';
}

export interface Faults {
  latencyMs: number;
  latencyJitterMs: number;
  bandwidthBytesPerSecond: number;
  failureRate: number;
  failureStatus: number;
  dropRate: number;
  forcePolicyExpired: number;
  clockOffsetMs: number;
  seed: number;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The local stack (Vite demo + ticket API + OSS emulator) on free loopback ports, and its control APIs. */
export async function startDemoStack(options: { lifetimeSeconds?: number } = {}) {
  const stack = await startLocalStack({ port: 0, ossPort: 0, vite: true, quiet: true, ...options });
  const { appUrl, ossUrl } = stack;
  return {
    appUrl,
    ossUrl,
    objects: () => json<{ objects: StoredObject[] }>(`${ossUrl}/__control/objects`).then((body) => body.objects),
    requests: () => json<{ requests: LoggedRequest[] }>(`${ossUrl}/__control/requests`).then((body) => body.requests),
    setFaults: (faults: Partial<Faults>) => json<unknown>(`${ossUrl}/__control/faults`, post(faults)),
    reset: () => json<unknown>(`${ossUrl}/__control/reset`, post({})),
    authorization: () => json<{ lifetimeSeconds: number; requests: number }>(`${appUrl}/api/__control/authorization`),
    setAuthorization: (settings: { lifetimeSeconds?: number }) => json<unknown>(`${appUrl}/api/__control/authorization`, post(settings)),
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

export type { BrowserSession };
