import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { presignUrl } from '../../../server/oss-emulator/presignedUrl';
import {
  handlePutObject,
  type OssErrorAnswer,
  type PresignedObjectStore,
  type PutObjectMeta,
} from '../../../server/oss-emulator/putObjectHandler';
import {
  createAttachmentUploadRelayHandler,
  DEFAULT_RELAY_MAX_BYTES,
  type AttachmentUploadRelayAnswer,
  type AttachmentUploadRelayErrorAnswer,
} from '../../../server/work-order/attachmentUploadRelayHandler';
import { createWorkOrder2021Client } from '../../../server/work-order/workOrder2021Client';
import { startLoopbackServer, type LoopbackServer } from './support/loopbackServer';
import {
  API_ACCESS_KEY_ID,
  API_ACCESS_KEY_SECRET,
  OSS_ACCESS_KEY_ID,
  OSS_ACCESS_KEY_SECRET,
  OSS_BUCKET,
  startWorkOrder2021Stack,
  type WorkOrder2021Stack,
} from './support/workOrder2021Stack';

// The relay between real loopback servers: the 2021 emulator issues presigned PUTs for an OSS
// stand-in that verifies them (handlePutObject) and stores into a temporary folder (temp file +
// rename, as the emulator does), and the relay handler streams a test body to it.

/** Stores objects under `root` (temp file, then rename) and counts the bytes that reached it. */
class TempDirStore implements PresignedObjectStore {
  received = 0;
  failNext = false;
  readonly contentTypes = new Map<string, string>();
  #waiters: Array<{ bytes: number; resolve: () => void }> = [];

  constructor(readonly root: string) {}

  async put(key: string, body: Readable, meta: PutObjectMeta): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      body.resume();
      throw new Error('disk full');
    }
    await mkdir(path.join(this.root, 'tmp'), { recursive: true });
    await mkdir(path.join(this.root, 'objects'), { recursive: true });
    const temporary = path.join(this.root, 'tmp', randomBytes(8).toString('hex'));
    body.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      for (const waiter of this.#waiters.filter((entry) => this.received >= entry.bytes)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
    try {
      await pipeline(body, createWriteStream(temporary));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await rename(temporary, path.join(this.root, 'objects', encodeURIComponent(key)));
    this.contentTypes.set(key, meta.contentType);
  }

  get(): undefined {
    return undefined;
  }

  /** Resolves once at least `bytes` body bytes reached storage. */
  receivedAtLeast(bytes: number): Promise<void> {
    if (this.received >= bytes) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ bytes, resolve }));
  }

  async objects(): Promise<string[]> {
    return (await readdir(path.join(this.root, 'objects')).catch(() => [])).map(decodeURIComponent);
  }

  async tempFiles(): Promise<string[]> {
    return readdir(path.join(this.root, 'tmp')).catch(() => []);
  }

  read(key: string): Promise<Buffer> {
    return readFile(path.join(this.root, 'objects', encodeURIComponent(key)));
  }
}

