import { createHash } from 'node:crypto';
import { mkdtemp, rm, copyFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { presignUrl } from '../../server/oss-emulator/presignedUrl';
import {
  handlePutObject,
  type OssErrorAnswer,
  type PresignedObjectStore,
  type PutObjectMeta,
} from '../../server/oss-emulator/putObjectHandler';
import { startLoopbackServer, type LoopbackServer } from '../server/work-order/support/loopbackServer';
import { launchBrowser, type BrowserSession } from './support/launchBrowser';
import { throttleUpload } from './support/pageHelpers';
import { startStaticServer, type StaticServer } from './support/staticServer';
import { makeTestFile, type TestFile } from './support/testFiles';

// The presigned PUT transport (putObject, and the queue's presigned PUT strategy) in Chromium against
// a real loopback server that verifies V1 presigned URLs (handlePutObject) and allows the page's
// origin by CORS: real upload progress, abort, expiry with one fresh URL, a wrong Content-Type, and
// the stored bytes.

const here = path.dirname(fileURLToPath(import.meta.url));
const ACCESS_KEY_ID = 'LTAI5tBrowserPut';
const ACCESS_KEY_SECRET = 'browser-put-secret';
const BUCKET = 'work-order-browser';
const SIGNED_TYPE = 'application/octet-stream';

class MemoryStore implements PresignedObjectStore {
  readonly objects = new Map<string, Buffer>();
  readonly failedPuts: Error[] = [];

  async put(key: string, body: Readable, _meta: PutObjectMeta): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
    } catch (error) {
      this.failedPuts.push(error as Error);
      throw error;
    }
    this.objects.set(key, Buffer.concat(chunks));
  }

  get(): undefined {
    return undefined;
  }
}

