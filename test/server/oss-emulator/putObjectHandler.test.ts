import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { presignUrl } from '../../../server/oss-emulator/presignedUrl';
import {
  handlePresignedGetObject,
  handlePutObject,
  type OssErrorAnswer,
  type PresignedObjectStore,
  type PresignedStoredObject,
  type PutObjectMeta,
} from '../../../server/oss-emulator/putObjectHandler';

const require = createRequire(import.meta.url);
const OSS = require('ali-oss') as new (options: Record<string, unknown>) => {
  signatureUrl(name: string, options: Record<string, unknown>): string;
};

const ACCESS_KEY_ID = 'LTAI5tPutObjectTest';
const ACCESS_KEY_SECRET = 'put-object-test-secret';
const BUCKET = 'work-order';
const MAX_SIZE = 64 * 1024;
const DEMO_ORIGIN = 'http://localhost:5173';

/** In memory; commits only when the body ends cleanly, like the file store's temp + rename. */
class MemoryStore implements PresignedObjectStore {
  readonly objects = new Map<string, { bytes: Buffer; meta: PutObjectMeta }>();
  readonly failedPuts: Error[] = [];
  #waiters: Array<() => void> = [];

  async put(key: string, body: Readable, meta: PutObjectMeta): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
    } catch (error) {
      this.failedPuts.push(error as Error);
      this.#notify();
      throw error;
    }
    this.objects.set(key, { bytes: Buffer.concat(chunks), meta });
    this.#notify();
  }

  get(key: string): PresignedStoredObject | undefined {
    const object = this.objects.get(key);
    if (object === undefined) return undefined;
    const { size, etag } = object.meta.measured();
    return { size, etag, contentType: object.meta.contentType, headers: object.meta.headers, open: () => Readable.from([object.bytes]) };
  }

  /** Resolves once a put has finished or failed. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }
}

function sendError(res: ServerResponse, error: OssErrorAnswer, extra: Record<string, string> = {}): void {
  const elements = { Code: error.code, Message: error.message, ...extra, RequestId: String(res.getHeader('x-oss-request-id')) };
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n${Object.entries(elements)
    .map(([name, value]) => `  <${name}>${value.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${name}>\n`)
    .join('')}</Error>\n`;
  res.writeHead(error.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) }).end(body);
}

function xmlElement(body: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(body);
  return match?.[1]?.replace(/&lt;/g, '<').replace(/&amp;/g, '&');
}

let server: Server;
let baseUrl: string;
let store: MemoryStore;
let clockMs = Date.now();

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const deps = {
      bucket: BUCKET,
      lookupSecret: (id: string) => (id === ACCESS_KEY_ID ? ACCESS_KEY_SECRET : undefined),
      now: () => clockMs,
      maxSize: MAX_SIZE,
      store,
      sendError,
      isAllowedOrigin: (origin: string) => origin === DEMO_ORIGIN,
    };
    void (req.method === 'PUT' ? handlePutObject(req, res, deps) : handlePresignedGetObject(req, res, deps));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  store = new MemoryStore();
  clockMs = Date.now();
});

/** ali-oss signs for a host name; the request goes to the same path and query on loopback. */
function aliOssUrl(key: string, options: Record<string, unknown>): string {
  const signer = new OSS({
    accessKeyId: ACCESS_KEY_ID,
    accessKeySecret: ACCESS_KEY_SECRET,
    bucket: BUCKET,
    endpoint: 'http://localhost:9000',
    cname: true,
  });
  const { pathname, search } = new URL(signer.signatureUrl(key, options));
  return `${baseUrl}${pathname}${search}`;
}

function ourUrl(key: string, method: string, options: { contentType?: string; contentMd5?: string; expires?: number } = {}): string {
  return presignUrl({
    method,
    bucket: BUCKET,
    key,
    expires: options.expires ?? Math.floor(clockMs / 1000) + 300,
    accessKeyId: ACCESS_KEY_ID,
    accessKeySecret: ACCESS_KEY_SECRET,
    endpoint: baseUrl,
    ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
    ...(options.contentMd5 === undefined ? {} : { contentMd5: options.contentMd5 }),
  });
}

