import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_BUCKET } from '../../../server/oss-emulator/ossEmulator';
import { presignUrl } from '../../../server/oss-emulator/presignedUrl';
import { setUpEmulator, waitFor } from '../support/emulatorFixture';
import { controlJson } from '../support/ossForms';

// The emulator's presigned PUT and GET (the 2021-06-10 Work Order API's PutSignedUrl/GetSignedUrl,
// docs/work-order-api.md §4) over real loopback HTTP: routing, the file store, the clock and its
// offset fault, the 2 MB cap, CORS, and the faults a PostObject also gets.
const { emulator, objects, tempFiles } = setUpEmulator();
const DEMO_ORIGIN = 'http://127.0.0.1:5173';
const CONTENT_TYPE = 'application/octet-stream';

function presign(method: 'PUT' | 'GET' | 'HEAD', key: string, options: { contentType?: string; expiresInSeconds?: number } = {}): string {
  return presignUrl({
    method,
    bucket: DEFAULT_BUCKET,
    key,
    expires: Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 120),
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
    endpoint: emulator().url,
    ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
  });
}

function put(url: string, body: Buffer, headers: Record<string, string> = { 'content-type': CONTENT_TYPE }): Promise<Response> {
  return fetch(url, { method: 'PUT', headers, body: new Uint8Array(body) });
}

const xmlCode = (text: string): string | undefined => /<Code>([^<]+)<\/Code>/.exec(text)?.[1];

