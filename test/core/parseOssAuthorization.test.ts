import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOssAuthorization } from '../../src/core/parseOssAuthorization';
import { isAuthorizationErrorCode, UploadError } from '../../src/core/UploadError';
import { DOCS_EXAMPLE_ENVELOPE, encodeOssPolicy, makePolicy, makeRawAuthorization, T0 } from '../../fixtures';

/** Runs `parseOssAuthorization` and returns the UploadError it throws (fails the test when it does not throw one). */
function parseError(raw: unknown): UploadError {
  try {
    parseOssAuthorization(raw, { receivedAt: T0 });
  } catch (error) {
    expect(error).toBeInstanceOf(UploadError);
    return error as UploadError;
  }
  throw new Error('expected parseOssAuthorization to throw');
}

const envelope = (data: unknown, head: Record<string, unknown> = {}) => ({
  success: true,
  code: 200,
  message: 'successful',
  data,
  ...head,
});

describe('parseOssAuthorization: the documented answer (docs/oss-protocol.md §6)', () => {
  it('accepts the docs example envelope verbatim and exposes every field', () => {
    const auth = parseOssAuthorization(DOCS_EXAMPLE_ENVELOPE, { receivedAt: T0 });

    expect(auth).toEqual({
      accessId: 'LTA******54r3',
      policy: DOCS_EXAMPLE_ENVELOPE.data.policy,
      signature: '5be4*********37AE=',
      dir: 'pop_temp26842/',
      keyPrefix: 'pop_temp26842/',
      host: 'http://work-order.oss-cn-hangzhou.aliyuncs.com/',
      expiresAt: 1_573_129_988_000,
      decodedPolicy: {
        expiration: '2019-11-07T12:33:08.471Z',
        expiresAt: Date.parse('2019-11-07T12:33:08.471Z'),
        contentLengthRange: { min: 0, max: 2_097_152 },
        keyPrefix: 'pop_temp26842/',
        conditions: [
          ['content-length-range', 0, 2_097_152],
          ['starts-with', '$key', 'pop_temp26842/'],
        ],
      },
      receivedAt: T0,
      serverClockOffset: null,
    });
  });

  it('keeps `expire` equal to the policy expiration rounded down to seconds (docs/oss-protocol.md §6 "Validity and limits")', () => {
    const auth = parseOssAuthorization(DOCS_EXAMPLE_ENVELOPE, { receivedAt: T0 });
    expect(auth.expiresAt).toBe(Math.floor(auth.decodedPolicy.expiresAt / 1000) * 1000);
  });

  it('accepts the bare data object without an envelope', () => {
    const auth = parseOssAuthorization(DOCS_EXAMPLE_ENVELOPE.data, { receivedAt: T0 });
    expect(auth.accessId).toBe('LTA******54r3');
    expect(auth.keyPrefix).toBe('pop_temp26842/');
  });

  it('records the server clock offset from the answer Date header', () => {
    const auth = parseOssAuthorization(makeRawAuthorization(), { receivedAt: T0 + 600_000, serverDate: new Date(T0).toUTCString() });
    expect(auth.serverClockOffset).toBe(-600_000);
  });

  it.each([
    ['a Date', new Date(T0 - 5_000)],
    ['a number of ms', T0 - 5_000],
    ['an HTTP date string', new Date(T0 - 5_000).toUTCString()],
  ])('accepts the server date as %s', (_label, serverDate) => {
    expect(parseOssAuthorization(makeRawAuthorization(), { receivedAt: T0, serverDate }).serverClockOffset).toBe(-5_000);
  });

  it('treats an unreadable server date as unknown', () => {
    expect(parseOssAuthorization(makeRawAuthorization(), { receivedAt: T0, serverDate: 'not a date' }).serverClockOffset).toBeNull();
  });

  it('defaults receivedAt to the client clock', () => {
    const before = Date.now();
    const auth = parseOssAuthorization(makeRawAuthorization());
    expect(auth.receivedAt).toBeGreaterThanOrEqual(before);
    expect(auth.receivedAt).toBeLessThanOrEqual(Date.now());
  });
});