function sendError(res: ServerResponse, error: OssErrorAnswer): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${error.code}</Code>\n  <Message>${error.message}</Message>\n  <RequestId>${String(res.getHeader('x-oss-request-id'))}</RequestId>\n</Error>\n`;
  res.writeHead(error.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) }).end(body);
}

let root: string;
let store: TempDirStore;
let oss: LoopbackServer;
let stack: WorkOrder2021Stack;
/** Seconds added to the URLs' `Expires` (negative: already expired when issued). */
let urlLifetimeSeconds = 900;
let ossEndpoint = '';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'relay-test-'));
  oss = await startLoopbackServer((req, res) => {
    void handlePutObject(req, res, {
      bucket: OSS_BUCKET,
      lookupSecret: (id) => (id === OSS_ACCESS_KEY_ID ? OSS_ACCESS_KEY_SECRET : undefined),
      now: () => Date.now(),
      // Storage's own limit is larger: the cap under test is the relay's.
      maxSize: 8 * 1024 * 1024,
      store,
      sendError,
      isAllowedOrigin: () => false,
    });
  });
  stack = await startWorkOrder2021Stack({
    presign: (objectKey, method, contentType) =>
      presignUrl({
        method,
        bucket: OSS_BUCKET,
        key: objectKey,
        expires: Math.floor(Date.now() / 1000) + urlLifetimeSeconds,
        accessKeyId: OSS_ACCESS_KEY_ID,
        accessKeySecret: OSS_ACCESS_KEY_SECRET,
        endpoint: ossEndpoint,
        ...(contentType === undefined ? {} : { contentType }),
      }),
  });
});

beforeEach(async () => {
  store = new TempDirStore(path.join(root, randomBytes(4).toString('hex')));
  urlLifetimeSeconds = 900;
  ossEndpoint = oss.url;
});

afterEach(async () => {
  // No temporary file may outlive an upload, whatever its outcome.
  await expect.poll(() => store.tempFiles()).toEqual([]);
});

afterAll(async () => {
  await stack.close();
  await oss.close();
  await rm(root, { recursive: true, force: true });
});

function relay(options: { contentType?: string; maxBytes?: number; accessKeySecret?: string } = {}) {
  return createAttachmentUploadRelayHandler({
    client: createWorkOrder2021Client({
      accessKeyId: API_ACCESS_KEY_ID,
      accessKeySecret: options.accessKeySecret ?? API_ACCESS_KEY_SECRET,
      endpoint: stack.host,
      protocol: 'http',
    }),
    ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
}

/** A browser's PUT to the relay, its body streamed (no Content-Length unless given). */
function put(fileName: string | null, body: ReadableStream<Uint8Array> | Uint8Array | null, headers: Record<string, string> = {}): Request {
  const url = new URL('http://127.0.0.1/api/attachment-upload-relay');
  if (fileName !== null) url.searchParams.set('fileName', fileName);
  return new Request(url, { method: 'PUT', headers, body, duplex: 'half' } as RequestInit);
}

/** `total` random bytes in 64 KiB chunks; `beforeLast` runs before the last chunk is produced. */
function slowBody(total: number, beforeLast?: () => Promise<void>) {
  const bytes = randomBytes(total);
  const chunk = 64 * 1024;
  let offset = 0;
  const source = {
    bytes,
    /** Bytes the relay has pulled from the "browser" so far. */
    pulled: 0,
    stream: new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (offset >= total) {
          controller.close();
          return;
        }
        if (offset + chunk >= total) await beforeLast?.();
        const piece = bytes.subarray(offset, Math.min(total, offset + chunk));
        offset += piece.length;
        source.pulled = offset;
        controller.enqueue(new Uint8Array(piece));
      },
    }),
  };
  return source;
}

async function errorOf(response: Response): Promise<AttachmentUploadRelayErrorAnswer> {
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(response.headers.get('cache-control')).toBe('no-store');
  return (await response.json()) as AttachmentUploadRelayErrorAnswer;
}

const md5Hex = (data: Uint8Array) => createHash('md5').update(data).digest('hex').toUpperCase();

describe('PUT /api/attachment-upload-relay', () => {
  it('streams a 1.9 MB upload to the presigned URL: storage receives bytes before the browser has sent them all', async () => {
    let upstreamBeforeLastChunk: 'received' | 'nothing yet' = 'nothing yet';
    const source = slowBody(1_900_000, async () => {
      // Were the whole body buffered first, storage would see nothing until this chunk is sent.
      upstreamBeforeLastChunk = await Promise.race([
        store.receivedAtLeast(1_000_000).then(() => 'received' as const),
        sleep(5_000).then(() => 'nothing yet' as const),
      ]);
    });

    const response = await relay()(put('screen shot 报告.png', source.stream));

    expect(upstreamBeforeLastChunk).toBe('received');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const answer = (await response.json()) as AttachmentUploadRelayAnswer;
    expect(answer.ObjectKey).toMatch(/\/screen shot 报告\.png$/);
    expect(answer.ETag).toBe(`"${md5Hex(source.bytes)}"`);
    expect(stack.emulator.issuedKeys()).toContain(answer.ObjectKey);
    expect((await store.read(answer.ObjectKey)).equals(source.bytes)).toBe(true);
    // The Content-Type the URL was signed for, not the one the browser sent.
    expect(store.contentTypes.get(answer.ObjectKey)).toBe('application/octet-stream');
  });

  it('forwards a declared Content-Length and stores the exact bytes', async () => {
    const bytes = randomBytes(300_000);
    const response = await relay()(put('a.bin', bytes, { 'Content-Type': 'image/png', 'Content-Length': String(bytes.length) }));
    expect(response.status).toBe(200);
    const { ObjectKey } = (await response.json()) as AttachmentUploadRelayAnswer;
    expect((await store.read(ObjectKey)).equals(bytes)).toBe(true);
  });

  it('cuts a streamed body the moment it passes the cap: 413 entity-too-large, the rest never read, nothing stored', async () => {
    const source = slowBody(3 * 1024 * 1024);

    const response = await relay()(put('big.bin', source.stream));

    expect(response.status).toBe(413);
    expect(await errorOf(response)).toMatchObject({ code: 'entity-too-large', upstreamCode: 'EntityTooLarge' });
    expect(source.pulled).toBeGreaterThan(DEFAULT_RELAY_MAX_BYTES);
    expect(source.pulled).toBeLessThan(3 * 1024 * 1024);
    expect(await store.objects()).toEqual([]);
  });

  it('honours a smaller maxBytes', async () => {
    const response = await relay({ maxBytes: 100_000 })(put('a.bin', slowBody(200_000).stream));
    expect(response.status).toBe(413);
    expect(await store.objects()).toEqual([]);
  });

  it('refuses a declared Content-Length over the cap before asking the API for a URL', async () => {
    const before = stack.emulator.issuedKeys().length;
    // As a Node server hands it over: the header as the browser sent it.
    const response = await relay()(
      put('big.bin', new Uint8Array(DEFAULT_RELAY_MAX_BYTES + 1), { 'Content-Length': String(DEFAULT_RELAY_MAX_BYTES + 1) }),
    );
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('entity-too-large');
    expect(stack.emulator.issuedKeys().length).toBe(before);
  });

  it.each([
    ['a path', 'dir/a.png'],
    ['the parent directory', '..'],
    ['an empty name', ''],
    ['a newline', 'a\n.png'],
    ['no fileName at all', null],
  ])('refuses %s with 400 invalid-file-name, without calling the API', async (_label, fileName) => {
    const before = stack.emulator.issuedKeys().length;
    const response = await relay()(put(fileName, new Uint8Array(10)));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid-file-name');
    expect(stack.emulator.issuedKeys().length).toBe(before);
  });

  it('answers 405 with Allow: PUT to another method', async () => {
    const response = await relay()(
      new Request('http://127.0.0.1/api/attachment-upload-relay?fileName=a.png', { method: 'POST', body: 'x' }),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('PUT');
    expect((await errorOf(response)).code).toBe('method-not-allowed');
  });

  it('answers 502 upstream-error with the API gateway Code when the Work Order API refuses the call', async () => {
    const response = await relay({ accessKeySecret: 'wrong-secret' })(put('a.png', new Uint8Array(10)));
    expect(response.status).toBe(502);
    const error = await errorOf(response);
    expect(error.code).toBe('upstream-error');
    expect(error.upstreamCode).toMatch(/Signature/);
    expect(await store.objects()).toEqual([]);
  });

  it('passes a storage refusal on as a readable error with its status, Code and Message: SignatureDoesNotMatch', async () => {
    const response = await relay({ contentType: 'image/png' })(put('a.png', new Uint8Array(10)));
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: 'storage-refused', upstreamCode: 'SignatureDoesNotMatch' });
    expect(error.message).toContain('SignatureDoesNotMatch');
    expect(error.requestId).toMatch(/^[0-9A-F]{24}$/);
    expect(await store.objects()).toEqual([]);
  });

  it('says a URL refused as expired cannot be renewed mid-stream: 403 storage-refused "Request has expired." and send again', async () => {
    urlLifetimeSeconds = -60;
    const response = await relay()(put('a.png', slowBody(100_000).stream));
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: 'storage-refused', upstreamCode: 'AccessDenied', upstreamMessage: 'Request has expired.' });
    expect(error.message).toMatch(/expired.*send the file again/);
  });

  it('turns a storage 5xx into 502 storage-error (worth a retry)', async () => {
    store.failNext = true;
    const response = await relay()(put('a.png', new Uint8Array(10)));
    expect(response.status).toBe(502);
    expect(await errorOf(response)).toMatchObject({ code: 'storage-error', upstreamCode: 'InternalError' });
  });

  it('answers 502 storage-unreachable when storage does not answer', async () => {
    const closed = await startLoopbackServer(() => {});
    await closed.close();
    ossEndpoint = closed.url;
    const response = await relay()(put('a.png', new Uint8Array(10)));
    expect(response.status).toBe(502);
    expect((await errorOf(response)).code).toBe('storage-unreachable');
  });

  it('stores nothing when the browser goes away mid-upload', async () => {
    let sent = 0;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 500_000) {
          controller.error(new Error('connection reset by the browser'));
          return;
        }
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const response = await relay()(put('a.png', broken));
    expect(response.status).toBeGreaterThanOrEqual(400);
    await sleep(100);
    expect(await store.objects()).toEqual([]);
  });
});
