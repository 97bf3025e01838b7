import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OssAuthorization } from '../../src/core/parseOssAuthorization';
import {
  buildContentDisposition,
  buildPostObjectForm,
  postObject,
  resolveUploadUrl,
  type PostObjectRequest,
  type PostObjectResult,
} from '../../src/core/postObject';
import { DEFAULT_STALL_TIMEOUT_MS } from '../../src/core/sendXhrUpload';
import { UploadError } from '../../src/core/UploadError';
import { makeAuthorization, makeFile, ossErrorXml } from '../../fixtures';
import { capture } from '../support/capture';
import { NGINX_502_HTML, OSS_ERROR_CASES } from '../support/ossErrorCases';
import { createFakeXhrFactory, type FakeXhrOptions } from '../support/fakeXhr';

const HTTPS_HOST = 'https://work-order.oss-cn-hangzhou.aliyuncs.com/';
const HTTP_HOST = 'http://work-order.oss-cn-hangzhou.aliyuncs.com/';
const AUTH = makeAuthorization({ host: HTTPS_HOST });
const KEY = 'pop_temp123/k3x9q0a7m2zt/report.pdf';
const FILE = makeFile('report.pdf', 1_000, 'application/pdf');

const V4_FIELDS = {
  'x-oss-signature-version': 'OSS4-HMAC-SHA256',
  'x-oss-credential': 'LTAI5tExampleAccessId/20250115/cn-hangzhou/oss/aliyun_v4_request',
  'x-oss-date': '20250115T100000Z',
  'x-oss-signature': '9f0c1ad8e8b4a3f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f',
};

