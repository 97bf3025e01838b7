import { describe, expect, it } from 'vitest';
import { isRetryableUploadError, parseOssErrorResponse } from '../../src/core/parseOssErrorResponse';
import { UploadError, type UploadErrorCode } from '../../src/core/UploadError';
import { ossErrorXml } from '../../fixtures';
import { NGINX_502_HTML, OSS_ERROR_CASES } from '../support/ossErrorCases';

describe('parseOssErrorResponse: OSS <Error> documents (docs/oss-protocol.md §4 "Codes for this flow")', () => {
  it.each(OSS_ERROR_CASES)('$name', ({ status, ossCode, xmlMessage, message, expected, extra }) => {
    const error = parseOssErrorResponse(status, ossErrorXml(ossCode, xmlMessage, '65A1B2C3D4E5F60718293A4B', extra));
    expect(error).toBeInstanceOf(UploadError);
    expect(error.code).toBe(expected);
    expect(error.status).toBe(status);
    expect(error.ossCode).toBe(ossCode);
    expect(error.requestId).toBe('65A1B2C3D4E5F60718293A4B');
    expect(error.message).toBe(message);
  });

  it('takes the request id from the x-oss-request-id header when the document has none', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>';
    const error = parseOssErrorResponse(403, xml, '5C3D9175B6FC201293ADHEAD');
    expect(error.code).toBe('policy-expired');
    expect(error.requestId).toBe('5C3D9175B6FC201293ADHEAD');
  });

  it('prefers the document request id over the header', () => {
    expect(parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'x', 'FROM-XML'), 'FROM-HEADER').requestId).toBe('FROM-XML');
  });

  it('decodes XML character references in the message', () => {
    const error = parseOssErrorResponse(400, ossErrorXml('InvalidArgument', 'key &lt;a&amp;b&gt; &#x4E2D;&#25991; &apos;q&apos;'));
    expect(error.message).toBe("key <a&b> 中文 'q'");
    expect(error.code).toBe('oss-error');
  });

  it('matches "Policy expired" case-insensitively', () => {
    expect(parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'Invalid according to Policy: POLICY EXPIRED.')).code).toBe(
      'policy-expired',
    );
  });

  it('finds the <Error> element inside surrounding whitespace and an XML declaration', () => {
    const error = parseOssErrorResponse(403, `\n\n  ${ossErrorXml('InvalidAccessKeyId', 'gone')}\n`);
    expect(error.code).toBe('invalid-access-key');
  });

  it('reports an <Error> without a Code as oss-error with a generic message', () => {
    const error = parseOssErrorResponse(500, '<Error><RequestId>R1</RequestId></Error>');
    expect(error.code).toBe('oss-error');
    expect(error.ossCode).toBe('UnknownError');
    expect(error.message).toBe('Storage answered 500 UnknownError.');
    expect(error.requestId).toBe('R1');
  });
});

describe('parseOssErrorResponse: bodies that are not OSS documents', () => {
  it('turns an HTML 502 page into oss-error with status 502 and a readable message', () => {
    const error = parseOssErrorResponse(502, NGINX_502_HTML, null);
    expect(error.code).toBe('oss-error');
    expect(error.status).toBe(502);
    expect(error.ossCode).toBeUndefined();
    expect(error.message).toBe('Storage answered HTTP 502: "502 Bad Gateway 502 Bad Gateway nginx"');
    expect(error.message).not.toMatch(/[<>\r\n]/);
  });

  it.each([
    ['an empty body', 503, '', 'Storage answered HTTP 503.'],
    ['whitespace only', 500, ' \n ', 'Storage answered HTTP 500.'],
    ['a JSON body', 429, '{"error":"slow down"}', 'Storage answered HTTP 429: "{"error":"slow down"}"'],
  ])('turns %s into oss-error with a readable message', (_label, status, body, message) => {
    const error = parseOssErrorResponse(status, body);
    expect(error.code).toBe('oss-error');
    expect(error.status).toBe(status);
    expect(error.message).toBe(message);
  });

  it('cuts a long page to a short snippet', () => {
    const error = parseOssErrorResponse(500, `<html><body><p>${'x'.repeat(5_000)}</p></body></html>`);
    expect(error.message.length).toBeLessThan(200);
  });

  it('keeps the header request id for a non-XML answer', () => {
    expect(parseOssErrorResponse(502, NGINX_502_HTML, '5C3D9175B6FC201293AD').requestId).toBe('5C3D9175B6FC201293AD');
  });
});

describe('isRetryableUploadError', () => {
  const error = (code: UploadErrorCode, status?: number) => new UploadError(code, code, status === undefined ? {} : { status });

  it.each([
    ['network-error', error('network-error'), true],
    ['timeout', error('timeout'), true],
    ['a 500 oss-error', error('oss-error', 500), true],
    ['a 502 HTML page', parseOssErrorResponse(502, NGINX_502_HTML), true],
    ['a 503 SlowDown', parseOssErrorResponse(503, ossErrorXml('SlowDown', 'Please reduce your request rate.')), true],
    ['a 429', error('oss-error', 429), true],
    ['canceled', error('canceled'), false],
    [
      'policy-expired (handled by re-authorizing, not by backoff)',
      parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'Invalid according to Policy: Policy expired.')),
      false,
    ],
    [
      'a 403 access-denied',
      parseOssErrorResponse(403, ossErrorXml('AccessDenied', 'You have no right to access this object because of bucket acl.')),
      false,
    ],
    ['a 403 signature-mismatch', parseOssErrorResponse(403, ossErrorXml('SignatureDoesNotMatch', 'x')), false],
    ['a 400 entity-too-large', parseOssErrorResponse(400, ossErrorXml('EntityTooLarge', 'x')), false],
    ['a 400 MalformedPOSTRequest', parseOssErrorResponse(400, ossErrorXml('MalformedPOSTRequest', 'x')), false],
    ['a 404', error('oss-error', 404), false],
    ['a 409 FileAlreadyExists', parseOssErrorResponse(409, ossErrorXml('FileAlreadyExists', 'x')), false],
    ['file-too-large (no status)', error('file-too-large'), false],
    ['authorization-expired', error('authorization-expired'), false],
  ])('%s → %s', (_label, uploadError, retryable) => {
    expect(isRetryableUploadError(uploadError)).toBe(retryable);
  });
});
