import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_STALL_TIMEOUT_MS } from '../../src/core/sendXhrUpload';
import { putObject, type PutObjectRequest, type PutObjectResult } from '../../src/core/putObject';
import { UploadError } from '../../src/core/UploadError';
import { makeFile, ossErrorXml } from '../../fixtures';
import { capture } from '../support/capture';
import { createFakeXhrFactory, type FakeXhrOptions } from '../support/fakeXhr';
import { NGINX_502_HTML } from '../support/ossErrorCases';

const KEY = 'attachments/2025/01/k3x9q0a7m2zt/report.pdf';
const URL_HTTPS = `https://work-order.oss-cn-hangzhou.aliyuncs.com/${KEY}?Expires=1736935320&OSSAccessKeyId=LTAI5tExample&Signature=AbSEh%2Bq9%3D`;
const FILE = makeFile('report.pdf', 1_000, 'application/pdf');

async function flushMicrotasks() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function startPut(overrides: Partial<PutObjectRequest> = {}, xhrOptions: FakeXhrOptions = {}) {
  const factory = createFakeXhrFactory(xhrOptions);
  const progress: Array<[number, number]> = [];
  const outcome = capture(
    putObject({
      url: URL_HTTPS,
      key: KEY,
      file: FILE,
      contentType: 'application/octet-stream',
      createXhr: factory.create,
      pageProtocol: 'https:',
      onProgress: (loaded, total) => progress.push([loaded, total]),
      ...overrides,
    }),
  );
  let settled = false;
  void outcome.then(() => {
    settled = true;
  });
  return {
    get xhr() {
      return factory.last();
    },
    factory,
    progress,
    async isSettled() {
      await flushMicrotasks();
      return settled;
    },
    async result(): Promise<PutObjectResult> {
      const value = await outcome;
      if (!value.ok) throw new Error(`expected the upload to succeed, it failed with ${String(value.error)}`);
      return value.value;
    },
    async error(): Promise<UploadError> {
      const value = await outcome;
      if (value.ok) throw new Error('expected the upload to fail, it succeeded');
      expect(value.error).toBeInstanceOf(UploadError);
      return value.error as UploadError;
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('putObject: the request (docs/work-order-api.md §4)', () => {
  it('PUTs the raw file to the presigned URL as issued, asynchronously, without credentials', async () => {
    const upload = startPut({}, { withCredentials: true });
    const { xhr } = upload;
    expect(xhr.method).toBe('PUT');
    expect(xhr.url).toBe(URL_HTTPS);
    expect(xhr.async).toBe(true);
    expect(xhr.withCredentialsAtSend).toBe(false);
    expect(xhr.body).toBe(FILE);
    xhr.respond(200, '', { ETag: '"5B3C1A2E053D763E1B002CC607C5A0FE"' });
    await upload.result();
  });

  it('sends exactly the Content-Type the URL was signed for and no other header, whatever the file type', () => {
    const { xhr } = startPut({ contentType: 'application/octet-stream' });
    expect(FILE.type).toBe('application/pdf');
    expect(xhr.requestHeaders).toEqual({ 'content-type': 'application/octet-stream' });
    xhr.respond(200);
  });

  it.each([
    ['upgrades an http URL on an https page', 'https:', 'https://'],
    ['keeps an http URL on an http page', 'http:', 'http://'],
  ])('%s (the V1 signature does not cover the scheme)', (_label, pageProtocol, scheme) => {
    const httpUrl = URL_HTTPS.replace('https://', 'http://');
    const { xhr } = startPut({ url: httpUrl, pageProtocol });
    expect(xhr.url).toBe(httpUrl.replace('http://', scheme));
    xhr.respond(200);
  });
});

describe('putObject: outcomes', () => {
  it('resolves a 200 with the key, the ETag and the request id', async () => {
    const upload = startPut();
    upload.xhr.respond(200, '', { ETag: '"etag-1"', 'x-oss-request-id': '65A1B2C3' });
    expect(await upload.result()).toEqual({ key: KEY, status: 200, etag: '"etag-1"', requestId: '65A1B2C3' });
  });

  it('treats a 200 whose ETag CORS hides as stored (etag null), without touching the unsafe header', async () => {
    const upload = startPut({}, { exposedHeaders: [] });
    upload.xhr.respond(200, '', { ETag: '"etag-1"', 'x-oss-request-id': '65A1B2C3' });
    expect(await upload.result()).toMatchObject({ status: 200, etag: null, requestId: null });
    expect(upload.xhr.unsafeHeaderReads).toEqual([]);
  });

  it.each([
    ['AccessDenied "Request has expired."', 'AccessDenied', 'Request has expired.', 'upload-url-expired'],
    [
      'SignatureDoesNotMatch (a wrong Content-Type)',
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
      'signature-mismatch',
    ],
    ['another AccessDenied', 'AccessDenied', 'You have no right to access this object because of bucket acl.', 'access-denied'],
  ])('maps a 403 %s through the OSS error parser', async (_label, ossCode, message, code) => {
    const upload = startPut();
    upload.xhr.respond(403, ossErrorXml(ossCode, message, 'REQ-403'), { 'Content-Type': 'application/xml' });
    const error = await upload.error();
    expect([error.code, error.status, error.ossCode, error.requestId, error.message]).toEqual([code, 403, ossCode, 'REQ-403', message]);
  });

  it('reports a 502 HTML page from a proxy as oss-error with its status (retryable)', async () => {
    const upload = startPut();
    upload.xhr.respond(502, NGINX_502_HTML, { 'Content-Type': 'text/html' });
    expect(await upload.error()).toMatchObject({ code: 'oss-error', status: 502 });
  });

  it.each([
    ['a dropped connection', (xhr: ReturnType<typeof startPut>['xhr']) => xhr.failNetwork(), 'network-error'],
    ['a status-0 load (CORS refused the answer)', (xhr: ReturnType<typeof startPut>['xhr']) => xhr.respond(0), 'network-error'],
    ['the XHR timeout event', (xhr: ReturnType<typeof startPut>['xhr']) => xhr.fireTimeout(), 'timeout'],
  ])('rejects %s with %s', async (_label, act, code) => {
    const upload = startPut();
    act(upload.xhr);
    expect((await upload.error()).code).toBe(code);
  });
});

describe('putObject: progress, stall and abort', () => {
  it('forwards upload progress', async () => {
    const upload = startPut();
    upload.xhr.progress(250, 1_000);
    upload.xhr.progress(1_000, 1_000);
    upload.xhr.progress(10, 20, false); // not computable: ignored
    upload.xhr.respond(200);
    await upload.result();
    expect(upload.progress).toEqual([
      [250, 1_000],
      [1_000, 1_000],
    ]);
  });

  it('fails with timeout and aborts the request after the stall timeout with no progress, not before', async () => {
    const upload = startPut({ stallTimeoutMs: 1_000 });
    vi.advanceTimersByTime(900);
    upload.xhr.progress(100, 1_000); // progress re-arms the timer
    vi.advanceTimersByTime(900);
    expect(await upload.isSettled()).toBe(false);
    vi.advanceTimersByTime(100);
    const error = await upload.error();
    expect(error.code).toBe('timeout');
    expect(upload.xhr.abortCalls).toBe(1);
  });

  it('uses the same default stall timeout as postObject', async () => {
    const upload = startPut();
    vi.advanceTimersByTime(DEFAULT_STALL_TIMEOUT_MS - 1);
    expect(await upload.isSettled()).toBe(false);
    vi.advanceTimersByTime(1);
    expect((await upload.error()).code).toBe('timeout');
  });

  it('aborts the XHR and rejects with canceled when the signal aborts, ignoring a late answer', async () => {
    const controller = new AbortController();
    const upload = startPut({ signal: controller.signal });
    controller.abort();
    expect((await upload.error()).code).toBe('canceled');
    expect(upload.xhr.abortCalls).toBe(1);
  });

  it('sends nothing for an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const upload = startPut({ signal: controller.signal });
    expect((await upload.error()).code).toBe('canceled');
    expect(upload.factory.instances).toHaveLength(0);
  });
});
