// The official ali-oss SDK's `signatureUrl` is the reference: every URL our verifier must accept is
// signed by it, and our own signer must produce the very same signature for the same inputs.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { presignUrl, verifyPresignedRequest, type PresignedVerification } from '../../../server/oss-emulator/presignedUrl';

const require = createRequire(import.meta.url);

interface AliOssSigner {
  signatureUrl(name: string, options: Record<string, unknown>): string;
}
const OSS = require('ali-oss') as new (options: Record<string, unknown>) => AliOssSigner;

const ACCESS_KEY_ID = 'LTAI5tPresignTest';
const ACCESS_KEY_SECRET = 'presign-test-secret';
const BUCKET = 'work-order';

// ali-oss refuses IP endpoints for signatureUrl; a host name with cname keeps the URL path-only.
function aliOss(options: { stsToken?: string } = {}): AliOssSigner {
  return new OSS({
    accessKeyId: ACCESS_KEY_ID,
    accessKeySecret: ACCESS_KEY_SECRET,
    bucket: BUCKET,
    endpoint: 'http://localhost:9000',
    cname: true,
    ...(options.stsToken === undefined ? {} : { stsToken: options.stsToken, refreshSTSToken: async () => ({}) }),
  });
}

const lookupSecret = (id: string): string | undefined => (id === ACCESS_KEY_ID ? ACCESS_KEY_SECRET : undefined);

function expiresOf(url: string): number {
  return Number(new URL(url).searchParams.get('Expires'));
}

function verify(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  nowMs: number = (expiresOf(url) - 60) * 1000,
): PresignedVerification {
  const { pathname, search } = new URL(url);
  return verifyPresignedRequest({ method, url: pathname + search, headers, now: nowMs, lookupSecret, bucket: BUCKET });
}

function errorOf(result: PresignedVerification): { status: number; code: string; message: string; extra: Record<string, string> } {
  if (result.ok) throw new Error('expected the request to be refused');
  return result.error;
}

describe('verifyPresignedRequest accepts what ali-oss signatureUrl signs (docs/work-order-api.md §4)', () => {
  it('accepts a PUT with the signed Content-Type and decodes a non-ASCII key with spaces and "+"', () => {
    const url = aliOss().signatureUrl('pop_temp/a b+ü.png', { method: 'PUT', expires: 300, 'Content-Type': 'image/png' });
    const result = verify(url, 'PUT', { 'content-type': 'image/png' });
    expect(result).toMatchObject({ ok: true, key: 'pop_temp/a b+ü.png', accessKeyId: ACCESS_KEY_ID, expires: expiresOf(url) });
  });

  it('accepts a PUT signed with application/octet-stream, the Content-Type of the service curl example', () => {
    const url = aliOss().signatureUrl('k/file.bin', { method: 'PUT', 'Content-Type': 'application/octet-stream' });
    expect(verify(url, 'PUT', { 'Content-Type': 'application/octet-stream' }).ok).toBe(true);
  });

  it('accepts a GET without Content-Type and returns the signed response-* overrides', () => {
    const url = aliOss().signatureUrl('k/a.png', {
      method: 'GET',
      response: { 'content-disposition': 'attachment; filename="x y.png"' },
    });
    expect(verify(url, 'GET')).toMatchObject({
      ok: true,
      responseOverrides: { 'response-content-disposition': 'attachment; filename="x y.png"' },
    });
  });

  it('accepts x-oss-* headers sent with the signed values, in any case and order', () => {
    const url = aliOss().signatureUrl('k/meta.txt', {
      method: 'PUT',
      'Content-Type': 'text/plain',
      'x-oss-meta-origin': 'browser',
      'x-oss-forbid-overwrite': 'true',
    });
    const headers = { 'X-OSS-Forbid-Overwrite': 'true', 'content-type': 'text/plain', 'x-oss-meta-origin': ' browser ' };
    expect(verify(url, 'PUT', headers).ok).toBe(true);
  });

  it('accepts an STS URL and hands back its security token', () => {
    const url = aliOss({ stsToken: 'STS.token+/=' }).signatureUrl('k/sts.png', { method: 'PUT' });
    expect(verify(url, 'PUT')).toMatchObject({ ok: true, securityToken: 'STS.token+/=' });
  });

  it('ignores query parameters OSS does not sign', () => {
    const url = aliOss().signatureUrl('k/a.png', { method: 'GET' });
    expect(verify(`${url}&utm_source=mail`, 'GET').ok).toBe(true);
  });
});

