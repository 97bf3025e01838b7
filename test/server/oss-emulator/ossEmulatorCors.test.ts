import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOriginMatcher } from '../../../server/oss-emulator/corsRules';
import { startOssEmulator, type OssEmulator } from '../../../server/oss-emulator/ossEmulator';
import { buildForm, parseOssError, postForm, signedFields } from '../support/ossForms';

let emulator: OssEmulator;
let custom: OssEmulator;

beforeAll(async () => {
  emulator = await startOssEmulator();
  custom = await startOssEmulator({ corsOrigins: ['https://*.example.com'] });
});
afterAll(async () => {
  await Promise.all([emulator.close(), custom.close()]);
});

const demoOrigin = 'http://127.0.0.1:5173';

function preflight(target: OssEmulator, headers: Record<string, string>): Promise<Response> {
  return fetch(`${target.url}/`, { method: 'OPTIONS', headers });
}

describe('CORS preflight (docs/oss-protocol.md §5)', () => {
  it('echoes a matching Origin, allows POST/GET/PUT and the requested headers, exposes ETag and x-oss-request-id', async () => {
    const response = await preflight(emulator, {
      origin: demoOrigin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'x-oss-meta-a, content-type',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(demoOrigin);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT');
    expect(response.headers.get('access-control-allow-headers')).toBe('x-oss-meta-a, content-type');
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag, x-oss-request-id');
    expect(response.headers.get('vary')).toBe('Origin');
    expect(response.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
  });

  it('matches any port of localhost by default', async () => {
    const response = await preflight(emulator, { origin: 'http://localhost:61000', 'access-control-request-method': 'GET' });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:61000');
  });

  it('answers 400 BadRequest to an OPTIONS without Origin', async () => {
    const response = await preflight(emulator, { 'access-control-request-method': 'POST' });
    expect(response.status).toBe(400);
    expect(parseOssError(await response.text())).toMatchObject({
      code: 'BadRequest',
      message: 'Insufficient information. Origin request header needed.',
    });
  });

  it.each([
    { name: 'an origin no rule matches', origin: 'http://evil.test:5173', method: 'POST' },
    { name: 'https on the loopback rule (scheme must match)', origin: 'https://127.0.0.1:5173', method: 'POST' },
    { name: 'a method the rule does not allow', origin: demoOrigin, method: 'DELETE' },
  ])('answers 403 AccessForbidden for $name', async ({ origin, method }) => {
    const response = await preflight(emulator, { origin, 'access-control-request-method': method });
    expect(response.status).toBe(403);
    const error = parseOssError(await response.text());
    expect(error.code).toBe('AccessForbidden');
    expect(error.message).toMatch(/^CORSResponse: This CORS request is not allowed/);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('supports one * wildcard per configured origin', async () => {
    const allowed = await preflight(custom, { origin: 'https://a.b.example.com', 'access-control-request-method': 'POST' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://a.b.example.com');
    const wrongScheme = await preflight(custom, { origin: 'http://a.example.com', 'access-control-request-method': 'POST' });
    expect(wrongScheme.status).toBe(403);
    const loopback = await preflight(custom, { origin: demoOrigin, 'access-control-request-method': 'POST' });
    expect(loopback.status).toBe(403);
  });

  it('refuses an origin rule with two wildcards', () => {
    expect(() => createOriginMatcher(['https://*.*.example.com'])).toThrow(/more than one/);
  });
});

describe('CORS headers on normal answers (docs/oss-protocol.md §5)', () => {
  it('adds them to a PostObject success, its error, a GET and the control API for a matching Origin', async () => {
    const success = await postForm(emulator.url, buildForm(signedFields(emulator, { key: 'c.txt' }), { content: 'c' }), {
      origin: demoOrigin,
    });
    const failure = await postForm(emulator.url, buildForm([['key', 'c.txt']], { content: 'c' }), { origin: demoOrigin });
    const get = await fetch(`${emulator.url}/c.txt`, { headers: { origin: demoOrigin } });
    const control = await fetch(`${emulator.url}/__control/objects`, { headers: { origin: demoOrigin } });
    for (const headers of [success.headers, failure.headers, get.headers, control.headers]) {
      expect(headers.get('access-control-allow-origin')).toBe(demoOrigin);
      expect(headers.get('access-control-expose-headers')).toBe('ETag, x-oss-request-id');
      expect(headers.get('vary')).toBe('Origin');
    }
    expect([success.status, failure.status, get.status, control.status]).toEqual([204, 403, 200, 200]);
    await get.arrayBuffer();
    await control.arrayBuffer();
  });

  it('still handles a request from a non-matching Origin but sends no CORS headers, like OSS', async () => {
    const result = await postForm(emulator.url, buildForm(signedFields(emulator, { key: 'd.txt' }), { content: 'd' }), {
      origin: 'http://evil.test',
    });
    expect(result.status).toBe(204);
    expect(result.headers.get('access-control-allow-origin')).toBeNull();
    expect(result.headers.get('vary')).toBe('Origin');
  });
});
