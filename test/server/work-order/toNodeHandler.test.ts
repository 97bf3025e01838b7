import { afterEach, expect, it } from 'vitest';
import { toNodeHandler, type WebRequestHandler } from '../../../server/work-order/toNodeHandler.js';
import { parseWorkOrderFaultsPatch } from '../../../server/work-order/workOrderFaults.js';
import { listenOnLoopback } from './support/workOrderEmulatorFixture.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(handler: WebRequestHandler, maxBodyBytes?: number): Promise<string> {
  const listening = await listenOnLoopback(toNodeHandler(handler, maxBodyBytes === undefined ? {} : { maxBodyBytes }));
  closers.push(listening.close);
  return listening.url;
}

it('hands the handler the method, URL, headers and body, and writes its status, headers and body back', async () => {
  const url = await serve(async (request) => {
    const headers = new Headers({ 'x-echo': `${request.method} ${new URL(request.url).pathname}?${new URL(request.url).search.slice(1)}` });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    return new Response(`${request.headers.get('x-in')}|${await request.text()}`, { status: 201, headers });
  });
  const response = await fetch(`${url}/api/x?y=1`, { method: 'POST', headers: { 'x-in': 'hello' }, body: 'bytes' });
  expect(response.status).toBe(201);
  expect(response.headers.get('x-echo')).toBe('POST /api/x?y=1');
  expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  expect(await response.text()).toBe('hello|bytes');
});

it('answers 413 to a body over the limit without calling the handler', async () => {
  let called = false;
  const url = await serve(async () => {
    called = true;
    return new Response('ok');
  }, 10);
  const response = await fetch(url, { method: 'POST', body: 'x'.repeat(11) });
  expect(response.status).toBe(413);
  expect(called).toBe(false);
});

it('streams a body of unknown length and answers 413 once it passes the limit', async () => {
  let seen = 0;
  const url = await serve(async (request) => {
    seen += (await request.arrayBuffer()).byteLength;
    return new Response('ok');
  }, 1_000);
  const chunks = (count: number) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < count; index += 1) controller.enqueue(new Uint8Array(400));
        controller.close();
      },
    });
  const small = await fetch(url, { method: 'POST', body: chunks(2), duplex: 'half' } as RequestInit);
  expect(await small.text()).toBe('ok');
  expect(seen).toBe(800);
  const large = await fetch(url, { method: 'POST', body: chunks(5), duplex: 'half' } as RequestInit);
  expect(large.status).toBe(413);
});

it('keeps the host header the client sent, as a signature over it needs', async () => {
  const url = await serve(async (request) => new Response(`${request.headers.get('host')} ${new URL(request.url).host}`));
  const host = new URL(url).host;
  expect(await (await fetch(url)).text()).toBe(`${host} ${host}`);
});

it('answers a bare 500 when the handler throws, without its message', async () => {
  const url = await serve(() => Promise.reject(new Error('secret detail')));
  const response = await fetch(url);
  expect(response.status).toBe(500);
  expect(await response.text()).toBe('Internal Server Error');
});

it('validates fault updates for the control API', () => {
  expect(parseWorkOrderFaultsPatch({ latencyMs: 500, systemBusy: 2, clockOffsetMs: -60_000 })).toEqual({
    ok: true,
    value: { latencyMs: 500, systemBusy: 2, clockOffsetMs: -60_000 },
  });
  expect(parseWorkOrderFaultsPatch({ illegalAuth: 1.5 })).toEqual({ ok: false, error: '"illegalAuth" must be an integer >= 0.' });
  expect(parseWorkOrderFaultsPatch({ slow: true })).toEqual({ ok: false, error: 'Unknown fault "slow".' });
  expect(parseWorkOrderFaultsPatch([])).toMatchObject({ ok: false });
});
