import { describe, expect, it } from 'vitest';
import {
  buildGetOssTempAuthorEnvelope,
  createOssTempAuthorization,
  type OssTempAuthorizationV4,
} from '../../../server/signer/ossPostPolicySigner';
import { aliOssCredential, aliOssPolicyBase64, aliOssV4Date, createAliOssClient } from '../support/aliOss';

const credentials = {
  accessKeyId: 'LTAI5tExampleKey',
  accessKeySecret: 'example-secret/with+odd=chars',
  bucket: 'work-order',
  region: 'cn-hangzhou',
};
const client = createAliOssClient(credentials);
const keyPair = { accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.accessKeySecret };

// docs/oss-protocol.md §6: the docs' sample policy decodes to this expiration; with a 120 s lifetime "now" is 2 min earlier.
const DOCS_EXPIRATION = '2019-11-07T12:33:08.471Z';
const DOCS_POLICY =
  'eyJleHBpcmF0aW9uIjoiMjAxOS0xMS0wN1QxMjozMzowOC40NzFaIiwiY29uZGl0aW9ucyI6W1siY29udGVudC1sZW5ndGgtcmFuZ2UiLDAsMjA5NzE1Ml0sWyJzdGFydHMtd2l0aCIsIiRrZXkiLCJwb3BfdGVtcDI2ODQyLyJdXX0=';
const docsNow = (): Date => new Date(Date.parse(DOCS_EXPIRATION) - 120_000);

function decodePolicy(policy: string): { expiration: string; conditions: unknown[] } {
  return JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
}