async function flushMicrotasks() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Starts one upload against a fresh fake XHR and returns handles to drive and observe it. */
function startUpload(overrides: Partial<PostObjectRequest> = {}, xhrOptions: FakeXhrOptions = {}) {
  const factory = createFakeXhrFactory(xhrOptions);
  const progress: Array<[number, number]> = [];
  const outcome = capture(
    postObject({
      authorization: AUTH,
      key: KEY,
      file: FILE,
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
    factory,
    get xhr() {
      return factory.last();
    },
    progress,
    async isSettled() {
      await flushMicrotasks();
      return settled;
    },
    async result(): Promise<PostObjectResult> {
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
  vi.setSystemTime(new Date('2025-01-15T10:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('postObject: the form (docs/oss-protocol.md §1 "Form fields", "Ordering")', () => {
  it('sends key, policy, OSSAccessKeyId, Signature, success_action_status=200 and the file last (V1)', async () => {
    const upload = startUpload();
    const { xhr } = upload;

    expect(xhr.formFieldNames).toEqual(['key', 'policy', 'OSSAccessKeyId', 'Signature', 'success_action_status', 'file']);
    expect(xhr.formField('key')).toBe(KEY);
    expect(xhr.formField('policy')).toBe(AUTH.policy);
    expect(xhr.formField('OSSAccessKeyId')).toBe(AUTH.accessId);
    expect(xhr.formField('Signature')).toBe(AUTH.signature);
    expect(xhr.formField('success_action_status')).toBe('200');
    const [, filePart] = xhr.formEntries.at(-1)!;
    expect(filePart).toBeInstanceOf(File);
    expect((filePart as File).name).toBe('report.pdf');
    expect((filePart as File).size).toBe(1_000);

    xhr.respond(200);
    await upload.result();
  });

  it('adds x-oss-security-token after success_action_status for STS, the file still last (docs/oss-protocol.md §1)', () => {
    const { xhr } = startUpload({ authorization: makeAuthorization({ host: HTTPS_HOST, securityToken: 'CAIS8AF1q6Ft5B2yfSjIr5bSEsv' }) });
    expect(xhr.formFieldNames).toEqual([
      'key',
      'policy',
      'OSSAccessKeyId',
      'Signature',
      'success_action_status',
      'x-oss-security-token',
      'file',
    ]);
    expect(xhr.formField('x-oss-security-token')).toBe('CAIS8AF1q6Ft5B2yfSjIr5bSEsv');
    xhr.respond(200);
  });

  it('adds Content-Disposition (the download name, docs/oss-protocol.md §1) after the token, the file still last', () => {
    const disposition = buildContentDisposition('报告.pdf');
    const { xhr } = startUpload({
      authorization: makeAuthorization({ host: HTTPS_HOST, securityToken: 'CAIS8AF1q6Ft5B2yfSjIr5bSEsv' }),
      contentDisposition: disposition,
    });
    expect(xhr.formFieldNames).toEqual([
      'key',
      'policy',
      'OSSAccessKeyId',
      'Signature',
      'success_action_status',
      'x-oss-security-token',
      'Content-Disposition',
      'file',
    ]);
    expect(xhr.formField('Content-Disposition')).toBe(disposition);
    xhr.respond(200);
  });

  it('sends the V4 fields instead of OSSAccessKeyId and Signature (docs/oss-protocol.md §3)', () => {
    const v4Auth: OssAuthorization = { ...AUTH, signature: V4_FIELDS['x-oss-signature'], v4: V4_FIELDS };
    const { xhr } = startUpload({ authorization: v4Auth });
    expect(xhr.formFieldNames).toEqual([
      'key',
      'policy',
      'x-oss-signature-version',
      'x-oss-credential',
      'x-oss-date',
      'x-oss-signature',
      'success_action_status',
      'file',
    ]);
    for (const [field, value] of Object.entries(V4_FIELDS)) expect(xhr.formField(field)).toBe(value);
    xhr.respond(200);
  });

  it('sends the V4 fields with an STS token in order', () => {
    const v4Auth: OssAuthorization = { ...AUTH, signature: V4_FIELDS['x-oss-signature'], v4: V4_FIELDS, securityToken: 'CAIS-token' };
    const { xhr } = startUpload({ authorization: v4Auth });
    expect(xhr.formFieldNames).toEqual([
      'key',
      'policy',
      'x-oss-signature-version',
      'x-oss-credential',
      'x-oss-date',
      'x-oss-signature',
      'success_action_status',
      'x-oss-security-token',
      'file',
    ]);
    xhr.respond(200);
  });

  it.each([
    ['the file name by default', {}, 'report.pdf'],
    ['fileName when given', { fileName: 'upload.bin' }, 'upload.bin'],
  ])('names the file part with %s', (_label, overrides, name) => {
    const form = buildPostObjectForm({ authorization: AUTH, key: KEY, file: FILE, ...overrides });
    expect((form.get('file') as File).name).toBe(name);
  });

  it('names a Blob without a name "file"', () => {
    const form = buildPostObjectForm({ authorization: AUTH, key: KEY, file: new Blob(['abc']) });
    expect((form.get('file') as File).name).toBe('file');
    expect((form.get('file') as File).size).toBe(3);
  });

  it('POSTs asynchronously with withCredentials false (docs/oss-protocol.md §5) and no custom headers, so no preflight', () => {
    const { xhr } = startUpload({}, { withCredentials: true });
    expect(xhr.method).toBe('POST');
    expect(xhr.async).toBe(true);
    expect(xhr.withCredentialsAtSend).toBe(false);
    expect(xhr.requestHeaders).toEqual({});
    xhr.respond(200);
  });
});

describe('postObject: the URL (docs/oss-protocol.md §8 "http host on https pages")', () => {
  it.each([
    ['upgrades an http host on an https page', HTTP_HOST, 'https:', 'https://work-order.oss-cn-hangzhou.aliyuncs.com/'],
    ['keeps an http host on an http page', HTTP_HOST, 'http:', HTTP_HOST],
    ['keeps an https host on an http page', HTTPS_HOST, 'http:', HTTPS_HOST],
    ['keeps an https host on an https page', HTTPS_HOST, 'https:', HTTPS_HOST],
    ['keeps an http host when the page protocol is unknown', HTTP_HOST, undefined, HTTP_HOST],
  ])('%s', (_label, host, pageProtocol, url) => {
    expect(resolveUploadUrl(host, pageProtocol)).toBe(url);
    const { xhr } = startUpload({ authorization: makeAuthorization({ host }), pageProtocol });
    expect(xhr.url).toBe(url);
    xhr.respond(200);
  });
});

describe('postObject: progress', () => {
  it('forwards the upload progress sequence', async () => {
    const upload = startUpload();
    upload.xhr.progress(0, 1_200);
    upload.xhr.progress(300, 1_200);
    upload.xhr.progress(900, 1_200);
    upload.xhr.progress(1_200, 1_200);
    upload.xhr.respond(200);
    await upload.result();
    expect(upload.progress).toEqual([
      [0, 1_200],
      [300, 1_200],
      [900, 1_200],
      [1_200, 1_200],
    ]);
  });

  it('does not forward events whose length is not computable', () => {
    const upload = startUpload();
    upload.xhr.progress(10, 0, false);
    upload.xhr.progress(20, 100);
    expect(upload.progress).toEqual([[20, 100]]);
    upload.xhr.respond(200);
  });
});

describe('postObject: cancel and stall', () => {
  it('rejects with canceled and aborts the XHR when the signal aborts', async () => {
    const controller = new AbortController();
    const upload = startUpload({ signal: controller.signal });
    upload.xhr.progress(100, 1_000);
    controller.abort();
    const error = await upload.error();
    expect(error.code).toBe('canceled');
    expect(upload.xhr.abortCalls).toBe(1);
    expect(upload.progress).toEqual([[100, 1_000]]);
  });

  it('rejects at once with canceled and creates no XHR when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const upload = startUpload({ signal: controller.signal });
    expect((await upload.error()).code).toBe('canceled');
    expect(upload.factory.instances).toHaveLength(0);
  });

  it('keeps the abort reason as the cause', async () => {
    const controller = new AbortController();
    const upload = startUpload({ signal: controller.signal });
    controller.abort(new Error('user left the page'));
    expect(((await upload.error()).cause as Error).message).toBe('user left the page');
  });

  it('rejects with timeout and aborts the XHR after 30 s without progress', async () => {
    expect(DEFAULT_STALL_TIMEOUT_MS).toBe(30_000);
    const upload = startUpload();
    vi.advanceTimersByTime(29_999);
    expect(await upload.isSettled()).toBe(false);
    expect(upload.xhr.abortCalls).toBe(0);
    vi.advanceTimersByTime(1);
    const error = await upload.error();
    expect(error.code).toBe('timeout');
    expect(upload.xhr.abortCalls).toBe(1);
  });

  it('restarts the stall timer on every progress event', async () => {
    const upload = startUpload();
    vi.advanceTimersByTime(20_000);
    upload.xhr.progress(100, 1_000);
    vi.advanceTimersByTime(29_999);
    expect(await upload.isSettled()).toBe(false);
    upload.xhr.progress(200, 1_000);
    vi.advanceTimersByTime(29_999);
    expect(await upload.isSettled()).toBe(false);
    vi.advanceTimersByTime(1);
    expect((await upload.error()).code).toBe('timeout');
  });

  it('honours a custom stall timeout', async () => {
    const upload = startUpload({ stallTimeoutMs: 5_000 });
    vi.advanceTimersByTime(4_999);
    expect(await upload.isSettled()).toBe(false);
    vi.advanceTimersByTime(1);
    expect((await upload.error()).code).toBe('timeout');
  });

  it('stops the stall timer and the abort listener once the upload succeeded', async () => {
    const controller = new AbortController();
    const upload = startUpload({ signal: controller.signal });
    upload.xhr.respond(200);
    await upload.result();
    vi.advanceTimersByTime(10 * DEFAULT_STALL_TIMEOUT_MS);
    controller.abort();
    expect(upload.xhr.abortCalls).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops the stall timer once the upload failed', async () => {
    const upload = startUpload();
    upload.xhr.respond(403, ossErrorXml('AccessDenied', 'Invalid according to Policy: Policy expired.'));
    await upload.error();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('maps the XHR timeout event to timeout', async () => {
    const upload = startUpload();
    upload.xhr.fireTimeout();
    expect((await upload.error()).code).toBe('timeout');
  });
});

describe('postObject: success (docs/oss-protocol.md §4 "Success")', () => {
  it('resolves a 200 with an empty body, reading ETag, request id and Date', async () => {
    const upload = startUpload();
    upload.xhr.respond(200, '', {
      ETag: '"D41D8CD98F00B204E9800998ECF8427E"',
      'x-oss-request-id': '65A1B2C3D4E5F60718293A4B',
      Date: 'Wed, 15 Jan 2025 10:00:07 GMT',
    });
    expect(await upload.result()).toEqual({
      key: KEY,
      status: 200,
      etag: '"D41D8CD98F00B204E9800998ECF8427E"',
      requestId: '65A1B2C3D4E5F60718293A4B',
      location: null,
      serverDate: Date.UTC(2025, 0, 15, 10, 0, 7),
    });
  });

  it('reads ETag and the request id only when the bucket CORS rule exposes them (docs/oss-protocol.md §5), without touching unsafe headers', async () => {
    const headers = {
      ETag: '"D41D8CD98F00B204E9800998ECF8427E"',
      'x-oss-request-id': '65A1B2C3D4E5F60718293A4B',
      Date: 'Wed, 15 Jan 2025 10:00:07 GMT',
    };
    const hidden = startUpload({}, { exposedHeaders: [] });
    hidden.xhr.respond(200, '', headers);
    expect(await hidden.result()).toMatchObject({ etag: null, requestId: null, serverDate: null });
    expect(hidden.xhr.unsafeHeaderReads).toEqual([]);

    const exposed = startUpload({}, { exposedHeaders: ['ETag', 'x-oss-request-id'] });
    exposed.xhr.respond(200, '', headers);
    expect(await exposed.result()).toMatchObject({
      etag: '"D41D8CD98F00B204E9800998ECF8427E"',
      requestId: '65A1B2C3D4E5F60718293A4B',
      serverDate: null,
    });
    expect(exposed.xhr.unsafeHeaderReads).toEqual([]);
  });

  it.each([
    ['delay-seconds', '9', 9_000],
    ["an HTTP date, against the answer's own Date", 'Wed, 15 Jan 2025 10:05:30 GMT', 30_000],
  ])('reads an exposed Retry-After (%s) into the error of a 503', async (_label, retryAfter, expected) => {
    const upload = startUpload({}, { exposedHeaders: ['Retry-After', 'Date'] });
    upload.xhr.respond(503, ossErrorXml('SlowDown', 'Please reduce your request rate.'), {
      'Retry-After': retryAfter,
      Date: 'Wed, 15 Jan 2025 10:05:00 GMT',
    });
    expect(await upload.error()).toMatchObject({ status: 503, retryAfterMs: expected });
  });

  it('keeps the request id of a failure from an exposed header, without touching unsafe headers', async () => {
    const upload = startUpload({}, { exposedHeaders: ['x-oss-request-id'] });
    upload.xhr.respond(502, NGINX_502_HTML, { 'x-oss-request-id': 'HEADER-ID', 'x-oss-ec': '0002-00000701' });
    expect((await upload.error()).requestId).toBe('HEADER-ID');
    expect(upload.xhr.unsafeHeaderReads).toEqual([]);
  });

  it('resolves a 204 with an empty body and no exposed headers', async () => {
    const upload = startUpload();
    upload.xhr.respond(204);
    expect(await upload.result()).toEqual({ key: KEY, status: 204, etag: null, requestId: null, location: null, serverDate: null });
  });

  it('parses Location from a 201 <PostResponse>', async () => {
    const upload = startUpload();
    upload.xhr.respond(
      201,
      '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Bucket>work-order</Bucket><Location>https://work-order.oss-cn-hangzhou.aliyuncs.com/pop_temp123/k3x9q0a7m2zt/report.pdf</Location><Key>pop_temp123/k3x9q0a7m2zt/report.pdf</Key><ETag>"D41D8CD98F00B204E9800998ECF8427E"</ETag></PostResponse>',
      { ETag: '"D41D8CD98F00B204E9800998ECF8427E"' },
    );
    const result = await upload.result();
    expect(result.status).toBe(201);
    expect(result.location).toBe('https://work-order.oss-cn-hangzhou.aliyuncs.com/pop_temp123/k3x9q0a7m2zt/report.pdf');
    expect(result.etag).toBe('"D41D8CD98F00B204E9800998ECF8427E"');
  });

  it('decodes XML entities in the 201 Location (a key may contain "&")', async () => {
    const upload = startUpload({ key: 'pop_temp123/k3x9q0a7m2zt/Q&A.pdf' });
    upload.xhr.respond(
      201,
      '<PostResponse><Bucket>work-order</Bucket><Location>https://work-order.oss-cn-hangzhou.aliyuncs.com/pop_temp123/k3x9q0a7m2zt/Q&amp;A.pdf</Location><Key>pop_temp123/k3x9q0a7m2zt/Q&amp;A.pdf</Key><ETag>"x"</ETag></PostResponse>',
    );
    expect((await upload.result()).location).toBe('https://work-order.oss-cn-hangzhou.aliyuncs.com/pop_temp123/k3x9q0a7m2zt/Q&A.pdf');
  });

  it('treats a 203 CallbackFailed as stored (2xx, docs/oss-protocol.md §4)', async () => {
    const upload = startUpload();
    upload.xhr.respond(203, ossErrorXml('CallbackFailed', 'Error status : 502.'));
    expect((await upload.result()).status).toBe(203);
  });
});

describe('postObject: failures (docs/oss-protocol.md §4 "Codes for this flow")', () => {
  it.each(OSS_ERROR_CASES)(
    '$name through the XHR, with status, ossCode and requestId',
    async ({ status, ossCode, xmlMessage, message, expected, extra }) => {
      const upload = startUpload();
      upload.xhr.progress(1_000, 1_000);
      upload.xhr.respond(status, ossErrorXml(ossCode, xmlMessage, '65A1B2C3D4E5F60718293A4B', extra), {
        'Content-Type': 'application/xml',
        'x-oss-request-id': '65A1B2C3D4E5F60718293A4B',
      });
      const error = await upload.error();
      expect({
        code: error.code,
        status: error.status,
        ossCode: error.ossCode,
        requestId: error.requestId,
        message: error.message,
      }).toEqual({
        code: expected,
        status,
        ossCode,
        requestId: '65A1B2C3D4E5F60718293A4B',
        message,
      });
    },
  );

  it('turns an HTML 502 page into oss-error with status 502 and a readable message', async () => {
    const upload = startUpload();
    upload.xhr.respond(502, NGINX_502_HTML, { 'Content-Type': 'text/html' });
    const error = await upload.error();
    expect(error.code).toBe('oss-error');
    expect(error.status).toBe(502);
    expect(error.message).toContain('502 Bad Gateway');
    expect(error.message).not.toContain('<');
  });

  it('takes the request id from the header when the error body has none', async () => {
    const upload = startUpload();
    upload.xhr.respond(503, '', { 'x-oss-request-id': 'HEADER-ID' });
    const error = await upload.error();
    expect([error.code, error.status, error.requestId]).toEqual(['oss-error', 503, 'HEADER-ID']);
  });

  it('maps a load with status 0 (CORS refusal) to network-error', async () => {
    const upload = startUpload();
    upload.xhr.respond(0);
    expect((await upload.error()).code).toBe('network-error');
  });

  it('maps a dropped connection to network-error', async () => {
    const upload = startUpload();
    upload.xhr.progress(500, 1_000);
    upload.xhr.failNetwork();
    const error = await upload.error();
    expect(error.code).toBe('network-error');
    expect(error.status).toBeUndefined();
  });

  it('ignores progress and abort after it settled', async () => {
    const controller = new AbortController();
    const upload = startUpload({ signal: controller.signal });
    upload.xhr.failNetwork();
    await upload.error();
    controller.abort();
    expect(upload.xhr.abortCalls).toBe(0);
    expect(upload.progress).toEqual([]);
  });
});

describe('buildContentDisposition (docs/oss-protocol.md §8 "Chinese or non-ASCII names")', () => {
  it.each([
    ['a Chinese name', '报告.pdf', `attachment; filename="__.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`],
    ['an ASCII name', 'report.pdf', `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`],
    [
      'RFC 5987 attr-chars that encodeURIComponent leaves alone',
      "it's (final)*.pdf",
      `attachment; filename="it's (final)*.pdf"; filename*=UTF-8''it%27s%20%28final%29%2A.pdf`,
    ],
    ['quotes and backslashes', 'a"b\\c.txt', `attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`],
    ['a name with a CR LF', 'a\r\nb.txt', `attachment; filename="a__b.txt"; filename*=UTF-8''a%0D%0Ab.txt`],
  ])('encodes %s with an ASCII fallback and filename*', (_label, name, expected) => {
    expect(buildContentDisposition(name)).toBe(expected);
  });

  it('round-trips the UTF-8 name through filename*', () => {
    const name = '工单 附件 😀 (2).png';
    const encoded = /filename\*=UTF-8''(.*)$/.exec(buildContentDisposition(name))?.[1];
    expect(decodeURIComponent(encoded!)).toBe(name);
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]*$/); // RFC 5987 attr-char or pct-encoded only
  });
});
