// The official @alicloud/workorder20210610 client talks to the emulator over loopback: every call
// here is signed by the SDK, and every answer is read (and type-checked) by it.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyPresignedRequest } from '../../../server/oss-emulator/presignedUrl';
import { isWorkOrder2021Request, WORK_ORDER_2021_VERSION } from '../../../server/work-order/workOrder2021Emulator';
import { startCapturingServer, capturedHeaders, sendJson, type CapturedRequest } from './support/loopbackServer';
import {
  API_ACCESS_KEY_ID,
  API_ACCESS_KEY_SECRET,
  OSS_ACCESS_KEY_ID,
  OSS_ACCESS_KEY_SECRET,
  OSS_BUCKET,
  STS_ACCESS_KEY_ID,
  STS_ACCESS_KEY_SECRET,
  STS_TOKEN,
  startWorkOrder2021Stack,
  type WorkOrder2021Stack,
} from './support/workOrder2021Stack';
import { createSdkClient, sdk, type SdkClient } from './support/workOrderSdk';

let stack: WorkOrder2021Stack;
let client: SdkClient;

beforeAll(async () => {
  stack = await startWorkOrder2021Stack();
  client = createSdkClient({ host: stack.host, accessKeyId: API_ACCESS_KEY_ID, accessKeySecret: API_ACCESS_KEY_SECRET });
});

afterAll(async () => {
  await stack.close();
});

beforeEach(() => {
  stack.clock.offsetMs = 0;
});

/** The SDK throws openapi-core's ClientError for a 4xx: its code and status are what a caller sees. */
async function sdkFailure(call: Promise<unknown>): Promise<{ code: string; statusCode: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const { code, statusCode, message } = error as { code: string; statusCode: number; message: string };
    return { code, statusCode, message };
  }
  throw new Error('expected the SDK call to fail');
}

async function issueKey(fileName: string): Promise<string> {
  const response = await client.getAttachmentUploadUrl(new sdk.GetAttachmentUploadUrlRequest({ fileName }));
  return response.body?.data?.objectKey ?? '';
}

function ossCheck(url: string, method: string, headers: Record<string, string> = {}) {
  const { pathname, search } = new URL(url);
  return verifyPresignedRequest({
    method,
    url: pathname + search,
    headers,
    now: Date.now(),
    lookupSecret: (id) => (id === OSS_ACCESS_KEY_ID ? OSS_ACCESS_KEY_SECRET : undefined),
    bucket: OSS_BUCKET,
  });
}

describe('GetAttachmentUploadUrl (docs/work-order-api.md §1, §4)', () => {
  it('answers Code 0 with an issued ObjectKey and URLs OSS accepts for a PUT of application/octet-stream and a GET', async () => {
    const response = await client.getAttachmentUploadUrl(new sdk.GetAttachmentUploadUrlRequest({ fileName: '截图 1.png' }));
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({ code: 0, success: true, requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) as unknown as string });
    const data = body?.data;
    expect(data?.objectKey).toMatch(/^workorder\/attachments\/[0-9a-f]{16}\/截图 1\.png$/);
    expect(stack.emulator.issuedKeys()).toContain(data?.objectKey);
    expect(ossCheck(data?.putSignedUrl ?? '', 'PUT', { 'content-type': 'application/octet-stream' })).toMatchObject({
      ok: true,
      key: data?.objectKey,
    });
    expect(ossCheck(data?.putSignedUrl ?? '', 'PUT', { 'content-type': 'image/png' })).toMatchObject({ ok: false });
    expect(ossCheck(data?.getSignedUrl ?? '', 'GET')).toMatchObject({ ok: true });
  });

  it('signs PutSignedUrl for the configured Content-Type', async () => {
    const perType = await startWorkOrder2021Stack({
      uploadContentType: (name) => (name.endsWith('.png') ? 'image/png' : 'application/octet-stream'),
    });
    try {
      const sdkClient = createSdkClient({ host: perType.host, accessKeyId: API_ACCESS_KEY_ID, accessKeySecret: API_ACCESS_KEY_SECRET });
      const response = await sdkClient.getAttachmentUploadUrl(new sdk.GetAttachmentUploadUrlRequest({ fileName: 'a.png' }));
      expect(ossCheck(response.body?.data?.putSignedUrl ?? '', 'PUT', { 'content-type': 'image/png' }).ok).toBe(true);
    } finally {
      await perType.close();
    }
  });

  it('answers 400 MissingParameter without FileName', async () => {
    const failure = await sdkFailure(client.getAttachmentUploadUrl(new sdk.GetAttachmentUploadUrlRequest({})));
    expect(failure).toMatchObject({ code: 'MissingParameter', statusCode: 400 });
    expect(failure.message).toContain('FileName');
  });

  it('refuses a path as FileName with a business error (HTTP 200, Success false)', async () => {
    const response = await client.getAttachmentUploadUrl(new sdk.GetAttachmentUploadUrlRequest({ fileName: '../etc/passwd' }));
    expect(response.body).toMatchObject({ success: false, code: 1001 });
  });
});

