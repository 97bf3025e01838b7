import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPresignedRequest } from '../../../server/oss-emulator/presignedUrl';
import {
  createAttachmentUploadUrlHandler,
  type AttachmentUploadUrlAnswer,
  type AttachmentUploadUrlErrorAnswer,
} from '../../../server/work-order/attachmentUploadUrlHandler';
import { createWorkOrder2021Client } from '../../../server/work-order/workOrder2021Client';
import { startLoopbackServer } from './support/loopbackServer';
import {
  API_ACCESS_KEY_ID,
  API_ACCESS_KEY_SECRET,
  OSS_ACCESS_KEY_ID,
  OSS_ACCESS_KEY_SECRET,
  OSS_BUCKET,
  startWorkOrder2021Stack,
  type WorkOrder2021Stack,
} from './support/workOrder2021Stack';

let stack: WorkOrder2021Stack;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  stack = await startWorkOrder2021Stack();
  handle = createAttachmentUploadUrlHandler({
    client: createWorkOrder2021Client({
      accessKeyId: API_ACCESS_KEY_ID,
      accessKeySecret: API_ACCESS_KEY_SECRET,
      endpoint: stack.host,
      protocol: 'http',
    }),
  });
});

afterAll(async () => {
  await stack.close();
});

function post(body: unknown, raw = false): Request {
  return new Request('http://127.0.0.1/api/attachment-upload-url', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: raw ? String(body) : JSON.stringify(body),
  });
}

/** What OSS would say to a browser PUT of the URL with that Content-Type. */
function ossAccepts(url: string, contentType: string): boolean {
  const { pathname, search } = new URL(url);
  return verifyPresignedRequest({
    method: 'PUT',
    url: pathname + search,
    headers: { 'content-type': contentType },
    now: Date.now(),
    lookupSecret: (id) => (id === OSS_ACCESS_KEY_ID ? OSS_ACCESS_KEY_SECRET : undefined),
    bucket: OSS_BUCKET,
  }).ok;
}

describe('POST /api/attachment-upload-url', () => {
  it('answers the ObjectKey, the PutSignedUrl and the Content-Type the URL is signed for, never cached', async () => {
    const response = await handle(post({ fileName: 'screen shot.png' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const answer = (await response.json()) as AttachmentUploadUrlAnswer;
    expect(Object.keys(answer).sort()).toEqual(['ContentType', 'ObjectKey', 'PutSignedUrl']);
    expect(answer.ObjectKey).toMatch(/\/screen shot\.png$/);
    expect(answer.ContentType).toBe('application/octet-stream');
    // The browser sends exactly ContentType; OSS must accept it, and only it.
    expect(ossAccepts(answer.PutSignedUrl, answer.ContentType)).toBe(true);
    expect(ossAccepts(answer.PutSignedUrl, 'image/png')).toBe(false);
  });

  it('answers the configured Content-Type, matching a service that signs per file type', async () => {
    const byExtension = (name: string): string => (name.endsWith('.png') ? 'image/png' : 'application/octet-stream');
    const perType = await startWorkOrder2021Stack({ uploadContentType: byExtension });
    try {
      const handler = createAttachmentUploadUrlHandler({
        client: createWorkOrder2021Client({
          accessKeyId: API_ACCESS_KEY_ID,
          accessKeySecret: API_ACCESS_KEY_SECRET,
          endpoint: perType.host,
          protocol: 'http',
        }),
        contentType: byExtension,
      });
      const answer = (await (await handler(post({ fileName: 'a.png' }))).json()) as AttachmentUploadUrlAnswer;
      expect(answer.ContentType).toBe('image/png');
      expect(ossAccepts(answer.PutSignedUrl, 'image/png')).toBe(true);
    } finally {
      await perType.close();
    }
  });

  it.each([
    ['a path', 'dir/a.png'],
    ['a Windows path', 'C:\\a.png'],
    ['the parent directory', '..'],
    ['the current directory', '.'],
    ['an empty name', ''],
    ['blanks only', '   '],
    ['a NUL', 'a\u0000.png'],
    ['a newline', 'a\n.png'],
    ['a right-to-left override', 'gnp\u202e.exe'],
    ['256 characters', `${'a'.repeat(252)}.png`],
    ['a number', 42],
    ['nothing', undefined],
  ])('refuses %s with 400 invalid-file-name, without calling the API', async (_label, fileName) => {
    const before = stack.emulator.issuedKeys().length;
    const response = await handle(post({ fileName }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as AttachmentUploadUrlErrorAnswer).code).toBe('invalid-file-name');
    expect(stack.emulator.issuedKeys().length).toBe(before);
  });

  it.each([
    ['255 characters', `${'a'.repeat(251)}.png`],
    ['dots inside the name', 'v1..2.tar.gz'],
    ['CJK and emoji', '报告 📎.pdf'],
  ])('accepts %s', async (_label, fileName) => {
    expect((await handle(post({ fileName }))).status).toBe(200);
  });

  it('refuses a body that is not JSON, or too large, with 400 invalid-request', async () => {
    const notJson = await handle(post('fileName=a.png', true));
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as AttachmentUploadUrlErrorAnswer).code).toBe('invalid-request');
    const huge = await handle(post({ fileName: 'a.png', padding: 'x'.repeat(20_000) }));
    expect(huge.status).toBe(400);
  });

  it('answers 405 to anything but POST', async () => {
    const response = await handle(new Request('http://127.0.0.1/api/attachment-upload-url'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('when the Work Order API fails', () => {
  it('answers 502 with the API Code and RequestId when it refuses', async () => {
    const handler = createAttachmentUploadUrlHandler({
      client: createWorkOrder2021Client({
        accessKeyId: API_ACCESS_KEY_ID,
        accessKeySecret: 'wrong',
        endpoint: stack.host,
        protocol: 'http',
      }),
    });
    const response = await handler(post({ fileName: 'a.png' }));
    expect(response.status).toBe(502);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      code: 'upstream-error',
      upstreamCode: 'SignatureDoesNotMatch',
      requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) as unknown as string,
    });
  });

  it('answers 504 when it does not answer in time', async () => {
    const silent = await startLoopbackServer(() => undefined);
    try {
      const handler = createAttachmentUploadUrlHandler({
        client: createWorkOrder2021Client({
          accessKeyId: 'a',
          accessKeySecret: 'b',
          endpoint: silent.host,
          protocol: 'http',
          readTimeoutMs: 200,
        }),
      });
      const response = await handler(post({ fileName: 'a.png' }));
      expect(response.status).toBe(504);
      expect(((await response.json()) as AttachmentUploadUrlErrorAnswer).code).toBe('upstream-timeout');
    } finally {
      await silent.close();
    }
  });
});