describe('verifyPresignedRequest refuses like OSS', () => {
  it('answers 403 AccessDenied "Request has expired." one second after Expires, with Expires and ServerTime', () => {
    const url = aliOss().signatureUrl('k/a.png', { method: 'PUT', expires: 60 });
    const expires = expiresOf(url);
    expect(verify(url, 'PUT', {}, expires * 1000).ok).toBe(true);
    expect(errorOf(verify(url, 'PUT', {}, (expires + 1) * 1000))).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired.',
      extra: { Expires: new Date(expires * 1000).toISOString(), ServerTime: new Date((expires + 1) * 1000).toISOString() },
    });
  });

  it('answers SignatureDoesNotMatch with the StringToSign OSS would print when the Content-Type differs', () => {
    const url = aliOss().signatureUrl('k/a.png', { method: 'PUT', 'Content-Type': 'application/octet-stream' });
    const error = errorOf(verify(url, 'PUT', { 'content-type': 'image/png' }));
    expect(error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(error.extra.StringToSign).toBe(`PUT\n\nimage/png\n${expiresOf(url)}\n/work-order/k/a.png`);
    expect(error.extra.OSSAccessKeyId).toBe(ACCESS_KEY_ID);
    expect(error.extra.SignatureProvided).toBe(new URL(url).searchParams.get('Signature'));
    expect(error.extra.StringToSignBytes?.startsWith('50 55 54 0A 0A 69 6D')).toBe(true);
  });

  it('refuses a URL used with another method', () => {
    const url = aliOss().signatureUrl('k/a.png', { method: 'GET' });
    expect(errorOf(verify(url, 'PUT')).code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a tampered key, Expires or signed sub-resource', () => {
    const url = aliOss().signatureUrl('k/a.png', {
      method: 'GET',
      response: { 'content-type': 'image/png' },
    });
    expect(errorOf(verify(url.replace('/k/a.png', '/k/b.png'), 'GET')).code).toBe('SignatureDoesNotMatch');
    const later = url.replace(/Expires=\d+/, `Expires=${expiresOf(url) + 3600}`);
    expect(errorOf(verify(later, 'GET')).code).toBe('SignatureDoesNotMatch');
    expect(errorOf(verify(url.replace('image%2Fpng', 'text%2Fhtml'), 'GET')).code).toBe('SignatureDoesNotMatch');
  });

  it('refuses an x-oss-* header that was not signed, or a signed one sent with another value', () => {
    const url = aliOss().signatureUrl('k/a.png', { method: 'PUT', 'x-oss-meta-a': '1' });
    expect(errorOf(verify(url, 'PUT', { 'x-oss-meta-a': '2' })).code).toBe('SignatureDoesNotMatch');
    expect(errorOf(verify(url, 'PUT', { 'x-oss-meta-a': '1', 'x-oss-object-acl': 'public-read' })).code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a Content-MD5 the URL was not signed for', () => {
    const url = aliOss().signatureUrl('k/a.png', { method: 'PUT' });
    expect(errorOf(verify(url, 'PUT', { 'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==' })).code).toBe('SignatureDoesNotMatch');
  });

  it('answers InvalidAccessKeyId for an unknown AccessKeyId', () => {
    const url = aliOss().signatureUrl('k/a.png', { method: 'PUT' }).replace(ACCESS_KEY_ID, 'LTAI5tSomeoneElse');
    expect(errorOf(verify(url, 'PUT'))).toMatchObject({
      status: 403,
      code: 'InvalidAccessKeyId',
      extra: { OSSAccessKeyId: 'LTAI5tSomeoneElse' },
    });
  });

  it('refuses a URL missing one of Expires, OSSAccessKeyId and Signature', () => {
    const url = aliOss().signatureUrl('k/a.png', { method: 'PUT' });
    const withoutSignature = url.replace(/&Signature=[^&]*/, '');
    expect(errorOf(verify(withoutSignature, 'PUT'))).toMatchObject({ status: 403, code: 'AccessDenied' });
  });
});

describe('presignUrl signs like ali-oss', () => {
  it.each([
    ['PUT with Content-Type', 'PUT', { 'Content-Type': 'image/png' }, { contentType: 'image/png' }],
    [
      'PUT with x-oss headers',
      'PUT',
      { 'x-oss-meta-b': '2', 'x-oss-meta-a': '1' },
      { ossHeaders: { 'x-oss-meta-b': '2', 'x-oss-meta-a': '1' } },
    ],
    ['PUT with Content-MD5', 'PUT', { 'Content-MD5': 'XrY7u+Ae7tCTyyK7j1rNww==' }, { contentMd5: 'XrY7u+Ae7tCTyyK7j1rNww==' }],
    ['GET', 'GET', {}, {}],
  ] as const)('%s: the same Signature as signatureUrl', (_label, method, aliOptions, ourOptions) => {
    const reference = aliOss().signatureUrl('dir/ü b.png', { method, ...aliOptions });
    const ours = presignUrl({
      method,
      bucket: BUCKET,
      key: 'dir/ü b.png',
      expires: expiresOf(reference),
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      endpoint: 'http://localhost:9000',
      ...ourOptions,
    });
    const referenceUrl = new URL(reference);
    const ourUrl = new URL(ours);
    expect(ourUrl.pathname).toBe(referenceUrl.pathname);
    expect(ourUrl.searchParams.get('Signature')).toBe(referenceUrl.searchParams.get('Signature'));
    expect(ourUrl.searchParams.get('OSSAccessKeyId')).toBe(ACCESS_KEY_ID);
  });

  it('puts Expires, OSSAccessKeyId and Signature first, like the API reference example, and signs the STS token', () => {
    const url = presignUrl({
      method: 'PUT',
      bucket: BUCKET,
      key: 'a.png',
      expires: 1_900_000_000,
      securityToken: 'STS.x y',
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      endpoint: 'https://work-order.oss-cn-hangzhou.aliyuncs.com/',
    });
    expect(url).toMatch(
      /^https:\/\/work-order\.oss-cn-hangzhou\.aliyuncs\.com\/a\.png\?Expires=1900000000&OSSAccessKeyId=LTAI5tPresignTest&Signature=[^&]+&security-token=STS\.x%20y$/,
    );
    const { pathname, search } = new URL(url);
    const result = verifyPresignedRequest({ method: 'PUT', url: pathname + search, headers: {}, now: 0, lookupSecret, bucket: BUCKET });
    expect(result).toMatchObject({ ok: true, securityToken: 'STS.x y' });
  });

  it('refuses an Expires that is not Unix seconds and a query parameter OSS would not sign', () => {
    const base = { method: 'PUT', bucket: BUCKET, key: 'a', accessKeyId: 'a', accessKeySecret: 'b', endpoint: 'http://x' };
    expect(() => presignUrl({ ...base, expires: Date.now() / 1000 })).toThrow(/Unix seconds/);
    expect(() => presignUrl({ ...base, expires: 1, subResources: { foo: 'bar' } })).toThrow(/not a signed OSS sub-resource/);
  });
});