describe('parseOssAuthorization: tolerated variants (docs/oss-protocol.md §6 "Types", §8 "dir slash")', () => {
  const data = makeRawAuthorization();

  it.each([
    ['success true, code 200', { success: true, code: 200 }],
    ['success "true", code "200"', { success: 'true', code: '200' }],
    ['success "TRUE" with spaces', { success: ' TRUE ', code: '200' }],
    ['success true without code', { success: true, code: undefined }],
    ['code 200 without success', { success: undefined, code: 200 }],
  ])('accepts an envelope with %s', (_label, head) => {
    const raw: Record<string, unknown> = { message: 'successful', data, ...head };
    for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];
    expect(parseOssAuthorization(raw, { receivedAt: T0 }).accessId).toBe(data.accessId);
  });

  it.each([
    ['a string of unix seconds', '1573129988', 1_573_129_988_000],
    ['a number of unix seconds', 1_573_129_988, 1_573_129_988_000],
    ['fractional seconds', '1573129988.5', 1_573_129_988_500],
    ['a padded string', ' 1573129988 ', 1_573_129_988_000],
  ])('reads expire given as %s', (_label, expire, expected) => {
    expect(parseOssAuthorization(makeRawAuthorization({ expire }), { receivedAt: T0 }).expiresAt).toBe(expected);
  });

  it.each([
    ['with a trailing slash', 'pop_temp123/', 'pop_temp123/'],
    ['without a trailing slash (the docs table form)', 'pop_temp123', 'pop_temp123/'],
    ['with a leading slash', '/pop_temp123/', 'pop_temp123/'],
  ])('joins dir %s to the key prefix with exactly one slash', (_label, dir, keyPrefix) => {
    const auth = parseOssAuthorization(makeRawAuthorization({ dir, policy: makePolicy({ prefix: 'pop_temp123/' }) }), { receivedAt: T0 });
    expect(auth.dir).toBe(dir);
    expect(auth.keyPrefix).toBe(keyPrefix);
  });

  it('accepts a dir deeper than the policy prefix and uses the dir', () => {
    const auth = parseOssAuthorization(
      makeRawAuthorization({ dir: 'pop_temp123/ticket-9/', policy: makePolicy({ prefix: 'pop_temp123/' }) }),
      { receivedAt: T0 },
    );
    expect(auth.keyPrefix).toBe('pop_temp123/ticket-9/');
  });

  it('accepts a policy prefix without a slash that the dir satisfies', () => {
    const auth = parseOssAuthorization(makeRawAuthorization({ dir: 'pop_temp123', policy: makePolicy({ prefix: 'pop_temp123' }) }), {
      receivedAt: T0,
    });
    expect(auth.keyPrefix).toBe('pop_temp123/');
  });

  it('uses dir alone when the policy sets no key prefix', () => {
    const auth = parseOssAuthorization(makeRawAuthorization({ dir: 'uploads', policy: makePolicy({ prefix: null }) }), { receivedAt: T0 });
    expect(auth.keyPrefix).toBe('uploads/');
    expect(auth.decodedPolicy.keyPrefix).toBeNull();
  });

  it.each([
    ['with a trailing slash', 'https://work-order.oss-cn-hangzhou.aliyuncs.com/', 'https://work-order.oss-cn-hangzhou.aliyuncs.com/'],
    ['without a trailing slash', 'https://work-order.oss-cn-hangzhou.aliyuncs.com', 'https://work-order.oss-cn-hangzhou.aliyuncs.com/'],
    [
      'on http (kept: the transport decides on upgrading, docs/oss-protocol.md §8)',
      'http://work-order.oss-cn-hangzhou.aliyuncs.com',
      'http://work-order.oss-cn-hangzhou.aliyuncs.com/',
    ],
    ['with a port', 'http://127.0.0.1:9000', 'http://127.0.0.1:9000/'],
    ['with a path', 'https://proxy.example.com/oss', 'https://proxy.example.com/oss/'],
    ['with a query and fragment (dropped)', 'https://bucket.example.com/?x=1#top', 'https://bucket.example.com/'],
    ['padded with spaces', '  https://bucket.example.com  ', 'https://bucket.example.com/'],
  ])('normalises a host %s', (_label, host, expected) => {
    expect(parseOssAuthorization(makeRawAuthorization({ host }), { receivedAt: T0 }).host).toBe(expected);
  });

  it.each([
    ['securityToken', { securityToken: 'CAIS8AF1q6Ft5B2yfSjIr5bSEsv' }],
    ['x-oss-security-token', { 'x-oss-security-token': 'CAIS8AF1q6Ft5B2yfSjIr5bSEsv' }],
  ])('carries an STS token given as %s (docs/oss-protocol.md §1)', (_label, fields) => {
    expect(parseOssAuthorization(makeRawAuthorization(fields), { receivedAt: T0 }).securityToken).toBe('CAIS8AF1q6Ft5B2yfSjIr5bSEsv');
  });

  it('leaves securityToken out when the token is empty', () => {
    expect(parseOssAuthorization(makeRawAuthorization({ securityToken: '' }), { receivedAt: T0 })).not.toHaveProperty('securityToken');
  });

  const v4Fields = {
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
    'x-oss-credential': 'LTAI5tExampleAccessId/20250115/cn-hangzhou/oss/aliyun_v4_request',
    'x-oss-date': '20250115T100000Z',
    'x-oss-signature': '9f0c1ad8e8b4a3f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f',
  };

  it('carries the V4 fields through and uses x-oss-signature as the signature (docs/oss-protocol.md §3)', () => {
    const { signature: _signature, ...withoutV1Signature } = makeRawAuthorization(v4Fields);
    const auth = parseOssAuthorization(withoutV1Signature, { receivedAt: T0 });
    expect(auth.v4).toEqual(v4Fields);
    expect(auth.signature).toBe(v4Fields['x-oss-signature']);
  });

  it('has no v4 fields for a V1 answer', () => {
    expect(parseOssAuthorization(makeRawAuthorization(), { receivedAt: T0 })).not.toHaveProperty('v4');
  });

  it.each([['x-oss-credential'], ['x-oss-date']])('rejects a V4 answer without %s as a missing field', (field) => {
    const error = parseError(makeRawAuthorization({ ...v4Fields, [field]: '' }));
    expect(error.code).toBe('authorization-missing-field');
    expect(error.field).toBe(field);
  });

  it('trims surrounding whitespace from string fields', () => {
    const auth = parseOssAuthorization(makeRawAuthorization({ accessId: ' LTAI5t ', signature: ' sig= ' }), { receivedAt: T0 });
    expect([auth.accessId, auth.signature]).toEqual(['LTAI5t', 'sig=']);
  });
});

