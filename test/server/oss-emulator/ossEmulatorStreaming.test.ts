import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OssEmulator } from '../../../server/oss-emulator/ossEmulator';
import { setUpEmulator, waitFor } from '../support/emulatorFixture';
import { buildForm, encodeForm, parseOssError, postForm, rawPost, signedFields } from '../support/ossForms';

const fixture = setUpEmulator();
const { objects, requests, tempFiles } = fixture;
let emulator: OssEmulator;
beforeAll(() => {
  emulator = fixture.emulator();
});

const MB = 1024 * 1024;

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

async function validUpload(key: string): Promise<number> {
  return (await postForm(emulator.url, buildForm(signedFields(emulator, { key }), { content: 'ok' }))).status;
}

describe('streaming: the size limit and aborted uploads (docs/oss-protocol.md §2, issue 3)', () => {
  it('answers EntityTooLarge as soon as the file passes the limit, while the client is still sending', async () => {
    const conditions = [['content-length-range', 0, MB]];
    const form = buildForm(signedFields(emulator, { key: 'huge.bin', conditions }), { content: randomBytes(20 * MB) });
    const { body, contentType } = await encodeForm(form);
    const sentBeforeAnswer = 3 * MB;

    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${emulator.url}/`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'content-length': body.length },
      });
      req.on('response', (res) => {
        readBody(res).then((text) => {
          resolve({ status: res.statusCode ?? 0, body: text });
          // Like a browser that gives up: the other 17 MB are never sent.
          req.destroy();
        }, reject);
      });
      req.on('error', () => undefined);
      // Send 3 MB, then wait: the answer must come without the rest of the body.
      req.write(body.subarray(0, sentBeforeAnswer));
    });

    expect(answer.status).toBe(400);
    expect(parseOssError(answer.body)).toMatchObject({
      code: 'EntityTooLarge',
      message: 'Your proposed upload exceeds the maximum allowed size',
    });
    const [entry] = await requests();
    expect(entry).toMatchObject({ status: 400, code: 'EntityTooLarge', key: 'huge.bin' });
    expect(entry?.bytesReceived).toBeLessThanOrEqual(sentBeforeAnswer);
    expect(await objects()).toEqual([]);
    await waitFor(async () => (await tempFiles()).length === 0);
  });

  it('leaves no object and no temporary file when the client aborts mid-file', async () => {
    const form = buildForm(signedFields(emulator, { key: 'aborted.bin' }), { content: randomBytes(2 * MB) });
    const { body, contentType } = await encodeForm(form);
    const req = request(`${emulator.url}/`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'content-length': body.length },
    });
    req.on('error', () => undefined);
    req.write(body.subarray(0, MB));
    // The upload is being written to its temporary file...
    await waitFor(async () => (await tempFiles()).length === 1);
    req.destroy();
    await waitFor(async () => (await requests()).length === 1);
    expect((await requests())[0]).toMatchObject({ status: 0, key: 'aborted.bin' });
    expect((await requests())[0]?.code).toBeUndefined();
    expect(await objects()).toEqual([]);
    await waitFor(async () => (await tempFiles()).length === 0);
    expect(await validUpload('after-abort')).toBe(204);
  });
});

describe('malformed bodies never crash the emulator (docs/oss-protocol.md §1, §4)', () => {
  it('answers MalformedPOSTRequest (EC 0006-00000104) for a body truncated before the final boundary', async () => {
    const { body, contentType } = await encodeForm(buildForm(signedFields(emulator, { key: 't' }), { content: randomBytes(4096) }));
    const truncated = body.subarray(0, body.length - 100);
    const result = await rawPost(emulator.url, { 'content-type': contentType, 'content-length': truncated.length }, truncated);
    expect(result.status).toBe(400);
    expect(parseOssError(result.body)).toMatchObject({
      code: 'MalformedPOSTRequest',
      message: 'The body of your POST request is not well-formed multipart/form-data',
      ec: '0006-00000104',
    });
    expect(await objects()).toEqual([]);
    await waitFor(async () => (await tempFiles()).length === 0);
  });

  it.each([
    { name: 'a text/plain body', contentType: 'text/plain', body: Buffer.from('key=a&file=b') },
    { name: 'multipart without a boundary', contentType: 'multipart/form-data', body: Buffer.from('--x\r\n') },
    { name: 'random bytes', contentType: 'multipart/form-data; boundary=zzz', body: randomBytes(64 * 1024) },
    {
      name: 'a part header without a colon',
      contentType: 'multipart/form-data; boundary=b',
      body: Buffer.from('--b\r\nthis is not a header\r\n\r\nvalue\r\n--b--\r\n'),
    },
    {
      name: 'a part without Content-Disposition only (no key)',
      contentType: 'multipart/form-data; boundary=b',
      body: Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--b--\r\n'),
    },
  ])('answers 400 for $name and keeps serving', async ({ contentType, body }) => {
    const result = await rawPost(emulator.url, { 'content-type': contentType, 'content-length': body.length }, body);
    expect(result.status).toBe(400);
    expect(parseOssError(result.body).code).toMatch(/^(MalformedPOSTRequest|InvalidArgument)$/);
    expect(result.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(await validUpload('still-alive')).toBe(204);
  });

  it('answers 400 MalformedPOSTRequest for a request without any body', async () => {
    const result = await rawPost(emulator.url, { 'content-type': 'multipart/form-data; boundary=b', 'content-length': 0 }, Buffer.alloc(0));
    expect({ status: result.status, code: parseOssError(result.body).code }).toEqual({ status: 400, code: 'MalformedPOSTRequest' });
  });
});

describe('form limits (docs/oss-protocol.md §1)', () => {
  it('accepts a field value of exactly 2 MB', async () => {
    const form = buildForm([...signedFields(emulator, { key: 'k' }), ['submit', 'a'.repeat(2 * MB)]], { content: 'x' });
    expect((await postForm(emulator.url, form)).status).toBe(204);
  });

  it('answers 400 FieldItemTooLong for a field value over 2 MB', async () => {
    const form = buildForm([...signedFields(emulator, { key: 'k' }), ['submit', 'a'.repeat(2 * MB + 1)]], { content: 'x' });
    const result = await postForm(emulator.url, form);
    expect({ status: result.status, ...parseOssError(result.body) }).toMatchObject({
      status: 400,
      code: 'FieldItemTooLong',
      message: 'Post form fields items too large',
    });
  });

  it('answers 400 FieldItemTooLong (EC 0006-00000110) for a field name over 8 KB', async () => {
    const form = buildForm([...signedFields(emulator, { key: 'k' }), [`x-${'n'.repeat(9 * 1024)}`, 'v']], { content: 'x' });
    const result = await postForm(emulator.url, form);
    expect({ status: result.status, ...parseOssError(result.body) }).toMatchObject({
      status: 400,
      code: 'FieldItemTooLong',
      ec: '0006-00000110',
    });
  });

  it('answers 400 MaxPOSTPreDataLengthExceeded (EC 0006-00000112) when the fields before file pass 8 MB', async () => {
    const big = 'a'.repeat(1.9 * MB);
    const extra = [1, 2, 3, 4, 5].map((index): [string, string] => [`submit${index}`, big]);
    const form = buildForm([...signedFields(emulator, { key: 'k' }), ...extra], { content: 'x' });
    const result = await postForm(emulator.url, form);
    expect({ status: result.status, ...parseOssError(result.body) }).toMatchObject({
      status: 400,
      code: 'MaxPOSTPreDataLengthExceeded',
      message: 'Your POST request fields preceding the upload file were too large.',
      ec: '0006-00000112',
    });
  });

  it('answers 400 MetadataTooLarge when x-oss-meta-* fields pass 8 KB [U]', async () => {
    const form = buildForm([...signedFields(emulator, { key: 'k' }), ['x-oss-meta-note', 'm'.repeat(8 * 1024)]], { content: 'x' });
    expect(parseOssError((await postForm(emulator.url, form)).body).code).toBe('MetadataTooLarge');
  });
});
