import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlRequestsResponse } from '../../../server/oss-emulator/controlApi';
import { startOssEmulator, type OssEmulator } from '../../../server/oss-emulator/ossEmulator';
import { setUpEmulator } from '../support/emulatorFixture';
import { aliOssComputeSignature } from '../support/aliOss';
import {
  appendFile,
  buildForm,
  controlJson,
  parseOssError,
  postForm,
  signedFields,
  TWO_MB,
  xmlElement,
  type FormEntry,
  type PostResult,
} from '../support/ossForms';

const fixture = setUpEmulator();
const { objects: listObjects, tempFiles } = fixture;
let emulator: OssEmulator;
beforeAll(() => {
  emulator = fixture.emulator();
});

function expectOssError(result: PostResult, status: number, code: string, message: string): void {
  expect({ status: result.status, ...parseOssError(result.body) }).toMatchObject({ status, code, message });
  expect(result.headers.get('content-type')).toBe('application/xml');
  // docs/oss-protocol.md §4: the body's RequestId is the x-oss-request-id header; HostId is the requested host.
  expect(parseOssError(result.body).requestId).toBe(result.headers.get('x-oss-request-id'));
  expect(parseOssError(result.body).hostId).toBe(`127.0.0.1:${emulator.port}`);
}

const hello = { content: 'hello world', name: 'hello.txt', type: 'text/plain' };
const md5Hex = (data: string | Uint8Array): string => createHash('md5').update(data).digest('hex');

