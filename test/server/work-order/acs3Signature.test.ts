// The official @alicloud/workorder20210610 client is the reference: its requests, captured on a
// loopback logging server, must verify, and any change to them must not.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  parseAcs3Authorization,
  sha256Hex,
  signAcs3Request,
  verifyAcs3Request,
  type Acs3Verification,
} from '../../../server/work-order/acs3Signature';
import { capturedHeaders, sendJson, startCapturingServer, type CapturedRequest } from './support/loopbackServer';
import { createSdkClient, sdk } from './support/workOrderSdk';

const ACCESS_KEY_ID = 'LTAI5tAcs3Test';
const ACCESS_KEY_SECRET = 'acs3-test-secret';
const lookupSecret = (id: string): string | undefined => (id === ACCESS_KEY_ID ? ACCESS_KEY_SECRET : undefined);

let uploadUrlRequest: CapturedRequest;
let replyRequest: CapturedRequest;
let notesRequest: CapturedRequest;
let stsRequest: CapturedRequest;

beforeAll(async () => {
  const server = await startCapturingServer((request, res) => {
    const action = request.rawHeaders.find(([name]) => name === 'x-acs-action')?.[1];
    const data = action === 'ListTicketNotes' ? [] : action === 'ReplyTicket' ? '1' : { ObjectKey: 'k', PutSignedUrl: 'u' };
    sendJson(res, 200, { Code: 0, Message: 'Success', RequestId: 'R', Success: true, Data: data });
  });
  try {
    const client = createSdkClient({ host: server.host, accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET });
    await client.getAttachmentUploadUrl(new sdk.GetAttachmentUploadUrlRequest({ fileName: 'a b+ü.png' }));
    await client.replyTicket(new sdk.ReplyTicketRequest({ ticketId: 'T1', content: 'c', fileNameList: ['k1/a b.png', 'k2'] }));
    await client.listTicketNotes(new sdk.ListTicketNotesRequest({ ticketId: 'T1' }));
    const stsClient = createSdkClient({
      host: server.host,
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      securityToken: 'STS.token',
    });
    await stsClient.getAttachmentUploadUrl(new sdk.GetAttachmentUploadUrlRequest({ fileName: 'a.png' }));
  } finally {
    await server.close();
  }
  [uploadUrlRequest, replyRequest, notesRequest, stsRequest] = server.requests as [
    CapturedRequest,
    CapturedRequest,
    CapturedRequest,
    CapturedRequest,
  ];
});

function verify(
  request: CapturedRequest,
  changes: { headers?: Headers; body?: Buffer; url?: string; method?: string } = {},
): Acs3Verification {
  return verifyAcs3Request({
    method: changes.method ?? request.method,
    url: changes.url ?? request.url,
    headers: changes.headers ?? capturedHeaders(request),
    body: changes.body ?? request.body,
    lookupSecret,
  });
}

function withHeader(request: CapturedRequest, name: string, value: string | undefined): Headers {
  const headers = capturedHeaders(request);
  if (value === undefined) headers.delete(name);
  else headers.set(name, value);
  return headers;
}

