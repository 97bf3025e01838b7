import { describe, expect, it } from 'vitest';
import { getAuthorizationLifetime, isAuthorizationExpiredOnArrival, isAuthorizationUsable } from '../../src/core/authorizationExpiry';
import { DEFAULT_UPLOAD_CONTENT_TYPE, parseAttachmentUploadUrl } from '../../src/core/parseAttachmentUploadUrl';
import { UploadError } from '../../src/core/UploadError';
import { buildPresignedPutUrl, buildUploadUrlEnvelope, T0 } from '../../fixtures';

const KEY = 'attachments/2025/01/15/k3x9/report.pdf';
const EXPIRES = T0 / 1000 + 900;
const PUT_URL = buildPresignedPutUrl({ key: KEY, expires: EXPIRES });

function parseError(raw: unknown): UploadError {
  try {
    parseAttachmentUploadUrl(raw, { receivedAt: T0 });
  } catch (error) {
    expect(error).toBeInstanceOf(UploadError);
    return error as UploadError;
  }
  throw new Error('expected parseAttachmentUploadUrl to throw');
}

describe('parseAttachmentUploadUrl: the shapes it accepts', () => {
  it.each([
    ['the 2021 envelope { Code, Message, RequestId, Success, Data }', buildUploadUrlEnvelope(KEY, PUT_URL)],
    ['bare Data', { ObjectKey: KEY, PutSignedUrl: PUT_URL, GetSignedUrl: PUT_URL }],
    ["our server handler's answer", { ObjectKey: KEY, PutSignedUrl: PUT_URL, ContentType: 'application/octet-stream' }],
    ['"true" and the code as text', { Success: 'true', Code: '0', Data: { ObjectKey: KEY, PutSignedUrl: PUT_URL } }],
    ['camelCase field names', { success: true, code: 0, data: { objectKey: KEY, putSignedUrl: PUT_URL } }],
  ])('reads %s', (_label, raw) => {
    const url = parseAttachmentUploadUrl(raw, { receivedAt: T0 });
    expect(url).toMatchObject({ objectKey: KEY, putUrl: PUT_URL, expiresAt: EXPIRES * 1000, receivedAt: T0, serverClockOffset: null });
  });

  it('keeps the PutSignedUrl exactly as issued (its query carries the signature)', () => {
    const issued = `https://b.example/k/%E6%8A%A5%E5%91%8A.pdf?Expires=${EXPIRES}&OSSAccessKeyId=AK&Signature=a%2Bb%2Fc%3D`;
    expect(parseAttachmentUploadUrl({ ObjectKey: 'k/报告.pdf', PutSignedUrl: issued }).putUrl).toBe(issued);
  });

  it.each([
    ['ContentType', { ContentType: 'image/png' }, 'image/png'],
    ['Content-Type', { 'Content-Type': 'text/plain' }, 'text/plain'],
    ['neither: the configured default', {}, 'application/pdf'],
  ])('takes the Content-Type to send from %s', (_label, extra, expected) => {
    const url = parseAttachmentUploadUrl({ ObjectKey: KEY, PutSignedUrl: PUT_URL, ...extra }, { defaultContentType: 'application/pdf' });
    expect(url.contentType).toBe(expected);
  });

  it('sends application/octet-stream when nothing names a Content-Type', () => {
    expect(DEFAULT_UPLOAD_CONTENT_TYPE).toBe('application/octet-stream');
    expect(parseAttachmentUploadUrl({ ObjectKey: KEY, PutSignedUrl: PUT_URL }).contentType).toBe('application/octet-stream');
  });

  it('keeps GetSignedUrl when it is http(s), drops it otherwise', () => {
    expect(parseAttachmentUploadUrl({ ObjectKey: KEY, PutSignedUrl: PUT_URL, GetSignedUrl: PUT_URL }).getUrl).toBe(PUT_URL);
    expect(parseAttachmentUploadUrl({ ObjectKey: KEY, PutSignedUrl: PUT_URL, GetSignedUrl: 'javascript:alert(1)' }).getUrl).toBeNull();
  });

  it('reads the expiry of a V4 presigned URL (x-oss-date + x-oss-expires)', () => {
    const v4 =
      'https://b.example/k.pdf?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20250115T100000Z&x-oss-expires=600&x-oss-signature=ab';
    expect(parseAttachmentUploadUrl({ ObjectKey: 'k.pdf', PutSignedUrl: v4 }).expiresAt).toBe(T0 + 600_000);
  });
});