const md5 = (data: Buffer | string): Buffer => createHash('md5').update(data).digest();

describe('presigned PUT (docs/work-order-api.md §4)', () => {
  it('stores an upload signed by ali-oss and answers 200 with the ETag, exposed to the allowed origin', async () => {
    const url = aliOssUrl('pop_temp/ü b.png', { method: 'PUT', expires: 300, 'Content-Type': 'image/png' });
    const response = await fetch(url, {
      method: 'PUT',
      body: Buffer.from('png bytes'),
      headers: { 'Content-Type': 'image/png', Origin: DEMO_ORIGIN },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${md5('png bytes').toString('hex').toUpperCase()}"`);
    expect(response.headers.get('access-control-allow-origin')).toBe(DEMO_ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(response.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
    const stored = store.objects.get('pop_temp/ü b.png');
    expect(stored?.bytes.toString()).toBe('png bytes');
    expect(stored?.meta.contentType).toBe('image/png');
  });

  it('gives no CORS headers to an origin the bucket rule does not allow', async () => {
    const response = await fetch(ourUrl('a.txt', 'PUT'), {
      method: 'PUT',
      body: Buffer.from('x'),
      headers: { Origin: 'https://evil.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 403 SignatureDoesNotMatch with the StringToSign when the browser sends another Content-Type', async () => {
    const url = ourUrl('a.png', 'PUT', { contentType: 'application/octet-stream' });
    const response = await fetch(url, {
      method: 'PUT',
      body: Buffer.from('x'),
      headers: { 'Content-Type': 'image/png', Origin: DEMO_ORIGIN },
    });
    const body = await response.text();
    expect(response.status).toBe(403);
    // The browser must be able to read why it failed.
    expect(response.headers.get('access-control-allow-origin')).toBe(DEMO_ORIGIN);
    expect(xmlElement(body, 'Code')).toBe('SignatureDoesNotMatch');
    expect(xmlElement(body, 'StringToSign')).toBe(`PUT\n\nimage/png\n${new URL(url).searchParams.get('Expires')}\n/work-order/a.png`);
    expect(store.objects.size).toBe(0);
  });

  it('answers 403 "Request has expired." once the emulator clock passes Expires', async () => {
    const url = ourUrl('a.png', 'PUT', { expires: Math.floor(clockMs / 1000) + 60 });
    clockMs += 61_000;
    const response = await fetch(url, { method: 'PUT', body: Buffer.from('x') });
    const body = await response.text();
    expect(response.status).toBe(403);
    expect([xmlElement(body, 'Code'), xmlElement(body, 'Message')]).toEqual(['AccessDenied', 'Request has expired.']);
    expect(store.objects.size).toBe(0);
  });

  it('answers 403 InvalidAccessKeyId for a key the emulator does not know', async () => {
    const url = ourUrl('a.png', 'PUT').replace(ACCESS_KEY_ID, 'LTAI5tUnknown');
    const response = await fetch(url, { method: 'PUT', body: Buffer.from('x') });
    expect(response.status).toBe(403);
    expect(xmlElement(await response.text(), 'Code')).toBe('InvalidAccessKeyId');
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const response = await fetch(ourUrl('big.bin', 'PUT'), { method: 'PUT', body: Buffer.alloc(MAX_SIZE + 1) });
    expect(response.status).toBe(413);
    expect(xmlElement(await response.text(), 'Code')).toBe('EntityTooLarge');
    expect(store.objects.size).toBe(0);
  });

  it('stores a body of exactly the limit', async () => {
    const response = await fetch(ourUrl('exact.bin', 'PUT'), { method: 'PUT', body: Buffer.alloc(MAX_SIZE, 1) });
    expect(response.status).toBe(200);
    expect(store.objects.get('exact.bin')?.bytes.length).toBe(MAX_SIZE);
  });

  it('stops a chunked body as soon as it passes the limit: answers 413 while the client is still sending, stores nothing', async () => {
    const url = new URL(ourUrl('chunked.bin', 'PUT'));
    const chunk = Buffer.alloc(8 * 1024, 7);
    const totalChunks = 64; // 8x the limit
    let chunksWritten = 0;
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(url, { method: 'PUT', headers: { 'Transfer-Encoding': 'chunked' } });
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() });
          req.destroy();
        });
      });
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      const writeNext = (): void => {
        if (answered || chunksWritten === totalChunks) {
          if (!answered) req.end();
          return;
        }
        chunksWritten += 1;
        req.write(chunk, () => setImmediate(writeNext));
      };
      writeNext();
    });
    expect(status.status).toBe(413);
    expect(xmlElement(status.body, 'Code')).toBe('EntityTooLarge');
    expect(chunksWritten).toBeLessThan(totalChunks);
    expect(store.objects.size).toBe(0);
    expect(store.failedPuts).toHaveLength(1);
  });

  it('refuses a body whose MD5 differs from the signed Content-MD5, storing nothing', async () => {
    const declared = md5('something else').toString('base64');
    const url = ourUrl('md5.txt', 'PUT', { contentMd5: declared });
    const response = await fetch(url, { method: 'PUT', body: Buffer.from('hello'), headers: { 'Content-MD5': declared } });
    expect(response.status).toBe(400);
    expect(xmlElement(await response.text(), 'Code')).toBe('InvalidDigest');
    expect(store.objects.size).toBe(0);
  });

  it('stores a body whose MD5 matches the signed Content-MD5', async () => {
    const declared = md5('hello').toString('base64');
    const response = await fetch(ourUrl('md5ok.txt', 'PUT', { contentMd5: declared }), {
      method: 'PUT',
      body: Buffer.from('hello'),
      headers: { 'Content-MD5': declared },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-md5')).toBe(declared);
  });

  it('stores nothing when the client goes away mid-body', async () => {
    const url = new URL(ourUrl('aborted.bin', 'PUT'));
    const settled = store.settled();
    const req = httpRequest(url, { method: 'PUT', headers: { 'Content-Length': String(MAX_SIZE) } });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(1024), () => req.destroy());
    await settled;
    expect(store.objects.size).toBe(0);
    expect(store.failedPuts).toHaveLength(1);
  });
});

describe('presigned GET (GetSignedUrl)', () => {
  it('serves a stored object with the signed response-content-disposition, and refuses the URL for PUT', async () => {
    await fetch(ourUrl('k/report.pdf', 'PUT', { contentType: 'application/pdf' }), {
      method: 'PUT',
      body: Buffer.from('pdf'),
      headers: { 'Content-Type': 'application/pdf' },
    });
    const url = aliOssUrl('k/report.pdf', { method: 'GET', response: { 'content-disposition': 'attachment; filename="r.pdf"' } });
    const response = await fetch(url, { headers: { Origin: DEMO_ORIGIN } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('pdf');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="r.pdf"');
    expect(response.headers.get('etag')).toBe(`"${md5('pdf').toString('hex').toUpperCase()}"`);
    expect(response.headers.get('access-control-allow-origin')).toBe(DEMO_ORIGIN);

    const reused = await fetch(url, { method: 'PUT', body: Buffer.from('overwrite') });
    expect(reused.status).toBe(403);
    expect(store.objects.get('k/report.pdf')?.bytes.toString()).toBe('pdf');
  });

  it('answers 404 NoSuchKey for a signed URL to a missing object', async () => {
    const response = await fetch(ourUrl('missing.png', 'GET'));
    expect(response.status).toBe(404);
    expect(xmlElement(await response.text(), 'Code')).toBe('NoSuchKey');
  });
});