describe('tickets with attachments', () => {
  it('creates, replies to, reads and lists a ticket whose attachments were uploaded (names with commas included)', async () => {
    const first = await issueKey('log.txt');
    const second = await issueKey('a, b.png');
    // FileNameList is comma-joined: a key with a comma would split into two.
    expect(second).toMatch(/\/a_ b\.png$/);
    stack.uploaded.add(first).add(second);
    const created = await client.createTicket(
      new sdk.CreateTicketRequest({ description: 'It broke', severity: 1, categoryId: '7', title: 'Help', fileNameList: [first] }),
    );
    expect(created.body).toMatchObject({ code: 0, success: true });
    const ticketId = created.body?.data ?? '';
    expect(typeof ticketId).toBe('string');

    const reply = await client.replyTicket(new sdk.ReplyTicketRequest({ ticketId, content: 'More info', fileNameList: [second] }));
    expect(reply.body).toMatchObject({ code: 0, success: true });

    const ticket = await client.getTicket(new sdk.GetTicketRequest({ ticketId }));
    expect(ticket.body?.data).toMatchObject({
      ticketId,
      title: 'Help',
      description: 'It broke',
      categoryId: '7',
      creatorId: API_ACCESS_KEY_ID,
    });
    expect(ticket.body?.data?.severity?.value).toBe('1');

    const notes = await client.listTicketNotes(new sdk.ListTicketNotesRequest({ ticketId }));
    const dialogs = notes.body?.data ?? [];
    expect(dialogs.map((note) => note.dialog?.content)).toEqual(['It broke', 'More info']);
    expect(dialogs.map((note) => note.attachments?.map((attachment) => attachment.name))).toEqual([['log.txt'], ['a, b.png']]);
    expect(ossCheck(dialogs[1]?.attachments?.[0]?.url ?? '', 'GET')).toMatchObject({ ok: true, key: second });
  });

  it('refuses a FileNameList entry it did not issue, one not uploaded yet, and more than 3', async () => {
    const base = { description: 'd', severity: 2, categoryId: '7' };
    const notIssued = await client.createTicket(
      new sdk.CreateTicketRequest({ ...base, fileNameList: ['workorder/attachments/forged/a.png'] }),
    );
    expect(notIssued.body).toMatchObject({ success: false, code: 1003 });

    const pending = await issueKey('pending.png');
    const notUploaded = await client.createTicket(new sdk.CreateTicketRequest({ ...base, fileNameList: [pending] }));
    expect(notUploaded.body).toMatchObject({ success: false, code: 1004 });

    const keys = await Promise.all(['1.png', '2.png', '3.png', '4.png'].map(issueKey));
    for (const key of keys) stack.uploaded.add(key);
    const tooMany = await client.createTicket(new sdk.CreateTicketRequest({ ...base, fileNameList: keys }));
    expect(tooMany.body).toMatchObject({ success: false, code: 1002 });
    const three = await client.createTicket(new sdk.CreateTicketRequest({ ...base, fileNameList: keys.slice(0, 3) }));
    expect(three.body).toMatchObject({ success: true, code: 0 });
  });

  it('answers MissingParameter for each required CreateTicket parameter', async () => {
    const complete = { description: 'd', severity: 1, categoryId: '7' };
    for (const missing of ['description', 'severity', 'categoryId'] as const) {
      const { [missing]: _omitted, ...rest } = complete;
      const failure = await sdkFailure(client.createTicket(new sdk.CreateTicketRequest(rest)));
      expect(failure.code).toBe('MissingParameter');
    }
  });

  it('answers a business error for an unknown ticket', async () => {
    const response = await client.getTicket(new sdk.GetTicketRequest({ ticketId: 'nope' }));
    expect(response.body).toMatchObject({ success: false, code: 1005 });
  });
});