describe('parseAttachmentUploadUrl: expiry on the server clock', () => {
  it('measures the lifetime from the server Date, so a client clock 10 minutes fast changes nothing', () => {
    const clientNow = T0 + 600_000;
    const url = parseAttachmentUploadUrl(
      { ObjectKey: KEY, PutSignedUrl: PUT_URL },
      { receivedAt: clientNow, serverDate: new Date(T0).toUTCString() },
    );
    expect(url.serverClockOffset).toBe(-600_000);
    expect(getAuthorizationLifetime(url)).toBe(900_000);
    expect(isAuthorizationUsable(url, clientNow + 60_000)).toBe(true);
  });

  it('reports a URL whose Expires had already passed on arrival (server time)', () => {
    const url = parseAttachmentUploadUrl(
      { ObjectKey: KEY, PutSignedUrl: PUT_URL },
      { receivedAt: T0, serverDate: new Date(T0 + 901_000).toUTCString() },
    );
    expect(isAuthorizationExpiredOnArrival(url)).toBe(true);
  });
});

describe('parseAttachmentUploadUrl: refusals and bad answers', () => {
  it('rejects Success:false with the service message and code kept', () => {
    const error = parseError({
      Code: 'Forbidden.NoPermission',
      Message: 'You are not authorized.',
      RequestId: 'R-1',
      Success: false,
      Data: null,
    });
    expect([error.code, error.message, error.ossCode, error.requestId]).toEqual([
      'upload-url-rejected',
      'You are not authorized.',
      'Forbidden.NoPermission',
      'R-1',
    ]);
  });

  it('rejects a gateway error without Success ({ Code, Message }) as refused', () => {
    expect(
      parseError({
        RequestId: 'R',
        HostId: 'workorder.aliyuncs.com',
        Code: 'SignatureDoesNotMatch',
        Message: 'Specified signature is not matched.',
      }),
    ).toMatchObject({
      code: 'upload-url-rejected',
      message: 'Specified signature is not matched.',
    });
  });

  it.each([
    ['a string', 'https://b.example/k?Expires=1', 'upload-url-malformed', undefined],
    ['null', null, 'upload-url-malformed', undefined],
    ['an array', [PUT_URL], 'upload-url-malformed', undefined],
    ['an envelope without Data', { Success: true, Code: 0 }, 'upload-url-missing-field', 'Data'],
    ['no ObjectKey', { PutSignedUrl: PUT_URL }, 'upload-url-missing-field', 'ObjectKey'],
    ['an empty PutSignedUrl', { ObjectKey: KEY, PutSignedUrl: ' ' }, 'upload-url-missing-field', 'PutSignedUrl'],
    ['a relative PutSignedUrl', { ObjectKey: KEY, PutSignedUrl: `/${KEY}?Expires=${EXPIRES}` }, 'upload-url-invalid', 'PutSignedUrl'],
    [
      'a javascript: PutSignedUrl',
      { ObjectKey: KEY, PutSignedUrl: `javascript:alert(1)//?Expires=${EXPIRES}` },
      'upload-url-invalid',
      'PutSignedUrl',
    ],
    [
      'credentials in the PutSignedUrl',
      { ObjectKey: KEY, PutSignedUrl: `https://u:p@b.example/k?Expires=${EXPIRES}` },
      'upload-url-invalid',
      'PutSignedUrl',
    ],
    [
      'no Expires',
      { ObjectKey: KEY, PutSignedUrl: 'https://b.example/k?OSSAccessKeyId=AK&Signature=s' },
      'upload-url-invalid',
      'PutSignedUrl',
    ],
    [
      'an Expires that is not unix seconds',
      { ObjectKey: KEY, PutSignedUrl: 'https://b.example/k?Expires=tomorrow' },
      'upload-url-invalid',
      'PutSignedUrl',
    ],
    [
      'an ObjectKey with a comma (FileNameList is comma-joined)',
      { ObjectKey: 'a/b,c.pdf', PutSignedUrl: PUT_URL },
      'upload-url-invalid',
      'ObjectKey',
    ],
  ])('rejects %s with %s', (_label, raw, code, field) => {
    const error = parseError(raw);
    expect([error.code, error.field]).toEqual([code, field]);
  });
});
