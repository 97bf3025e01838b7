import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOssPolicy, type OssPolicyCondition } from '../../src/core/decodeOssPolicy';
import { UploadError } from '../../src/core/UploadError';
import { DOCS_EXAMPLE_ENVELOPE, DOCS_EXAMPLE_POLICY_JSON, encodeOssPolicy, type OssPolicyDocument } from '../../fixtures';

const DOCS_POLICY = DOCS_EXAMPLE_ENVELOPE.data.policy;

function decodeError(policy: string): UploadError {
  try {
    decodeOssPolicy(policy);
  } catch (error) {
    expect(error).toBeInstanceOf(UploadError);
    return error as UploadError;
  }
  throw new Error('expected decodeOssPolicy to throw');
}

describe('decodeOssPolicy', () => {
  it('decodes the docs example policy: expiration, content-length-range and key prefix (docs/oss-protocol.md §6)', () => {
    expect(decodeOssPolicy(DOCS_POLICY)).toEqual({
      expiration: '2019-11-07T12:33:08.471Z',
      expiresAt: Date.UTC(2019, 10, 7, 12, 33, 8, 471),
      contentLengthRange: { min: 0, max: 2_097_152 },
      keyPrefix: 'pop_temp26842/',
      conditions: JSON.parse(DOCS_EXAMPLE_POLICY_JSON).conditions,
    });
  });

  it('decodes the docs table policy, which lacks the base64 padding', () => {
    expect(DOCS_POLICY.endsWith('=')).toBe(true);
    expect(decodeOssPolicy(DOCS_POLICY.replace(/=+$/, '')).keyPrefix).toBe('pop_temp26842/');
  });

  it('tolerates base64 wrapped over several lines', () => {
    const wrapped = DOCS_POLICY.match(/.{1,40}/g)!.join('\r\n');
    expect(decodeOssPolicy(wrapped).contentLengthRange).toEqual({ min: 0, max: 2_097_152 });
  });

  it('encodes a document to exactly the bytes the backend sends (compact JSON, docs/oss-protocol.md §7 policy2Str)', () => {
    expect(encodeOssPolicy(JSON.parse(DOCS_EXAMPLE_POLICY_JSON) as OssPolicyDocument)).toBe(DOCS_POLICY);
  });

  it('decodes a UTF-8 policy with a Chinese key prefix (docs/oss-protocol.md §1 "Limits": policies are UTF-8)', () => {
    const policy = encodeOssPolicy({ expiration: '2030-01-01T00:00:00.000Z', conditions: [['starts-with', '$key', '附件/张三的工单/']] });
    expect(policy).toBe(
      Buffer.from(
        JSON.stringify({ expiration: '2030-01-01T00:00:00.000Z', conditions: [['starts-with', '$key', '附件/张三的工单/']] }),
        'utf8',
      ).toString('base64'),
    );
    expect(decodeOssPolicy(policy).keyPrefix).toBe('附件/张三的工单/');
  });

  it.each<[string, OssPolicyCondition[], { min: number; max: number } | null, string | null]>([
    ['no range and no key condition', [{ bucket: 'work-order' }], null, null],
    ['a key condition on another field', [['starts-with', '$Content-Type', 'image/']], null, null],
    ['an eq condition on the key', [['eq', '$key', 'pop/a.png']], null, null],
    [
      'upper-case operators',
      [
        ['Content-Length-Range', 1, 10],
        ['STARTS-WITH', '$key', 'up/'],
      ],
      { min: 1, max: 10 },
      'up/',
    ],
    ['a zero-size range', [['content-length-range', 0, 0]], { min: 0, max: 0 }, null],
    [
      'map and list conditions mixed',
      [{ bucket: 'b' }, ['content-length-range', 1, 2097152], { 'x-oss-date': '20250115T100000Z' }, ['starts-with', '$key', '']],
      { min: 1, max: 2_097_152 },
      '',
    ],
  ])('extracts range and prefix from a policy with %s', (_label, conditions, range, prefix) => {
    const decoded = decodeOssPolicy(encodeOssPolicy({ expiration: '2030-01-01T00:00:00.000Z', conditions }));
    expect(decoded.contentLengthRange).toEqual(range);
    expect(decoded.keyPrefix).toBe(prefix);
    expect(decoded.conditions).toEqual(conditions);
  });

  it.each([
    ['empty', ''],
    ['whitespace only', '   '],
    ['characters outside base64', 'eyJ!ZXhw'],
    ['base64url characters', 'eyJleHBpcmF0aW9uIjoi-_'],
    ['an impossible length', 'eyJle'],
    ['padding in the middle', 'ey==Jl'],
    ['base64 of non-JSON', Buffer.from('policy please').toString('base64')],
    ['base64 of JSON null', Buffer.from('null').toString('base64')],
    ['base64 of a JSON string', Buffer.from('"x"').toString('base64')],
    [
      'base64 of JSON whose conditions is an object',
      Buffer.from('{"expiration":"2030-01-01T00:00:00Z","conditions":{"bucket":"b"}}').toString('base64'),
    ],
    ['base64 of JSON with a null condition', Buffer.from('{"expiration":"2030-01-01T00:00:00Z","conditions":[null]}').toString('base64')],
    [
      'base64 of JSON whose expiration is a number',
      Buffer.from('{"expiration":1893456000,"conditions":[{"bucket":"b"}]}').toString('base64'),
    ],
  ])('rejects a policy that is %s with authorization-invalid-policy', (_label, policy) => {
    const error = decodeError(policy);
    expect(error.code).toBe('authorization-invalid-policy');
    expect(error.field).toBe('policy');
  });

  it('keeps the parse failure as the cause', () => {
    expect(decodeError(Buffer.from('{"expiration":').toString('base64')).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('decodeOssPolicy properties', () => {
  // ISO 8601 with 4-digit years: what an OSS policy's `expiration` looks like (docs/oss-protocol.md §2).
  const expirationDate = fc.date({
    min: new Date('1970-01-01T00:00:00.000Z'),
    max: new Date('9999-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  });
  const byteCount = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const prefix = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary-ascii' }));

  it('round-trips random policy documents through encode → decode', () => {
    fc.assert(
      fc.property(
        expirationDate,
        byteCount,
        byteCount,
        prefix,
        fc.option(fc.string(), { nil: undefined }),
        (date, a, b, keyPrefix, bucket) => {
          const [min, max] = a <= b ? [a, b] : [b, a];
          const conditions: OssPolicyCondition[] = [
            ['content-length-range', min, max],
            ['starts-with', '$key', keyPrefix],
          ];
          if (bucket !== undefined) conditions.unshift({ bucket });
          const document: OssPolicyDocument = { expiration: date.toISOString(), conditions };

          const decoded = decodeOssPolicy(encodeOssPolicy(document));

          expect(decoded).toEqual({
            expiration: date.toISOString(),
            expiresAt: date.getTime(),
            contentLengthRange: { min, max },
            keyPrefix,
            conditions,
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('round-trips prefixes containing lone surrogates (JSON escapes them)', () => {
    const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(loneSurrogate, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }), (keyPrefix) => {
        const decoded = decodeOssPolicy(
          encodeOssPolicy({ expiration: '2030-01-01T00:00:00.000Z', conditions: [['starts-with', '$key', keyPrefix]] }),
        );
        expect(decoded.keyPrefix).toBe(keyPrefix);
      }),
      { numRuns: 300 },
    );
  });

  it('produces only base64 that decodes to compact JSON', () => {
    fc.assert(
      fc.property(expirationDate, prefix, (date, keyPrefix) => {
        const document: OssPolicyDocument = { expiration: date.toISOString(), conditions: [['starts-with', '$key', keyPrefix]] };
        const policy = encodeOssPolicy(document);
        expect(policy).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
        expect(Buffer.from(policy, 'base64').toString('utf8')).toBe(JSON.stringify(document));
      }),
      { numRuns: 300 },
    );
  });

  it('either decodes or throws authorization-invalid-policy for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.base64String(),
          fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64')),
        ),
        (policy) => {
          try {
            decodeOssPolicy(policy);
          } catch (error) {
            expect(error).toBeInstanceOf(UploadError);
            expect((error as UploadError).code).toBe('authorization-invalid-policy');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