function sendError(res: ServerResponse, error: OssErrorAnswer): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${error.code}</Code>\n  <Message>${error.message}</Message>\n  <RequestId>${String(res.getHeader('x-oss-request-id'))}</RequestId>\n</Error>\n`;
  res.writeHead(error.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) }).end(body);
}

let pageDir: string;
let pages: StaticServer;
let oss: LoopbackServer;
let browser: BrowserSession;
let store: MemoryStore;
let page: Page;
/** PUTs still to be judged on a clock 400 s ahead: their URLs (300 s) have expired for storage. */
let expireNextPuts = 0;
let urlRequests: string[] = [];
let putsReceived = 0;

function presign(key: string, contentType = SIGNED_TYPE): string {
  return presignUrl({
    method: 'PUT',
    bucket: BUCKET,
    key,
    expires: Math.floor(Date.now() / 1000) + 300,
    accessKeyId: ACCESS_KEY_ID,
    accessKeySecret: ACCESS_KEY_SECRET,
    endpoint: oss.url,
    contentType,
  });
}

function handleOss(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin ?? '';
  const url = new URL(req.url ?? '/', oss.url);
  if (req.method === 'OPTIONS') {
    // The bucket's CORS rule: PUT from the page's origin with a Content-Type.
    res.writeHead(origin === pages.url ? 200 : 403, {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'PUT',
      'Access-Control-Allow-Headers': 'content-type',
      'Access-Control-Max-Age': '0',
    });
    res.end();
    return;
  }
  if (url.pathname === '/__upload-url') {
    // Stands in for the backend's POST /api/attachment-upload-url: one fresh key and URL per call.
    const fileName = url.searchParams.get('fileName') ?? '';
    urlRequests.push(fileName);
    const key = `attachments/${urlRequests.length}/${fileName}`;
    const body = JSON.stringify({ ObjectKey: key, PutSignedUrl: presign(key), ContentType: SIGNED_TYPE });
    res
      .writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': pages.url, 'Cache-Control': 'no-store' })
      .end(body);
    return;
  }
  putsReceived += 1;
  const offsetMs = expireNextPuts > 0 ? 400_000 : 0;
  if (expireNextPuts > 0) expireNextPuts -= 1;
  void handlePutObject(req, res, {
    bucket: BUCKET,
    lookupSecret: (id) => (id === ACCESS_KEY_ID ? ACCESS_KEY_SECRET : undefined),
    now: () => Date.now() + offsetMs,
    maxSize: 2 * 1024 * 1024,
    store,
    sendError,
    isAllowedOrigin: (candidate) => candidate === pages.url,
  });
}

beforeAll(async () => {
  pageDir = await mkdtemp(path.join(tmpdir(), 'put-transport-page-'));
  await build({
    entryPoints: [path.join(here, 'harness/put-transport/putTransportPage.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile: path.join(pageDir, 'putTransportPage.js'),
    logLevel: 'silent',
  });
  await copyFile(path.join(here, 'harness/put-transport/index.html'), path.join(pageDir, 'index.html'));
  [pages, oss, browser] = await Promise.all([startStaticServer(pageDir), startLoopbackServer(handleOss), launchBrowser()]);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([browser?.close(), pages?.close(), oss?.close()]);
  await rm(pageDir, { recursive: true, force: true });
});

beforeEach(async () => {
  store = new MemoryStore();
  expireNextPuts = 0;
  urlRequests = [];
  putsReceived = 0;
  page = await browser.context.newPage();
  await page.goto(`${pages.url}/index.html`);
  await page.waitForFunction(() => window.putTransport !== undefined);
});

afterEach(async () => {
  await page.close();
});

async function chooseFile(file: TestFile): Promise<void> {
  await page.locator('#file').setInputFiles({ name: file.name, mimeType: file.mimeType, buffer: file.buffer });
}

interface PutOutcome {
  ok: boolean;
  result?: { key: string; status: number; etag: string | null };
  error?: { code: string; status?: number; ossCode?: string; message: string };
  progress: Array<[number, number]>;
}

/** Runs putObject in the page on the chosen file; `abortAtBytes` aborts once that much was sent. */
function putInPage(url: string, key: string, contentType: string, abortAtBytes?: number): Promise<PutOutcome> {
  return page.evaluate(
    async ({ url, key, contentType, abortAtBytes }) => {
      const file = (document.getElementById('file') as HTMLInputElement).files?.[0] as File;
      const controller = new AbortController();
      const progress: Array<[number, number]> = [];
      try {
        const result = await window.putTransport.putObject({
          url,
          key,
          file,
          contentType,
          signal: controller.signal,
          onProgress: (loaded, total) => {
            progress.push([loaded, total]);
            if (abortAtBytes !== undefined && loaded >= abortAtBytes) controller.abort();
          },
        });
        return { ok: true, result: { key: result.key, status: result.status, etag: result.etag }, progress };
      } catch (caught) {
        const error = caught as { code: string; status?: number; ossCode?: string; message: string };
        return { ok: false, error: { code: error.code, status: error.status, ossCode: error.ossCode, message: error.message }, progress };
      }
    },
    { url, key, contentType, abortAtBytes },
  );
}

const md5Upper = (buffer: Buffer) => createHash('md5').update(buffer).digest('hex').toUpperCase();

describe('presigned PUT in Chromium', () => {
  it('shows several increasing progress events and stores the file byte for byte, answering its ETag', async () => {
    const file = makeTestFile('report.bin', 800_000);
    await chooseFile(file);
    await throttleUpload(page, 400_000);

    const outcome = await putInPage(presign('attachments/report.bin'), 'attachments/report.bin', SIGNED_TYPE);

    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toEqual({ key: 'attachments/report.bin', status: 200, etag: `"${md5Upper(file.buffer)}"` });
    const loaded = outcome.progress.map(([bytes]) => bytes);
    expect(loaded.length).toBeGreaterThanOrEqual(3);
    expect(loaded.every((bytes, index) => index === 0 || bytes > (loaded[index - 1] as number))).toBe(true);
    expect(loaded.at(-1)).toBe(file.buffer.length);
    expect(outcome.progress.every(([, total]) => total === file.buffer.length)).toBe(true);
    expect(store.objects.get('attachments/report.bin')?.equals(file.buffer)).toBe(true);
  });

  it('aborts mid-upload: canceled, and storage keeps nothing', async () => {
    const file = makeTestFile('big.bin', 1_500_000);
    await chooseFile(file);
    await throttleUpload(page, 300_000);

    const outcome = await putInPage(presign('attachments/big.bin'), 'attachments/big.bin', SIGNED_TYPE, 300_000);

    expect(outcome.error?.code).toBe('canceled');
    expect(outcome.progress.at(-1)?.[0]).toBeLessThan(file.buffer.length);
    // Storage saw the body break off and committed nothing.
    await expect.poll(() => store.failedPuts.length).toBe(1);
    expect(putsReceived).toBe(1);
    expect(store.objects.size).toBe(0);
  });

  it('answers a wrong Content-Type with a readable SignatureDoesNotMatch error, and stores nothing', async () => {
    await chooseFile(makeTestFile('photo.png', 20_000, 'image/png'));

    const outcome = await putInPage(presign('attachments/photo.png'), 'attachments/photo.png', 'image/png');

    expect(outcome.error).toMatchObject({ code: 'signature-mismatch', status: 403, ossCode: 'SignatureDoesNotMatch' });
    expect(outcome.error?.message).toMatch(/signature we calculated does not match/);
    expect(store.objects.size).toBe(0);
  });

  it('gets exactly one fresh URL after storage answers "Request has expired.", and stores the file once', async () => {
    const file = makeTestFile('late.bin', 200_000);
    await chooseFile(file);
    expireNextPuts = 1;

    const outcome = await page.evaluate(async (urlEndpoint) => {
      const { createUploadQueue, createPresignedPutStrategy, parseAttachmentUploadUrl } = window.putTransport;
      const file = (document.getElementById('file') as HTMLInputElement).files?.[0] as File;
      const strategy = createPresignedPutStrategy({
        requestUploadUrl: async ({ file: requested, signal }) => {
          const response = await fetch(`${urlEndpoint}?fileName=${encodeURIComponent(requested.name)}`, { signal });
          return parseAttachmentUploadUrl(await response.json());
        },
      });
      return new Promise<{ status: string; key?: string; code?: string }>((resolve) => {
        const queue = createUploadQueue({
          strategy,
          retryDelay: () => 10,
          onUploadSucceeded: (upload) => resolve({ status: upload.status, key: upload.key }),
          onUploadFailed: (upload) => resolve({ status: upload.status, code: upload.error.code }),
        });
        queue.add([file]);
      });
    }, `${oss.url}/__upload-url`);

    expect(outcome).toEqual({ status: 'done', key: 'attachments/2/late.bin' });
    expect(urlRequests).toEqual(['late.bin', 'late.bin']);
    expect(putsReceived).toBe(2);
    expect([...store.objects.keys()]).toEqual(['attachments/2/late.bin']);
    expect(store.objects.get('attachments/2/late.bin')?.equals(file.buffer)).toBe(true);
  });
});