describe('presigned PUT and GET on the OSS emulator', () => {
  it('stores a PUT atomically, answers 200 with the ETag, and serves it back through a presigned GET byte for byte', async () => {
    const key = 'workorder/attachments/0a1b/report 2026.pdf';
    const bytes = randomBytes(300_000);
    const response = await put(presign('PUT', key, { contentType: CONTENT_TYPE }), bytes, {
      'content-type': CONTENT_TYPE,
      'content-disposition': "attachment; filename*=UTF-8''report%202026.pdf",
    });
    expect(response.status).toBe(200);
    const md5 = createHash('md5').update(bytes).digest('hex');
    expect(response.headers.get('etag')).toBe(`"${md5.toUpperCase()}"`);
    expect(response.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
    expect((await objects()).map((object) => ({ key: object.key, size: object.size, md5: object.md5 }))).toEqual([
      { key, size: bytes.length, md5 },
    ]);
    expect(await tempFiles()).toEqual([]);

    const download = await fetch(presign('GET', key));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''report%202026.pdf");
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    const head = await fetch(presign('HEAD', key), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
  });

  it('refuses a URL past its Expires on the emulator clock (the clock-offset fault moves it) with OSS error XML', async () => {
    const url = presign('PUT', 'late.bin', { contentType: CONTENT_TYPE, expiresInSeconds: 60 });
    await controlJson(emulator().url, 'faults', { clockOffsetMs: 5 * 60_000 });
    const response = await put(url, randomBytes(10));
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/xml');
    const body = await response.text();
    expect(xmlCode(body)).toBe('AccessDenied');
    expect(body).toContain('<Message>Request has expired.</Message>');
    expect(body).toContain('<RequestId>');
    expect(await objects()).toEqual([]);
  });

  it('refuses a Content-Type other than the signed one, and a presigned GET for a missing key', async () => {
    const refused = await put(presign('PUT', 'a.png', { contentType: CONTENT_TYPE }), randomBytes(10), { 'content-type': 'image/png' });
    expect(refused.status).toBe(403);
    expect(xmlCode(await refused.text())).toBe('SignatureDoesNotMatch');
    const missing = await fetch(presign('GET', 'nothing-here.txt'));
    expect(missing.status).toBe(404);
    expect(xmlCode(await missing.text())).toBe('NoSuchKey');
    expect(await objects()).toEqual([]);
  });

  it('caps a PUT at 2 MB: 2,097,152 bytes are stored, one more byte is refused with 413 and leaves no temporary file', async () => {
    const exact = await put(presign('PUT', 'exact.bin', { contentType: CONTENT_TYPE }), randomBytes(2 * 1024 * 1024));
    expect(exact.status).toBe(200);
    const over = await put(presign('PUT', 'over.bin', { contentType: CONTENT_TYPE }), randomBytes(2 * 1024 * 1024 + 1));
    expect(over.status).toBe(413);
    expect(xmlCode(await over.text())).toBe('EntityTooLarge');
    expect((await objects()).map((object) => object.key)).toEqual(['exact.bin']);
    await waitFor(async () => (await tempFiles()).length === 0);
  });

  it('allows a PUT from the demo origin: the preflight passes and the answer exposes ETag', async () => {
    const url = presign('PUT', 'cors.bin', { contentType: CONTENT_TYPE });
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: DEMO_ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(DEMO_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    const response = await put(url, randomBytes(10), { 'content-type': CONTENT_TYPE, origin: DEMO_ORIGIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(DEMO_ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toContain('ETag');
  });

  it('applies the injected 5xx and dropped-connection faults to PUTs, storing nothing', async () => {
    await controlJson(emulator().url, 'faults', { failureRate: 1, failureStatus: 503 });
    const failed = await put(presign('PUT', 'fail.bin', { contentType: CONTENT_TYPE }), randomBytes(50_000));
    expect(failed.status).toBe(503);
    expect(xmlCode(await failed.text())).toBe('ServiceUnavailable');

    await controlJson(emulator().url, 'faults', { failureRate: 0, dropRate: 1 });
    await expect(put(presign('PUT', 'drop.bin', { contentType: CONTENT_TYPE }), randomBytes(200_000))).rejects.toThrow();
    await waitFor(async () => (await tempFiles()).length === 0);
    expect(await objects()).toEqual([]);

    await controlJson(emulator().url, 'faults', { dropRate: 0, forcePolicyExpired: 1 });
    const expired = await put(presign('PUT', 'forced.bin', { contentType: CONTENT_TYPE }), randomBytes(10));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired.');
    expect(await objects()).toEqual([]);
  });

  it('settles a PUT whose client sent it whole and went away during the latency fault (an outage), storing nothing', async () => {
    await controlJson(emulator().url, 'faults', { latencyMs: 400 });
    const body = randomBytes(20_000);
    const url = new URL(presign('PUT', 'gone/early.bin', { contentType: CONTENT_TYPE }));
    const sent = request(url, { method: 'PUT', headers: { 'content-type': CONTENT_TYPE, 'content-length': body.length } });
    sent.on('error', () => undefined);
    sent.end(body, () => setTimeout(() => sent.destroy(), 100));
    // The request log gets its entry once the handler has settled; before the fix it never did.
    await waitFor(async () => {
      const { requests } = (await (await fetch(`${emulator().url}/__control/requests`)).json()) as { requests: { status: number }[] };
      return requests.length === 1 && requests[0]?.status === 0;
    });
    expect(await objects()).toEqual([]);
  });

  it('caps the faults per object name (maxFaultsPerName) as for a PostObject: the name is the key in the URL', async () => {
    await controlJson(emulator().url, 'faults', { failureRate: 1, failureStatus: 503, maxFaultsPerName: 1 });
    const statuses = [];
    for (const key of ['x/capped.bin', 'y/capped.bin', 'x/capped.bin']) {
      statuses.push((await put(presign('PUT', key, { contentType: CONTENT_TYPE }), randomBytes(1_000))).status);
    }
    expect(statuses).toEqual([503, 200, 200]);
  });

  it('lists PUTs in the request log like PostObjects: status, key, bytes, the fault that decided them, and an Expires already past at receipt', async () => {
    const requests = async () =>
      (await (await fetch(`${emulator().url}/__control/requests`)).json()) as { requests: Record<string, unknown>[] };
    await put(presign('PUT', 'logged/ok.bin', { contentType: CONTENT_TYPE }), randomBytes(70_000));
    await controlJson(emulator().url, 'faults', { failureRate: 1, failureStatus: 503 });
    await put(presign('PUT', 'logged/failed.bin', { contentType: CONTENT_TYPE }), randomBytes(1_000));
    await controlJson(emulator().url, 'faults', { failureRate: 0, dropRate: 1 });
    await expect(put(presign('PUT', 'logged/dropped.bin', { contentType: CONTENT_TYPE }), randomBytes(200_000))).rejects.toThrow();
    await controlJson(emulator().url, 'faults', { dropRate: 0, forcePolicyExpired: 1 });
    await put(presign('PUT', 'logged/forced.bin', { contentType: CONTENT_TYPE }), randomBytes(10));
    await put(presign('PUT', 'logged/late.bin', { contentType: CONTENT_TYPE, expiresInSeconds: -5 }), randomBytes(10));
    await waitFor(async () => (await requests()).requests.length === 5);

    const entries = (await requests()).requests.map(({ method, key, status, code, fault, policyExpiredAtReceipt, bytesReceived }) => ({
      method,
      key,
      status,
      code,
      fault,
      policyExpiredAtReceipt,
      bytesReceived,
    }));
    expect(entries.map(({ bytesReceived: _bytes, ...entry }) => entry)).toEqual([
      { method: 'PUT', key: 'logged/ok.bin', status: 200, code: undefined, fault: undefined, policyExpiredAtReceipt: false },
      { method: 'PUT', key: 'logged/failed.bin', status: 503, code: 'ServiceUnavailable', fault: 'failure', policyExpiredAtReceipt: false },
      { method: 'PUT', key: 'logged/dropped.bin', status: 0, code: undefined, fault: 'drop', policyExpiredAtReceipt: false },
      {
        method: 'PUT',
        key: 'logged/forced.bin',
        status: 403,
        code: 'AccessDenied',
        fault: 'forced-policy-expired',
        policyExpiredAtReceipt: false,
      },
      { method: 'PUT', key: 'logged/late.bin', status: 403, code: 'AccessDenied', fault: undefined, policyExpiredAtReceipt: true },
    ]);
    expect(entries[0]?.bytesReceived).toBe(70_000);
    expect(entries[1]?.bytesReceived).toBe(1_000);
    expect(entries[2]?.bytesReceived).toBeGreaterThan(0);
    expect(entries[2]?.bytesReceived).toBeLessThan(200_000);
  });

  it('keeps serving unsigned GETs of stored objects as before (the PostObject demo links)', async () => {
    await put(presign('PUT', 'plain.txt', { contentType: CONTENT_TYPE }), Buffer.from('hello'));
    const response = await fetch(`${emulator().url}/plain.txt`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello');
  });
});
