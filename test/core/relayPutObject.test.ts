import { describe, expect, it } from 'vitest';
import { isRetryableUploadError } from '../../src/core/parseOssErrorResponse';
import { relayPutObject, type RelayPutObjectRequest } from '../../src/core/relayPutObject';
import { UploadError } from '../../src/core/UploadError';
import { makeFile } from '../../fixtures';
import { capture } from '../support/capture';
import { createFakeXhrFactory } from '../support/fakeXhr';

// The browser side of the upload relay (createAttachmentUploadRelayHandler): what it sends, and how
// each answer of the relay becomes the error a direct PUT to storage would have given.

const FILE = makeFile('报告 1.pdf', 1_000, 'application/pdf');

function startRelay(overrides: Partial<RelayPutObjectRequest> = {}) {
  const factory = createFakeXhrFactory();
  const progress: Array<[number, number]> = [];
  const outcome = capture(
    relayPutObject({
      relayUrl: '/api/attachment-upload-relay',
      fileName: FILE.name,
      file: FILE,
      createXhr: factory.create,
      pageProtocol: 'https:',
      onProgress: (loaded, total) => progress.push([loaded, total]),
      ...overrides,
    }),
  );
  return {
    get xhr() {
      return factory.last();
    },
    progress,
    outcome,
    async error(): Promise<UploadError> {
      const value = await outcome;
      if (value.ok) throw new Error('expected the upload to fail, it succeeded');
      expect(value.error).toBeInstanceOf(UploadError);
      return value.error as UploadError;
    },
  };
}

const json = (body: unknown) => JSON.stringify(body);

describe('relayPutObject', () => {
  it('PUTs the raw file to the relay with the file name in the query, as raw bytes, and reports progress', async () => {
    const upload = startRelay({ relayUrl: '/api/attachment-upload-relay?ticket=42' });
    expect(upload.xhr.method).toBe('PUT');
    expect(upload.xhr.url).toBe('/api/attachment-upload-relay?ticket=42&fileName=%E6%8A%A5%E5%91%8A%201.pdf');
    expect(upload.xhr.requestHeaders).toEqual({ 'content-type': 'application/octet-stream' });
    expect(upload.xhr.body).toBe(FILE);
    upload.xhr.upload.emit('progress', { lengthComputable: true, loaded: 400, total: 1_000 });
    upload.xhr.respond(200, json({ ObjectKey: 'attachments/7/报告 1.pdf', ETag: '"E1"' }), { 'Content-Type': 'application/json' });
    expect(await upload.outcome).toEqual({
      ok: true,
      value: { key: 'attachments/7/报告 1.pdf', status: 200, etag: '"E1"', requestId: null },
    });
    expect(upload.progress).toEqual([[400, 1_000]]);
  });

  it.each([
    ['no ObjectKey', { ETag: '"E1"' }, 'upload-url-missing-field'],
    ['an ObjectKey with a comma', { ObjectKey: 'a,b.pdf' }, 'upload-url-invalid'],
  ])('refuses a 200 with %s', async (_label, body, code) => {
    const upload = startRelay();
    upload.xhr.respond(200, json(body));
    expect((await upload.error()).code).toBe(code);
  });

  it.each([
    [
      'storage "Request has expired." (one fresh URL follows)',
      403,
      {
        code: 'storage-refused',
        message: 'Storage refused the upload because its URL had expired.',
        upstreamCode: 'AccessDenied',
        upstreamMessage: 'Request has expired.',
        requestId: 'R1',
      },
      'upload-url-expired',
      false,
    ],
    [
      'storage SignatureDoesNotMatch',
      403,
      {
        code: 'storage-refused',
        message: 'x',
        upstreamCode: 'SignatureDoesNotMatch',
        upstreamMessage: 'The request signature we calculated does not match',
      },
      'signature-mismatch',
      false,
    ],
    [
      'storage AccessDenied',
      403,
      { code: 'storage-refused', message: 'x', upstreamCode: 'AccessDenied', upstreamMessage: 'You have no right to access this object.' },
      'access-denied',
      false,
    ],
    [
      'storage 5xx',
      502,
      { code: 'storage-error', message: 'x', upstreamCode: 'InternalError', upstreamMessage: 'We encountered an internal error.' },
      'oss-error',
      true,
    ],
    [
      "the relay's cap",
      413,
      { code: 'entity-too-large', message: 'The file is larger than 2097152 bytes.', upstreamCode: 'EntityTooLarge' },
      'entity-too-large',
      false,
    ],
    ['storage unreachable', 502, { code: 'storage-unreachable', message: 'Storage could not be reached: ECONNREFUSED' }, 'oss-error', true],
    [
      'the Work Order API refusing',
      502,
      { code: 'upstream-error', message: 'The Work Order API refused the request: Please sign in again.', upstreamCode: '403' },
      'upload-url-rejected',
      false,
    ],
    [
      'the Work Order API timing out',
      504,
      { code: 'upstream-timeout', message: 'The Work Order API did not answer in time.' },
      'upload-url-timeout',
      false,
    ],
    [
      'a bad file name',
      400,
      { code: 'invalid-file-name', message: 'fileName must not contain control characters.' },
      'upload-url-rejected',
      false,
    ],
  ])('maps the relay answering %s to the error a direct PUT would give', async (_label, status, body, code, retryable) => {
    const upload = startRelay();
    upload.xhr.respond(status, json(body), { 'Content-Type': 'application/json' });
    const error = await upload.error();
    expect([error.code, error.status, isRetryableUploadError(error)]).toEqual([code, status, retryable]);
  });

  it('keeps the Work Order API refusal readable and the storage request id', async () => {
    const refused = startRelay();
    refused.xhr.respond(502, json({ code: 'upstream-error', message: 'The Work Order API refused the request: Please sign in again.' }));
    expect((await refused.error()).message).toBe('The Work Order API refused the request: Please sign in again.');
    const denied = startRelay();
    denied.xhr.respond(
      403,
      json({ code: 'storage-refused', message: 'x', upstreamCode: 'AccessDenied', upstreamMessage: 'Denied.', requestId: 'R9' }),
    );
    expect(await denied.error()).toMatchObject({ ossCode: 'AccessDenied', requestId: 'R9', message: 'Denied.' });
  });

  it('reports an HTML page from a proxy in front of the relay as oss-error with its status', async () => {
    const upload = startRelay();
    upload.xhr.respond(503, '<html><body><h1>503 Service Unavailable</h1></body></html>');
    const error = await upload.error();
    expect([error.code, error.status, error.message]).toEqual([
      'oss-error',
      503,
      'The upload relay answered HTTP 503: "503 Service Unavailable"',
    ]);
  });
});
