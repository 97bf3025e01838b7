import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGetOssTempAuthorHandler, type GetOssTempAuthorHandlerOptions } from '../../../server/work-order/getOssTempAuthorHandler.js';
import { toNodeHandler } from '../../../server/work-order/toNodeHandler.js';
import { createWorkOrderClient, type WorkOrderClientOptions } from '../../../server/work-order/workOrderClient.js';
import {
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  OSS_ACCESS_KEY_SECRET,
  listenOnLoopback,
  startWorkOrderEmulator,
  type WorkOrderEmulatorFixture,
} from './support/workOrderEmulatorFixture.js';

let fixture: WorkOrderEmulatorFixture;
const closers: Array<() => Promise<void>> = [];
beforeAll(async () => {
  fixture = await startWorkOrderEmulator();
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  fixture.emulator.reset();
  fixture.requests.length = 0;
});
afterAll(async () => {
  await fixture.close();
});

const client = (options: Partial<WorkOrderClientOptions> = {}) =>
  createWorkOrderClient({ endpoint: fixture.url, accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, ...options });

/** The handler behind node:http on 127.0.0.1, as a customer's backend would run it. */
async function backend(options: Partial<GetOssTempAuthorHandlerOptions> = {}): Promise<string> {
  const listening = await listenOnLoopback(toNodeHandler(createGetOssTempAuthorHandler({ client: client(), ...options })));
  closers.push(listening.close);
  return `${listening.url}/api/getOSSTempAuthor`;
}

async function expectSafeError(
  response: Response,
  status: number,
  code: string,
): Promise<{ error: { code: string; message: string; requestId: string | null } }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  for (const secret of [ACCESS_KEY_SECRET, OSS_ACCESS_KEY_SECRET, 'not-the-secret']) expect(text).not.toContain(secret);
  // No stack trace: no "at fn (file:line)" frames and no source paths.
  expect(text).not.toMatch(/\bat .+:\d+|\.ts\b|node_modules/);
  const body = JSON.parse(text) as { error: { code: string; message: string; requestId: string | null } };
  expect(body).toEqual({ error: { code, message: expect.any(String), requestId: body.error.requestId } });
  return body;
}

describe('GET /api/getOSSTempAuthor', () => {
  it('answers the Work Order envelope, never cached, with a Date header', async () => {
    const response = await fetch(await backend());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(Math.abs(Date.parse(response.headers.get('date') ?? '') - Date.now())).toBeLessThan(5_000);
    const body = (await response.json()) as { success: boolean; data: { dir: string } };
    expect(body).toMatchObject({ success: true, code: '200', message: 'successful' });
    expect(fixture.emulator.issuedDirs()).toEqual([body.data.dir]);
  });

  it('works as a web-standard route handler without the node adapter', async () => {
    const GET = createGetOssTempAuthorHandler({ client: client() });
    const response = await GET(new Request('http://localhost/api/getOSSTempAuthor'));
    expect(response.status).toBe(200);
    expect(response.headers.get('date')).not.toBeNull();
    expect(await response.json()).toMatchObject({ success: true });
  });

  it('502 with the gateway code and RequestId when the Work Order API refuses the AccessKey, nothing secret in it', async () => {
    const url = await backend({ client: client({ accessKeySecret: 'not-the-secret' }) });
    const body = await expectSafeError(await fetch(url), 502, 'SignatureDoesNotMatch');
    expect(body.error.requestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  it('502 with the business code when the service answers success: false', async () => {
    fixture.emulator.setFaults({ illegalAuth: 1 });
    const body = await expectSafeError(await fetch(await backend()), 502, 'ILLEGAL_AUTH');
    expect(body.error.requestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  it('504 when the Work Order API does not answer in time', async () => {
    fixture.emulator.setFaults({ latencyMs: 3_000 });
    const body = await expectSafeError(await fetch(await backend({ client: client({ timeoutMs: 200 }) })), 504, 'timeout');
    expect(body.error.requestId).toBeNull();
  });

  it('500 without the message when something else fails, which onError still sees in full', async () => {
    const seen: unknown[] = [];
    const failing = { getOSSTempAuthor: () => Promise.reject(new Error(`config broken: ${ACCESS_KEY_SECRET}`)) };
    const url = await backend({ client: failing, onError: (error) => seen.push(error) });
    await expectSafeError(await fetch(url), 500, 'internal-error');
    expect(String(seen[0])).toContain('config broken');
  });

  it('429 from the rate limit hook, before the Work Order API is called', async () => {
    const calls = new Map<string, number>();
    const url = await backend({
      rateLimit: (request) => {
        const user = request.headers.get('x-user') ?? 'anonymous';
        calls.set(user, (calls.get(user) ?? 0) + 1);
        return (calls.get(user) ?? 0) <= 2;
      },
    });
    const as = (user: string) => fetch(url, { headers: { 'x-user': user } });
    expect((await as('alice')).status).toBe(200);
    expect((await as('alice')).status).toBe(200);
    await expectSafeError(await as('alice'), 429, 'rate-limited');
    expect((await as('bob')).status).toBe(200);
    expect(fixture.emulator.issuedDirs()).toHaveLength(3);
  });

  it('405 for anything but GET', async () => {
    const response = await fetch(await backend(), { method: 'POST', body: '{}' });
    expect(response.headers.get('allow')).toBe('GET');
    await expectSafeError(response, 405, 'method-not-allowed');
    expect(fixture.requests).toEqual([]);
  });
});