describe('createOssTempAuthorization (docs/oss-protocol.md §2, §3, §6)', () => {
  it('reproduces the getOSSTempAuthor docs example byte for byte: policy, expire and dir (docs/oss-protocol.md §6)', () => {
    const auth = createOssTempAuthorization({
      ...keyPair,
      host: 'http://work-order.oss-cn-hangzhou.aliyuncs.com/',
      dir: 'pop_temp26842/',
      now: docsNow,
    });
    expect(auth.policy).toBe(DOCS_POLICY);
    expect(auth.expire).toBe('1573129988');
    expect(auth.dir).toBe('pop_temp26842/');
    expect(auth.host).toBe('http://work-order.oss-cn-hangzhou.aliyuncs.com/');
    expect(auth.accessId).toBe(credentials.accessKeyId);
    expect(Object.keys(auth)).toEqual(['accessId', 'policy', 'signature', 'dir', 'host', 'expire']);
  });

  it.each([
    { name: 'the docs policy', options: { dir: 'pop_temp26842/' } },
    { name: 'a bucket condition', options: { dir: 'pop_temp1/', bucket: 'work-order' } },
    { name: 'an STS token', options: { dir: 'pop_temp2/', securityToken: 'CAIS+token/==' } },
    { name: 'a non-ASCII dir and a custom size', options: { dir: '工单/附件/', maxSize: 10 } },
  ])('signs V1 exactly as ali-oss calculatePostSignature with $name (docs/oss-protocol.md §2, §7)', ({ options }) => {
    const auth = createOssTempAuthorization({ ...keyPair, host: 'http://h/', now: docsNow, ...options });
    const reference = client.calculatePostSignature(decodePolicy(auth.policy));
    expect(auth.policy).toBe(reference.policy);
    expect(auth.signature).toBe(reference.Signature);
    expect(auth.accessId).toBe(reference.OSSAccessKeyId);
  });

  it.each([
    { name: 'the plain region', region: 'cn-hangzhou', securityToken: undefined },
    { name: 'an oss- prefixed region and an STS token', region: 'oss-cn-hangzhou', securityToken: 'STS-token' },
  ])(
    'signs V4 exactly as ali-oss signPostObjectPolicyV4 + getCredential with $name (docs/oss-protocol.md §3, §7)',
    ({ region, securityToken }) => {
      const now = new Date('2024-05-06T07:08:09.123Z');
      const auth = createOssTempAuthorization({
        ...keyPair,
        bucket: credentials.bucket,
        host: 'http://h/',
        dir: 'pop_temp3/',
        signatureVersion: 'v4',
        region,
        now: () => now,
        ...(securityToken === undefined ? {} : { securityToken }),
      }) as OssTempAuthorizationV4;
      const xOssDate = aliOssV4Date(now);
      const credential = aliOssCredential(client, xOssDate);
      expect(auth['x-oss-date']).toBe(xOssDate);
      expect(auth['x-oss-date']).toBe('20240506T070809Z');
      expect(auth['x-oss-credential']).toBe(credential);
      expect(auth['x-oss-signature-version']).toBe('OSS4-HMAC-SHA256');
      const policy = decodePolicy(auth.policy);
      expect(aliOssPolicyBase64(policy)).toBe(auth.policy);
      expect(auth['x-oss-signature']).toBe(client.signPostObjectPolicyV4(policy, now));
      expect(auth.signature).toBe(auth['x-oss-signature']);
      // docs/oss-protocol.md §3: the SDK samples pin the V4 fields (and the STS token) in the policy.
      expect(policy.conditions).toEqual([
        ['content-length-range', 0, 2_097_152],
        ['starts-with', '$key', 'pop_temp3/'],
        { bucket: 'work-order' },
        { 'x-oss-credential': credential },
        { 'x-oss-date': xOssDate },
        { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
        ...(securityToken === undefined ? [] : [{ 'x-oss-security-token': securityToken }]),
      ]);
      expect(auth.securityToken).toBe(securityToken);
    },
  );

  it('defaults to a 120 s lifetime, 2 MB, V1 and a fresh pop_temp<digits>/ dir (docs/oss-protocol.md §6)', () => {
    const now = new Date('2025-01-01T00:00:00.000Z');
    const first = createOssTempAuthorization({ ...keyPair, host: 'http://h/', now: () => now });
    const second = createOssTempAuthorization({ ...keyPair, host: 'http://h/', now: () => now });
    expect(first.dir).toMatch(/^pop_temp\d+\/$/);
    expect(first.dir).not.toBe(second.dir);
    expect(first.expire).toBe(String(Date.parse('2025-01-01T00:02:00.000Z') / 1000));
    expect(decodePolicy(first.policy)).toEqual({
      expiration: '2025-01-01T00:02:00.000Z',
      conditions: [
        ['content-length-range', 0, 2_097_152],
        ['starts-with', '$key', first.dir],
      ],
    });
    expect(first).not.toHaveProperty('x-oss-signature');
    expect(first).not.toHaveProperty('securityToken');
  });

  it('rounds expire down to whole seconds (docs/oss-protocol.md §6)', () => {
    const auth = createOssTempAuthorization({ ...credentials, host: 'h', lifetimeSeconds: 1, now: () => new Date(1_999) });
    expect(auth.expire).toBe('2');
    expect(decodePolicy(auth.policy).expiration).toBe('1970-01-01T00:00:02.999Z');
  });

  it.each([
    { name: 'an empty secret', options: { accessKeySecret: '' } },
    { name: 'a zero lifetime', options: { lifetimeSeconds: 0 } },
    { name: 'a fractional max size', options: { maxSize: 1.5 } },
    { name: 'an unknown signature version', options: { signatureVersion: 'v2' as 'v1' } },
  ])('throws a TypeError for $name', ({ options }) => {
    expect(() => createOssTempAuthorization({ ...credentials, host: 'h', ...options })).toThrow(TypeError);
  });
});

describe('buildGetOssTempAuthorEnvelope (docs/oss-protocol.md §6)', () => {
  it('wraps the data in exactly the docs envelope, in the docs key order', () => {
    const data = createOssTempAuthorization({ ...keyPair, host: 'http://h/', dir: 'pop_temp26842/', now: docsNow });
    const envelope = buildGetOssTempAuthorEnvelope(data);
    expect(JSON.stringify(envelope)).toBe(`{"message":"successful","data":${JSON.stringify(data)},"code":"200","success":true}`);
  });
});