describe('PostObject accepts what OSS accepts (signed with ali-oss)', () => {
  it('stores a V1 upload and answers 204 with the quoted upper-case MD5 ETag (docs/oss-protocol.md §1, §2, §4)', async () => {
    const result = await postForm(emulator.url, buildForm(signedFields(emulator, { key: 'pop_temp1/a.txt' }), hello));
    expect(result.status).toBe(204);
    expect(result.body).toBe('');
    expect(result.headers.get('etag')).toBe(`"${md5Hex('hello world').toUpperCase()}"`);
    expect(result.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
    expect(await listObjects()).toEqual([
      {
        key: 'pop_temp1/a.txt',
        size: 11,
        md5: md5Hex('hello world'),
        etag: `"${md5Hex('hello world').toUpperCase()}"`,
        contentType: 'text/plain',
        storedAt: expect.any(Number) as number,
      },
    ]);
  });

  it('stores a V4 upload built like the ali-oss README, with `file` sent as a plain string (docs/oss-protocol.md §3, §7)', async () => {
    const entries = signedFields(emulator, { key: 'pop_temp1/v4.txt', version: 'v4' });
    const form = buildForm([...entries, ['success_action_status', '200'], ['file', 'yourFileContent']]);
    const result = await postForm(emulator.url, form);
    expect(result.status).toBe(200);
    expect(result.body).toBe('');
    const objects = await listObjects();
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({ key: 'pop_temp1/v4.txt', size: 15, md5: md5Hex('yourFileContent') });
  });

  it('answers 201 with the PostResponse XML: Bucket, Location, Key, ETag (docs/oss-protocol.md §4)', async () => {
    const form = buildForm([...signedFields(emulator, { key: 'pop_temp1/x y.txt' }), ['success_action_status', '201']], hello);
    const result = await postForm(emulator.url, form);
    expect(result.status).toBe(201);
    expect(result.headers.get('content-type')).toBe('application/xml');
    const etag = `"${md5Hex('hello world').toUpperCase()}"`;
    expect(result.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>\n' +
        `  <Bucket>${emulator.bucket}</Bucket>\n` +
        `  <Location>${emulator.url}/pop_temp1/x%20y.txt</Location>\n` +
        '  <Key>pop_temp1/x y.txt</Key>\n' +
        `  <ETag>${etag}</ETag>\n` +
        '</PostResponse>\n',
    );
  });

  it.each([
    { value: '204', status: 204 },
    { value: 'abc', status: 204 },
    { value: '302', status: 204 },
    { value: '200', status: 200 },
  ])(
    'answers $status for success_action_status=$value (docs/oss-protocol.md §1: unset or invalid yields 204)',
    async ({ value, status }) => {
      const form = buildForm([...signedFields(emulator, { key: 'k' }), ['success_action_status', value]], hello);
      expect((await postForm(emulator.url, form)).status).toBe(status);
    },
  );

  it('serves the stored object on GET with identical bytes, its content type and Content-Disposition (docs/oss-protocol.md §1)', async () => {
    const bytes = randomBytes(300_000);
    const disposition = `attachment; filename="report.pdf"; filename*=UTF-8''${encodeURIComponent('报告 2024.pdf')}`;
    const form = buildForm([...signedFields(emulator, { key: 'pop_temp1/报告 2024.pdf' }), ['Content-Disposition', disposition]], {
      content: bytes,
      name: 'report.pdf',
      type: 'application/pdf',
    });
    expect((await postForm(emulator.url, form)).status).toBe(204);
    const response = await fetch(`${emulator.url}/pop_temp1/${encodeURIComponent('报告 2024.pdf')}`);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(disposition);
    expect(response.headers.get('etag')).toBe(`"${md5Hex(bytes).toUpperCase()}"`);
    expect(response.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
    expect((await listObjects())[0]?.contentDisposition).toBe(disposition);
  });

  it('answers 404 NoSuchKey for a key that was never stored', async () => {
    const response = await fetch(`${emulator.url}/nope.txt`);
    expect(response.status).toBe(404);
    expect(parseOssError(await response.text())).toMatchObject({ code: 'NoSuchKey', message: 'The specified key does not exist.' });
  });

  it("accepts form fields the policy does not list, like the official samples' `submit` (docs/oss-protocol.md §2 [U])", async () => {
    const form = buildForm([...signedFields(emulator, { key: 'k' }), ['submit', 'Upload to OSS']], hello);
    expect((await postForm(emulator.url, form)).status).toBe(204);
  });

  it.each(['Signature', 'signature', 'SIGNATURE'])(
    'accepts the signature field named %s (docs/oss-protocol.md §1 [U]: both case readings)',
    async (name) => {
      const entries = signedFields(emulator, { key: 'k' }).map(([field, value]): FormEntry =>
        field === 'Signature' ? [name, value] : [field, value],
      );
      expect((await postForm(emulator.url, buildForm(entries, hello))).status).toBe(204);
    },
  );

  it('picks the content type x-oss-content-type > file part > Content-Type field (docs/oss-protocol.md §1)', async () => {
    const withAll = buildForm(
      [...signedFields(emulator, { key: 'a' }), ['Content-Type', 'text/csv'], ['x-oss-content-type', 'image/png']],
      { content: 'x', type: 'application/json' },
    );
    const partOverField = buildForm([...signedFields(emulator, { key: 'b' }), ['Content-Type', 'text/csv']], {
      content: 'x',
      type: 'application/json',
    });
    expect((await postForm(emulator.url, withAll)).status).toBe(204);
    expect((await postForm(emulator.url, partOverField)).status).toBe(204);
    expect((await listObjects()).map(({ key, contentType }) => ({ key, contentType }))).toEqual([
      { key: 'a', contentType: 'image/png' },
      { key: 'b', contentType: 'application/json' },
    ]);
  });

  it("replaces ${filename} in the key with the file part's base name, after the policy check (docs/oss-protocol.md §1)", async () => {
    const conditions = [['starts-with', '$key', 'pop_temp1/${filename}']];
    const form = buildForm(signedFields(emulator, { key: 'pop_temp1/${filename}', conditions }), { content: 'x', name: 'photo.jpg' });
    expect((await postForm(emulator.url, form)).status).toBe(204);
    expect((await listObjects())[0]?.key).toBe('pop_temp1/photo.jpg');
  });

  it('accepts a file of exactly the content-length-range maximum (docs/oss-protocol.md §2)', async () => {
    const conditions = [['content-length-range', 0, 1024]];
    const form = buildForm(signedFields(emulator, { key: 'k', conditions }), { content: new Uint8Array(1024) });
    expect((await postForm(emulator.url, form)).status).toBe(204);
  });

  it('checks eq, starts-with, in and not-in conditions on the named fields (docs/oss-protocol.md §2)', async () => {
    const conditions = [
      ['eq', '$success_action_status', '200'],
      ['in', '$content-type', ['image/jpg', 'text/plain']],
      ['not-in', '$cache-control', ['no-cache']],
      { bucket: emulator.bucket },
    ];
    const good = buildForm(
      [
        ...signedFields(emulator, { key: 'k', conditions }),
        ['success_action_status', '200'],
        ['Content-Type', 'text/plain'],
        ['Cache-Control', 'max-age=30'],
      ],
      hello,
    );
    expect((await postForm(emulator.url, good)).status).toBe(200);
    const bad = buildForm(
      [
        ...signedFields(emulator, { key: 'k', conditions }),
        ['success_action_status', '200'],
        ['Content-Type', 'text/plain'],
        ['Cache-Control', 'no-cache'],
      ],
      hello,
    );
    expectOssError(
      await postForm(emulator.url, bad),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["not-in", "$cache-control", ["no-cache"]]',
    );
  });

  it('answers 409 FileAlreadyExists with x-oss-forbid-overwrite=true on an existing key (docs/oss-protocol.md §1)', async () => {
    const form = (): FormData => buildForm([...signedFields(emulator, { key: 'same' }), ['x-oss-forbid-overwrite', 'true']], hello);
    expect((await postForm(emulator.url, form())).status).toBe(204);
    expectOssError(
      await postForm(emulator.url, form()),
      409,
      'FileAlreadyExists',
      'The object you specified already exists and can not be overwritten.',
    );
  });
});

describe('PostObject rejects what OSS rejects, with the exact status, Code and Message (docs/oss-protocol.md §4)', () => {
  it('answers 403 AccessDenied "Policy expired." for an expired policy (docs/oss-protocol.md §2)', async () => {
    const form = buildForm(signedFields(emulator, { key: 'k', expiration: new Date(Date.now() - 1000) }), hello);
    expectOssError(await postForm(emulator.url, form), 403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
    expect(await listObjects()).toEqual([]);
  });

  it('answers 403 AccessDenied "Policy Condition failed" for a key outside the prefix (docs/oss-protocol.md §2, §4)', async () => {
    const conditions = [['starts-with', '$key', 'pop_temp26842/']];
    const form = buildForm(signedFields(emulator, { key: 'pop_temp99999/a.txt', conditions }), hello);
    expectOssError(
      await postForm(emulator.url, form),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "pop_temp26842/"]',
    );
  });

  it('answers 403 AccessDenied when the policy pins another bucket (docs/oss-protocol.md §2)', async () => {
    const form = buildForm(signedFields(emulator, { key: 'k', conditions: [{ bucket: 'someone-else' }] }), hello);
    expectOssError(
      await postForm(emulator.url, form),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "someone-else"]',
    );
  });

  it.each(['v1', 'v4'] as const)(
    'answers 403 SignatureDoesNotMatch for a %s signature made with the wrong secret (docs/oss-protocol.md §4)',
    async (version) => {
      const form = buildForm(signedFields(emulator, { key: 'k', version, signWith: { accessKeySecret: 'wrong' } }), hello);
      expectOssError(
        await postForm(emulator.url, form),
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    },
  );

  it('answers 403 SignatureDoesNotMatch for a V4 scope of another region (docs/oss-protocol.md §3)', async () => {
    const form = buildForm(signedFields(emulator, { key: 'k', version: 'v4', signWith: { region: 'cn-beijing' } }), hello);
    expect(parseOssError((await postForm(emulator.url, form)).body).code).toBe('SignatureDoesNotMatch');
  });

  it('answers 403 SignatureDoesNotMatch when the policy was changed after signing (docs/oss-protocol.md §2)', async () => {
    const entries = signedFields(emulator, { key: 'k' });
    const forged = entries.map(([name, value]): FormEntry =>
      name === 'policy'
        ? [name, Buffer.from(Buffer.from(value, 'base64').toString().replace('2097152', '9097152')).toString('base64')]
        : [name, value],
    );
    expect(parseOssError((await postForm(emulator.url, buildForm(forged, hello))).body).code).toBe('SignatureDoesNotMatch');
  });

  it.each(['v1', 'v4'] as const)(
    'answers 403 InvalidAccessKeyId for an unknown %s access key (docs/oss-protocol.md §4)',
    async (version) => {
      const form = buildForm(signedFields(emulator, { key: 'k', version, signWith: { accessKeyId: 'LTAIunknown' } }), hello);
      expectOssError(
        await postForm(emulator.url, form),
        403,
        'InvalidAccessKeyId',
        'The OSS Access Key Id you provided does not exist in our records.',
      );
    },
  );

  it('answers 400 EntityTooLarge for a file 1 byte over content-length-range and stores nothing (docs/oss-protocol.md §2, §4)', async () => {
    const conditions = [['content-length-range', 0, 1024]];
    const form = buildForm(signedFields(emulator, { key: 'k', conditions }), { content: new Uint8Array(1025) });
    const result = await postForm(emulator.url, form);
    expectOssError(result, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    expect(parseOssError(result.body).ec).toBe('0006-00000003');
    expect(await listObjects()).toEqual([]);
    expect(await tempFiles()).toEqual([]);
  });

  it('answers 400 EntityTooSmall for a file under the content-length-range minimum (docs/oss-protocol.md §2, §4)', async () => {
    const conditions = [['content-length-range', 10, 1024]];
    const form = buildForm(signedFields(emulator, { key: 'k', conditions }), { content: 'short' });
    expectOssError(
      await postForm(emulator.url, form),
      400,
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
    );
    expect(await listObjects()).toEqual([]);
    expect(await tempFiles()).toEqual([]);
  });

  it('answers 400 InvalidArgument when `key` comes after `file` (docs/oss-protocol.md §1)', async () => {
    const [keyEntry, ...rest] = signedFields(emulator, { key: 'k' });
    const form = buildForm(rest, hello);
    form.append(...(keyEntry as FormEntry));
    expectOssError(
      await postForm(emulator.url, form),
      400,
      'InvalidArgument',
      "The bucket POST must contain the specified 'key'. If it is specified, please check the order of the fields",
    );
  });

  it('answers 400 InvalidArgument when `key` is missing (docs/oss-protocol.md §1)', async () => {
    const form = buildForm(signedFields(emulator, { key: 'k' }).slice(1), hello);
    expect(parseOssError((await postForm(emulator.url, form)).body)).toMatchObject({
      code: 'InvalidArgument',
      message: "The bucket POST must contain the specified 'key'. If it is specified, please check the order of the fields",
    });
  });

  it('answers 400 IncorrectNumberOfFilesInPOSTRequest for two `file` parts (docs/oss-protocol.md §1, §4 [U])', async () => {
    const form = buildForm(signedFields(emulator, { key: 'k' }), hello);
    appendFile(form, 'file', hello);
    expectOssError(
      await postForm(emulator.url, form),
      400,
      'IncorrectNumberOfFilesInPOSTRequest',
      'POST requires exactly one file upload per request.',
    );
    expect(await listObjects()).toEqual([]);
    expect(await tempFiles()).toEqual([]);
  });

  it('answers 400 MalformedPOSTRequest (EC 0006-00000103) for a field after `file` (docs/oss-protocol.md §1)', async () => {
    const form = buildForm(signedFields(emulator, { key: 'k' }), hello);
    form.append('success_action_status', '200');
    const result = await postForm(emulator.url, form);
    expectOssError(result, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data');
    expect(parseOssError(result.body).ec).toBe('0006-00000103');
    expect(await listObjects()).toEqual([]);
  });

  it('answers 400 MalformedPOSTRequest (EC 0006-00000104) when `file` is missing (docs/oss-protocol.md §1)', async () => {
    const result = await postForm(emulator.url, buildForm(signedFields(emulator, { key: 'k' })));
    expectOssError(result, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data');
    expect(parseOssError(result.body).ec).toBe('0006-00000104');
  });

  it.each(['OSSAccessKeyId', 'policy', 'Signature'])(
    'answers 400 InvalidArgument when the V1 trio lacks %s (docs/oss-protocol.md §1)',
    async (missing) => {
      const entries = signedFields(emulator, { key: 'k' }).filter(([name]) => name !== missing);
      expectOssError(
        await postForm(emulator.url, buildForm(entries, hello)),
        400,
        'InvalidArgument',
        `The bucket POST must contain the specified '${missing}'. If it is specified, please check the order of the fields`,
      );
    },
  );

  it('answers 403 AccessDenied for an unsigned POST: the bucket is not public-read-write (docs/oss-protocol.md §1, §4)', async () => {
    expectOssError(
      await postForm(emulator.url, buildForm([['key', 'k']], hello)),
      403,
      'AccessDenied',
      'You have no right to access this object because of bucket acl.',
    );
  });

  it('answers 400 InvalidArgument (EC 0002-00000703) for a V4 signature sent as `Signature` (docs/oss-protocol.md §3)', async () => {
    const entries = signedFields(emulator, { key: 'k', version: 'v4' }).map(([name, value]): FormEntry =>
      name === 'x-oss-signature' ? ['Signature', value] : [name, value],
    );
    const result = await postForm(emulator.url, buildForm(entries, hello));
    expect({ status: result.status, ...parseOssError(result.body) }).toMatchObject({
      status: 400,
      code: 'InvalidArgument',
      ec: '0002-00000703',
    });
  });

  it('answers 400 InvalidArgument (EC 0002-00000710) for a V4 credential not ending in aliyun_v4_request (docs/oss-protocol.md §3)', async () => {
    const entries = signedFields(emulator, { key: 'k', version: 'v4' }).map(([name, value]): FormEntry =>
      name === 'x-oss-credential' ? [name, value.replace('aliyun_v4_request', 'aws4_request')] : [name, value],
    );
    expect(parseOssError((await postForm(emulator.url, buildForm(entries, hello))).body)).toMatchObject({
      code: 'InvalidArgument',
      ec: '0002-00000710',
    });
  });

  it('answers 400 InvalidArgument when x-oss-date is not on the credential date (docs/oss-protocol.md §3)', async () => {
    const entries = signedFields(emulator, { key: 'k', version: 'v4' }).map(([name, value]): FormEntry =>
      name === 'x-oss-date' ? [name, `19990101${value.slice(8)}`] : [name, value],
    );
    expect(parseOssError((await postForm(emulator.url, buildForm(entries, hello))).body)).toMatchObject({
      code: 'InvalidArgument',
      message: 'x-oss-date does not match the date of x-oss-credential.',
    });
  });

  it('answers 403 RequestTimeTooSkewed for a V4 x-oss-date more than 15 minutes ahead (docs/oss-protocol.md §3 [U])', async () => {
    const form = buildForm(signedFields(emulator, { key: 'k', version: 'v4', signedAt: new Date(Date.now() + 20 * 60_000) }), hello);
    expect(parseOssError((await postForm(emulator.url, form)).body).code).toBe('RequestTimeTooSkewed');
  });

  it.each([
    { name: 'not JSON', policy: '{"expiration": ', message: 'Invalid Policy: Invalid JSON.' },
    {
      name: 'string sizes in content-length-range (I5)',
      policy: '{"expiration":"2099-01-01T00:00:00.000Z","conditions":[["content-length-range","0","10"]]}',
      message: 'Invalid Policy: Invalid JSON.',
    },
    {
      name: 'a simple condition with two properties',
      policy: '{"expiration":"2099-01-01T00:00:00.000Z","conditions":[{"bucket":"a","key":"b"}]}',
      message: 'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    },
    {
      name: 'no conditions',
      policy: '{"expiration":"2099-01-01T00:00:00.000Z","conditions":[]}',
      message: 'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    },
    {
      name: 'an unknown condition mode',
      policy: '{"expiration":"2099-01-01T00:00:00.000Z","conditions":[["ends-with","$key","x"]]}',
      message: 'Invalid Policy: Invalid Condition: ["ends-with", "$key", "x"]',
    },
    {
      name: 'a missing expiration',
      policy: '{"conditions":[["starts-with","$key",""]]}',
      message: "Invalid Policy: Missing required field 'expiration'.",
    },
    {
      name: 'a local-time expiration',
      policy: '{"expiration":"2099-01-01T00:00:00","conditions":[["starts-with","$key",""]]}',
      message: 'Invalid Policy: Invalid \'expiration\' value: "2099-01-01T00:00:00"',
    },
  ])(
    'answers 400 InvalidPolicyDocument for a correctly signed policy with $name (docs/oss-protocol.md §2)',
    async ({ policy, message }) => {
      // calculatePostSignature refuses non-JSON, so sign the raw base64 with its HMAC helper (docs/oss-protocol.md §2).
      const policyBase64 = Buffer.from(policy, 'utf8').toString('base64');
      const signature = aliOssComputeSignature(emulator.accessKeySecret, policyBase64);
      const form = buildForm(
        [
          ['key', 'k'],
          ['policy', policyBase64],
          ['OSSAccessKeyId', emulator.accessKeyId],
          ['Signature', signature],
        ],
        hello,
      );
      expectOssError(await postForm(emulator.url, form), 400, 'InvalidPolicyDocument', message);
    },
  );

  it('answers 400 InvalidDigest when Content-MD5 does not match the body (docs/oss-protocol.md §1)', async () => {
    const form = buildForm(signedFields(emulator, { key: 'k' }), hello);
    const result = await postForm(emulator.url, form, { 'content-md5': createHash('md5').update('other').digest('base64') });
    expectOssError(result, 400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.');
    expect(await listObjects()).toEqual([]);
  });

  it('answers 400 InvalidArgument (EC 0006-00000117) for x-oss-forbid-overwrite=yes (docs/oss-protocol.md §1)', async () => {
    const form = buildForm([...signedFields(emulator, { key: 'k' }), ['x-oss-forbid-overwrite', 'yes']], hello);
    expect(parseOssError((await postForm(emulator.url, form)).body)).toMatchObject({ code: 'InvalidArgument', ec: '0006-00000117' });
  });

  it('answers 400 InvalidEncryptionAlgorithmError for an unknown x-oss-server-side-encryption (docs/oss-protocol.md §1)', async () => {
    const form = buildForm([...signedFields(emulator, { key: 'k' }), ['x-oss-server-side-encryption', 'DES']], hello);
    expect(parseOssError((await postForm(emulator.url, form)).body).code).toBe('InvalidEncryptionAlgorithmError');
  });

  it('answers 400 InvalidArgument for a field sent twice [U]', async () => {
    const form = buildForm([...signedFields(emulator, { key: 'k' }), ['Key', 'other']], hello);
    expectOssError(await postForm(emulator.url, form), 400, 'InvalidArgument', 'The form field "Key" appears more than once.');
  });

  it('answers 501 NotImplemented for an upload callback rather than silently skipping it (docs/oss-protocol.md §4)', async () => {
    const form = buildForm([...signedFields(emulator, { key: 'k' }), ['callback', 'e30=']], hello);
    expect((await postForm(emulator.url, form)).status).toBe(501);
  });

  it('puts the EC of an error in the body, the x-oss-ec header and RecommendDoc (docs/oss-protocol.md §4)', async () => {
    const result = await postForm(emulator.url, buildForm(signedFields(emulator, { key: 'k' })));
    expect(result.headers.get('x-oss-ec')).toBe('0006-00000104');
    expect(xmlElement(result.body, 'RecommendDoc')).toBe('https://api.aliyun.com/troubleshoot?q=0006-00000104');
  });
});

describe('PostObject with an STS token (docs/oss-protocol.md §1)', () => {
  let sts: OssEmulator;
  beforeAll(async () => {
    sts = await startOssEmulator({ accessKeyId: 'STS.NTemporaryKey', securityToken: 'CAIS-token+/=' });
  });
  afterAll(async () => {
    await sts.close();
  });

  it.each(['v1', 'v4'] as const)('accepts a %s upload that carries the token in the form and the policy', async (version) => {
    const form = buildForm(signedFields(sts, { key: `sts-${version}`, version }), hello);
    expect((await postForm(sts.url, form)).status).toBe(204);
  });

  it('answers 403 InvalidAccessKeyId when the token is not sent (docs/oss-protocol.md §4)', async () => {
    const entries = signedFields(sts, { key: 'k' }).filter(([name]) => name !== 'x-oss-security-token');
    expectOssErrorAt(sts, await postForm(sts.url, buildForm(entries, hello)), 403, 'InvalidAccessKeyId');
  });

  it('answers 403 InvalidSecurityToken for another token [U]', async () => {
    const form = buildForm(signedFields(sts, { key: 'k', securityToken: 'other' }), hello);
    expectOssErrorAt(sts, await postForm(sts.url, form), 403, 'InvalidSecurityToken');
  });
});

function expectOssErrorAt(target: OssEmulator, result: PostResult, status: number, code: string): void {
  expect({ status: result.status, code: parseOssError(result.body).code }).toEqual({ status, code });
  expect(parseOssError(result.body).hostId).toBe(`127.0.0.1:${target.port}`);
}

describe('PostObject request log', () => {
  it('records key, status, code, times and the policy expiration of each PostObject only (docs/oss-protocol.md §4)', async () => {
    const expiration = new Date(Date.now() + 60_000);
    await postForm(emulator.url, buildForm(signedFields(emulator, { key: 'ok', expiration }), hello));
    await postForm(emulator.url, buildForm(signedFields(emulator, { key: 'late', expiration: new Date(Date.now() - 5) }), hello));
    await fetch(`${emulator.url}/ok`);
    await fetch(`${emulator.url}/`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'POST' },
    });
    const { requests } = await controlJson<ControlRequestsResponse>(emulator.url, 'requests');
    expect(requests).toHaveLength(2);
    const [ok, late] = requests;
    expect(ok).toMatchObject({
      method: 'POST',
      key: 'ok',
      status: 204,
      policyExpiration: expiration.toISOString(),
      policyExpiredAtReceipt: false,
    });
    expect(ok?.code).toBeUndefined();
    expect(ok?.firstFileByteAt).toBeGreaterThanOrEqual(ok?.receivedAt ?? Infinity);
    expect(ok?.finishedAt).toBeGreaterThanOrEqual(ok?.firstFileByteAt ?? Infinity);
    expect(ok?.bytesReceived).toBeGreaterThan(11);
    expect(late).toMatchObject({ key: 'late', status: 403, code: 'AccessDenied', policyExpiredAtReceipt: true });
    expect(late?.firstFileByteAt).toBeUndefined();
  });

  it('keeps 2 MB uploads intact (size, md5) through the streaming writer', async () => {
    const bytes = randomBytes(TWO_MB);
    const form = buildForm(signedFields(emulator, { key: 'big.bin' }), { content: bytes });
    expect((await postForm(emulator.url, form)).status).toBe(204);
    expect((await listObjects())[0]).toMatchObject({ size: TWO_MB, md5: md5Hex(bytes) });
  });
});