describe('what @alicloud/workorder20210610 1.0.1 really sends (docs/work-order-api.md §6)', () => {
  it('POSTs / with a chunked form body and an ACS3-HMAC-SHA256 Authorization over the x-acs-* headers', () => {
    expect(uploadUrlRequest.method).toBe('POST');
    expect(uploadUrlRequest.url).toBe('/');
    const header = (name: string): string | undefined => uploadUrlRequest.rawHeaders.find(([key]) => key.toLowerCase() === name)?.[1];
    expect(header('transfer-encoding')).toBe('chunked');
    expect(header('content-type')).toBe('application/x-www-form-urlencoded');
    expect(header('x-acs-action')).toBe('GetAttachmentUploadUrl');
    expect(header('x-acs-version')).toBe('2021-06-10');
    expect(header('x-acs-date')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(header('x-acs-content-sha256')).toBe(sha256Hex(uploadUrlRequest.body));
    expect(uploadUrlRequest.body.toString()).toBe('FileName=a%20b%2B%C3%BC.png');
    expect(parseAcs3Authorization(header('authorization'))).toEqual({
      accessKeyId: ACCESS_KEY_ID,
      signedHeaders: [
        'content-type',
        'host',
        'x-acs-action',
        'x-acs-content-sha256',
        'x-acs-credentials-provider',
        'x-acs-date',
        'x-acs-signature-nonce',
        'x-acs-version',
      ],
      signature: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown as string,
    });
    expect(header('x-acs-credentials-provider')).toBe('static_ak');
  });

  it('sends ReplyTicket FileNameList comma-joined in the query, ListTicketNotes with an empty body', () => {
    expect(replyRequest.url).toBe('/?FileNameList=k1%2Fa%20b.png%2Ck2');
    expect(replyRequest.body.toString()).toBe('Content=c&TicketId=T1');
    expect(notesRequest.url).toBe('/?TicketId=T1');
    expect(notesRequest.body.length).toBe(0);
  });
});

describe('verifyAcs3Request', () => {
  it('accepts every captured SDK request, the STS one included', () => {
    for (const request of [uploadUrlRequest, replyRequest, notesRequest, stsRequest]) {
      expect(verify(request)).toMatchObject({ ok: true, accessKeyId: ACCESS_KEY_ID });
    }
    expect(parseAcs3Authorization(capturedHeaders(stsRequest).get('authorization'))?.signedHeaders).toContain('x-acs-security-token');
  });

  it('refuses another secret, with the StringToSign it computed', () => {
    const result = verifyAcs3Request({
      method: 'POST',
      url: uploadUrlRequest.url,
      headers: capturedHeaders(uploadUrlRequest),
      body: uploadUrlRequest.body,
      lookupSecret: () => 'another-secret',
    });
    expect(result).toMatchObject({
      ok: false,
      reason: 'signature-mismatch',
      stringToSign: expect.stringMatching(/^ACS3-HMAC-SHA256\n[0-9a-f]{64}$/) as unknown as string,
    });
  });

  it('refuses a body that is not the one hashed, and a body re-hashed without re-signing', () => {
    const forged = Buffer.from('FileName=evil.exe');
    expect(verify(uploadUrlRequest, { body: forged })).toMatchObject({ ok: false, reason: 'content-sha256-mismatch' });
    const rehashed = withHeader(uploadUrlRequest, 'x-acs-content-sha256', sha256Hex(forged));
    expect(verify(uploadUrlRequest, { body: forged, headers: rehashed })).toMatchObject({ ok: false, reason: 'signature-mismatch' });
  });

  it('refuses a changed signed header, query, path or method', () => {
    expect(verify(uploadUrlRequest, { headers: withHeader(uploadUrlRequest, 'x-acs-action', 'CreateTicket') })).toMatchObject({
      reason: 'signature-mismatch',
    });
    expect(verify(uploadUrlRequest, { headers: withHeader(uploadUrlRequest, 'x-acs-credentials-provider', 'other') })).toMatchObject({
      reason: 'signature-mismatch',
    });
    expect(verify(notesRequest, { url: '/?TicketId=T2' })).toMatchObject({ reason: 'signature-mismatch' });
    expect(verify(uploadUrlRequest, { url: '/other' })).toMatchObject({ reason: 'signature-mismatch' });
    expect(verify(uploadUrlRequest, { method: 'PUT' })).toMatchObject({ reason: 'signature-mismatch' });
  });

  it('refuses an x-acs-* header that is sent but not signed, and a SignedHeaders list without x-acs-date', () => {
    expect(verify(uploadUrlRequest, { headers: withHeader(uploadUrlRequest, 'x-acs-extra', '1') })).toMatchObject({
      ok: false,
      reason: 'unsigned-header',
    });
    const authorization = capturedHeaders(uploadUrlRequest).get('authorization') ?? '';
    const withoutDate = authorization.replace('x-acs-date;', '');
    expect(verify(uploadUrlRequest, { headers: withHeader(uploadUrlRequest, 'authorization', withoutDate) })).toMatchObject({
      reason: 'unsigned-header',
    });
  });

  it('tells an unknown AccessKeyId, a missing and a malformed Authorization apart', () => {
    const authorization = capturedHeaders(uploadUrlRequest).get('authorization') ?? '';
    expect(
      verify(uploadUrlRequest, {
        headers: withHeader(uploadUrlRequest, 'authorization', authorization.replace(ACCESS_KEY_ID, 'LTAI5tOther')),
      }),
    ).toMatchObject({
      reason: 'unknown-access-key',
      accessKeyId: 'LTAI5tOther',
    });
    expect(verify(uploadUrlRequest, { headers: withHeader(uploadUrlRequest, 'authorization', undefined) })).toMatchObject({
      reason: 'missing-authorization',
    });
    expect(
      verify(uploadUrlRequest, { headers: withHeader(uploadUrlRequest, 'authorization', 'ACS3-HMAC-SHA256 Credential=x') }),
    ).toMatchObject({ reason: 'malformed-authorization' });
  });
});

describe('signAcs3Request signs like the SDK', () => {
  it('produces the SDK Authorization for the same request', () => {
    const sent = capturedHeaders(replyRequest);
    const headers: Record<string, string> = {};
    for (const name of [
      'content-type',
      'x-acs-action',
      'x-acs-version',
      'x-acs-date',
      'x-acs-signature-nonce',
      'x-acs-credentials-provider',
      'host',
    ]) {
      headers[name] = sent.get(name) ?? '';
    }
    const signed = signAcs3Request({
      method: 'POST',
      url: `http://${sent.get('host') ?? ''}${replyRequest.url}`,
      headers,
      body: replyRequest.body,
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
    });
    expect(signed.authorization).toBe(sent.get('authorization'));
  });

  it('signs a request our verifier accepts', () => {
    const body = 'FileName=x.png';
    const url = 'http://workorder.aliyuncs.com/?a=b%20c';
    const signed = signAcs3Request({
      method: 'POST',
      url,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'x-acs-action': 'GetAttachmentUploadUrl',
        'x-acs-version': '2021-06-10',
        'x-acs-date': '2026-01-01T00:00:00Z',
        'x-acs-signature-nonce': 'n1',
      },
      body,
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
    });
    expect(verifyAcs3Request({ method: 'POST', url, headers: new Headers(signed), body: Buffer.from(body), lookupSecret })).toMatchObject({
      ok: true,
    });
  });
});