describe('the gateway checks (docs/work-order-api.md §2, §3)', () => {
  it('answers SignatureDoesNotMatch for a wrong secret and InvalidAccessKeyId.NotFound for an unknown key', async () => {
    const wrongSecret = createSdkClient({ host: stack.host, accessKeyId: API_ACCESS_KEY_ID, accessKeySecret: 'wrong' });
    expect(
      await sdkFailure(wrongSecret.getAttachmentUploadUrl(new sdk.GetAttachmentUploadUrlRequest({ fileName: 'a.png' }))),
    ).toMatchObject({
      code: 'SignatureDoesNotMatch',
      statusCode: 400,
    });
    const unknown = createSdkClient({ host: stack.host, accessKeyId: 'LTAI5tNobody', accessKeySecret: 'x' });
    expect(await sdkFailure(unknown.getAttachmentUploadUrl(new sdk.GetAttachmentUploadUrlRequest({ fileName: 'a.png' })))).toMatchObject({
      code: 'InvalidAccessKeyId.NotFound',
      statusCode: 404,
    });
  });

  it('refuses x-acs-date more than 15 minutes off its clock, either way', async () => {
    stack.clock.offsetMs = 16 * 60 * 1000;
    expect((await sdkFailure(client.getTicket(new sdk.GetTicketRequest({ ticketId: 'x' })))).code).toBe('InvalidTimeStamp.Expired');
    stack.clock.offsetMs = -16 * 60 * 1000;
    expect((await sdkFailure(client.getTicket(new sdk.GetTicketRequest({ ticketId: 'x' })))).code).toBe('InvalidTimeStamp.Expired');
    stack.clock.offsetMs = 14 * 60 * 1000;
    expect((await client.getTicket(new sdk.GetTicketRequest({ ticketId: 'x' }))).statusCode).toBe(200);
  });

  it('accepts an STS key only with its token', async () => {
    const sts = createSdkClient({
      host: stack.host,
      accessKeyId: STS_ACCESS_KEY_ID,
      accessKeySecret: STS_ACCESS_KEY_SECRET,
      securityToken: STS_TOKEN,
    });
    expect((await sts.getAttachmentUploadUrl(new sdk.GetAttachmentUploadUrlRequest({ fileName: 'a.png' }))).body?.success).toBe(true);
    const wrongToken = createSdkClient({
      host: stack.host,
      accessKeyId: STS_ACCESS_KEY_ID,
      accessKeySecret: STS_ACCESS_KEY_SECRET,
      securityToken: 'other',
    });
    expect((await sdkFailure(wrongToken.getAttachmentUploadUrl(new sdk.GetAttachmentUploadUrlRequest({ fileName: 'a.png' })))).code).toBe(
      'InvalidSecurityToken.MismatchWithAccessKey',
    );
  });

  describe('replaying a captured SDK request', () => {
    let captured: CapturedRequest;
    beforeAll(async () => {
      const logger = await startCapturingServer((_request, res) =>
        sendJson(res, 200, { Code: 0, Success: true, RequestId: 'R', Data: [] }),
      );
      try {
        const sdkClient = createSdkClient({ host: logger.host, accessKeyId: API_ACCESS_KEY_ID, accessKeySecret: API_ACCESS_KEY_SECRET });
        await sdkClient.listTicketNotes(new sdk.ListTicketNotesRequest({ ticketId: 'x' })).catch(() => undefined);
        await sdkClient
          .createTicket(new sdk.CreateTicketRequest({ description: 'd', severity: 1, categoryId: '7' }))
          .catch(() => undefined);
      } finally {
        await logger.close();
      }
      captured = logger.requests[1] as CapturedRequest;
    });

    /** Sends the captured request again with its own Host header (fetch would rewrite Host). */
    function replay(changes: { host?: string; body?: Buffer } = {}): Promise<{ status: number; code: string | undefined }> {
      const headers: Record<string, string> = {};
      capturedHeaders(captured).forEach((value, name) => {
        headers[name] = value;
      });
      if (changes.host !== undefined) headers.host = changes.host;
      const body = changes.body ?? captured.body;
      headers['content-length'] = String(body.length);
      return new Promise((resolve, reject) => {
        const req = httpRequest(`${stack.url}${captured.url}`, { method: captured.method, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const answer = JSON.parse(Buffer.concat(chunks).toString()) as { Code?: unknown };
            resolve({ status: res.statusCode ?? 0, code: typeof answer.Code === 'string' ? answer.Code : undefined });
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    }

    it('refuses the request with another body or for another host, then accepts it once and refuses its nonce after', async () => {
      expect(await replay({ body: Buffer.from(captured.body.toString().replace('Description=d', 'Description=e')) })).toEqual({
        status: 400,
        code: 'SignatureDoesNotMatch',
      });
      expect(await replay({ host: 'workorder.aliyuncs.com' })).toEqual({ status: 400, code: 'SignatureDoesNotMatch' });
      expect(await replay()).toEqual({ status: 200, code: undefined });
      expect(await replay()).toEqual({ status: 400, code: 'SignatureNonceUsed' });
    });
  });

  it('is told apart from the legacy API by x-acs-version, and refuses another version', async () => {
    const request = (version: string): Request => new Request(stack.url, { method: 'POST', headers: { 'x-acs-version': version } });
    expect(isWorkOrder2021Request(request(WORK_ORDER_2021_VERSION))).toBe(true);
    expect(isWorkOrder2021Request(request('2016-08-30'))).toBe(false);
    const response = await stack.emulator.handle(request('2016-08-30'));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      Code: 'InvalidVersion',
      RequestId: expect.any(String) as unknown as string,
      HostId: expect.any(String) as unknown as string,
    });
  });
});