describe('parseOssAuthorization: malformed answers', () => {
  it.each([
    ['success false', { success: false, message: 'No permission to upload.' }, 'No permission to upload.'],
    ['success "false"', { success: 'false', message: 'Quota exceeded' }, 'Quota exceeded'],
    ['code "403" with success true', { success: true, code: '403', message: 'ILLEGAL_AUTH' }, 'ILLEGAL_AUTH'],
    ['code -121 (ILLEGAL_AUTH, docs/oss-protocol.md §6)', { success: false, code: -121, message: 'ILLEGAL_AUTH' }, 'ILLEGAL_AUTH'],
    ['success false without a message', { success: false }, 'The authorization was refused.'],
  ])('rejects %s as authorization-rejected, keeping the server message', (_label, head, message) => {
    const error = parseError({ data: makeRawAuthorization(), ...head });
    expect(error.code).toBe('authorization-rejected');
    expect(error.message).toBe(message);
  });

  it('keeps the server code of a rejection as ossCode', () => {
    expect(parseError({ success: false, code: -121, message: 'ILLEGAL_AUTH' }).ossCode).toBe('-121');
  });

  const fields = ['accessId', 'policy', 'signature', 'dir', 'host', 'expire'] as const;
  const missingCases = fields.flatMap((field) =>
    [
      ['absent', undefined],
      ['an empty string', ''],
      ['only spaces', '   '],
      ['null', null],
    ].map(([label, value]) => [field, label, value] as const),
  );

  it.each(missingCases)('rejects %s given as %s with authorization-missing-field naming the field', (field, _label, value) => {
    const raw = makeRawAuthorization();
    if (value === undefined) delete raw[field];
    else raw[field] = value;
    for (const input of [raw, envelope(raw)]) {
      const error = parseError(input);
      expect(error.code).toBe('authorization-missing-field');
      expect(error.field).toBe(field);
    }
  });

  it.each([
    ['data absent', { success: true, code: '200' }],
    ['data null', { success: true, code: '200', data: null }],
    ['data a string', { success: true, code: '200', data: 'LTA******54r3' }],
  ])('rejects an envelope with %s as a missing "data" field', (_label, raw) => {
    const error = parseError(raw);
    expect(error.code).toBe('authorization-missing-field');
    expect(error.field).toBe('data');
  });

  it.each([
    ['letters', 'tomorrow'],
    ['a number with letters', '1573129988s'],
    ['a negative number', '-1573129988'],
    ['exponent notation', '1.5e9'],
    ['milliseconds (13 digits would be read as year 51000)', '1573129988000'],
    ['an ISO date', '2019-11-07T12:33:08Z'],
  ])('rejects expire given as %s with authorization-invalid-expire', (_label, expire) => {
    const error = parseError(makeRawAuthorization({ expire }));
    expect(error.code).toBe('authorization-invalid-expire');
    expect(error.field).toBe('expire');
  });

  const utf8Base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  it.each([
    ['not base64', 'this is not base64!'],
    ['base64 of plain text', utf8Base64('hello, policy')],
    ['base64 of bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64')],
    ['base64 of a JSON array', utf8Base64('[1,2,3]')],
    ['base64 of JSON without conditions', utf8Base64('{"expiration":"2030-01-01T00:00:00.000Z"}')],
    [
      'base64 of JSON with empty conditions (docs/oss-protocol.md §2)',
      encodeOssPolicy({ expiration: '2030-01-01T00:00:00.000Z', conditions: [] }),
    ],
    ['base64 of JSON without expiration', utf8Base64('{"conditions":[["content-length-range",0,10]]}')],
    ['an unparsable expiration', encodeOssPolicy({ expiration: 'soon', conditions: [{ bucket: 'b' }] })],
    [
      'content-length-range with string numbers (docs/oss-protocol.md §2, I5)',
      encodeOssPolicy({ expiration: '2030-01-01T00:00:00.000Z', conditions: [['content-length-range', '0', '2097152']] }),
    ],
    [
      'content-length-range with max < min',
      encodeOssPolicy({ expiration: '2030-01-01T00:00:00.000Z', conditions: [['content-length-range', 10, 1]] }),
    ],
    [
      'content-length-range with a negative min',
      encodeOssPolicy({ expiration: '2030-01-01T00:00:00.000Z', conditions: [['content-length-range', -1, 10]] }),
    ],
    [
      'content-length-range with a fraction',
      encodeOssPolicy({ expiration: '2030-01-01T00:00:00.000Z', conditions: [['content-length-range', 0, 10.5]] }),
    ],
    [
      'a condition that is neither a list nor a map (docs/oss-protocol.md §8 "Policy typing")',
      utf8Base64('{"expiration":"2030-01-01T00:00:00.000Z","conditions":[42]}'),
    ],
  ])('rejects a policy that is %s with authorization-invalid-policy', (_label, policy) => {
    const error = parseError(makeRawAuthorization({ policy }));
    expect(error.code).toBe('authorization-invalid-policy');
    expect(error.field).toBe('policy');
  });

  it.each([
    ['javascript:alert(1)'],
    ['/relative/path'],
    ['relative/path'],
    ['ftp://x/'],
    ['//evil.example'],
    ['data:text/html,<script>alert(1)</script>'],
    ['file:///etc/passwd'],
    ['https://user:secret@bucket.example.com/'],
  ])('rejects host %s with authorization-invalid-host', (host) => {
    const error = parseError(makeRawAuthorization({ host }));
    expect(error.code).toBe('authorization-invalid-host');
    expect(error.field).toBe('host');
  });

  it.each([
    ['the docs table dir against the docs example policy', 'pop_temp123', DOCS_EXAMPLE_ENVELOPE.data.policy],
    ['another folder', 'other/', makePolicy({ prefix: 'pop_temp123/' })],
    ['a longer sibling name', 'pop_temp1234', makePolicy({ prefix: 'pop_temp123/' })],
    ['a parent of the prefix', 'pop', makePolicy({ prefix: 'pop/abc/' })],
  ])('rejects %s with authorization-dir-mismatch (docs/oss-protocol.md §4 "Policy Condition failed")', (_label, dir, policy) => {
    const error = parseError(makeRawAuthorization({ dir, policy }));
    expect(error.code).toBe('authorization-dir-mismatch');
    expect(error.field).toBe('dir');
  });

  it.each([
    ['a string', 'LTA******54r3'],
    ['an HTML page', '<html><body>502 Bad Gateway</body></html>'],
    ['an array', [DOCS_EXAMPLE_ENVELOPE.data]],
    ['null', null],
    ['undefined', undefined],
    ['a number', 200],
  ])('rejects %s with authorization-malformed', (_label, raw) => {
    expect(parseError(raw).code).toBe('authorization-malformed');
  });

  it('never throws anything but an authorization UploadError, whatever the input (property)', () => {
    const fieldValue = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.constant(''), fc.jsonValue());
    const rawData = fc.record(
      {
        accessId: fieldValue,
        policy: fc.oneof(fieldValue, fc.base64String(), fc.constant(makePolicy())),
        signature: fieldValue,
        dir: fc.oneof(fieldValue, fc.constant('pop_temp123/')),
        host: fc.oneof(fieldValue, fc.webUrl(), fc.constant('javascript:alert(1)')),
        expire: fc.oneof(fieldValue, fc.nat().map(String)),
      },
      { requiredKeys: [] },
    );
    const input = fc.oneof(
      fc.jsonValue(),
      rawData,
      rawData.map((data) => envelope(data)),
    );
    fc.assert(
      fc.property(input, (raw) => {
        try {
          const auth = parseOssAuthorization(raw, { receivedAt: T0 });
          // Whatever it accepts can only send to an http(s) host under the policy's prefix.
          expect(auth.host).toMatch(/^https?:\/\/[^/]/);
          expect(auth.host.endsWith('/')).toBe(true);
          expect(auth.keyPrefix.startsWith(auth.decodedPolicy.keyPrefix ?? '')).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(UploadError);
          expect(isAuthorizationErrorCode((error as UploadError).code)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
