import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkOrder2021Client, type WorkOrder2021Client } from '../../../server/work-order/workOrder2021Client';
import { WorkOrderApiError } from '../../../server/work-order/workOrderApiError';
import { sendJson, startCapturingServer, startLoopbackServer, type LoopbackServer } from './support/loopbackServer';
import {
  API_ACCESS_KEY_ID,
  API_ACCESS_KEY_SECRET,
  STS_ACCESS_KEY_ID,
  STS_ACCESS_KEY_SECRET,
  STS_TOKEN,
  startWorkOrder2021Stack,
  type WorkOrder2021Stack,
} from './support/workOrder2021Stack';

let stack: WorkOrder2021Stack;
let client: WorkOrder2021Client;

beforeAll(async () => {
  stack = await startWorkOrder2021Stack();
  client = createWorkOrder2021Client({
    accessKeyId: API_ACCESS_KEY_ID,
    accessKeySecret: API_ACCESS_KEY_SECRET,
    endpoint: stack.host,
    protocol: 'http',
  });
});

afterAll(async () => {
  await stack.close();
});

async function failure(call: Promise<unknown>): Promise<WorkOrderApiError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof WorkOrderApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('createWorkOrder2021Client against the emulator', () => {
  it('gets an upload URL, opens a ticket with the uploaded key, replies, reads it back and lists its notes', async () => {
    const upload = await client.getAttachmentUploadUrl('trace.log');
    expect(upload).toMatchObject({
      objectKey: expect.stringMatching(/^workorder\/attachments\/[0-9a-f]{16}\/trace\.log$/) as unknown as string,
      putSignedUrl: expect.stringContaining('Signature=') as unknown as string,
      getSignedUrl: expect.stringContaining('Signature=') as unknown as string,
      requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) as unknown as string,
    });
    stack.uploaded.add(upload.objectKey);

    const { ticketId } = await client.createTicket({
      description: 'Broken',
      severity: 2,
      categoryId: '7',
      title: 'Help',
      fileNameList: [upload.objectKey],
    });
    await client.replyTicket({ ticketId, content: 'Still broken' });
    expect(await client.getTicket(ticketId)).toMatchObject({
      ticketId,
      title: 'Help',
      description: 'Broken',
      categoryId: '7',
      severity: { value: '2' },
    });
    const { notes } = await client.listTicketNotes(ticketId);
    expect(notes.map((note) => [note.content, note.attachments.map((attachment) => attachment.name)])).toEqual([
      ['Broken', ['trace.log']],
      ['Still broken', []],
    ]);
  });

  it('signs with an STS token when given one', async () => {
    const sts = createWorkOrder2021Client({
      accessKeyId: STS_ACCESS_KEY_ID,
      accessKeySecret: STS_ACCESS_KEY_SECRET,
      securityToken: STS_TOKEN,
      endpoint: stack.host,
      protocol: 'http',
    });
    expect((await sts.getAttachmentUploadUrl('a.png')).objectKey).toMatch(/a\.png$/);
  });
});

describe('every failure is one WorkOrderApiError', () => {
  it('a gateway refusal: kind gateway, its Code, Message, RequestId and HTTP status', async () => {
    const wrong = createWorkOrder2021Client({
      accessKeyId: API_ACCESS_KEY_ID,
      accessKeySecret: 'wrong',
      endpoint: stack.host,
      protocol: 'http',
    });
    const error = await failure(wrong.getAttachmentUploadUrl('a.png'));
    expect(error).toMatchObject({
      kind: 'gateway',
      code: 'SignatureDoesNotMatch',
      action: 'GetAttachmentUploadUrl',
      httpStatus: 400,
      retryable: false,
    });
    expect(error.message).toMatch(/^Specified signature does not match/);
    expect(error.requestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  it('a business refusal (HTTP 200, Success false): kind business with the numeric Code', async () => {
    const error = await failure(client.createTicket({ description: 'd', severity: 1, categoryId: '7', fileNameList: ['forged/key.png'] }));
    expect(error).toMatchObject({ kind: 'business', code: '1003', businessCode: 1003, action: 'CreateTicket', httpStatus: 200 });
    expect(error.message).toContain('forged/key.png');
  });

  describe('answers that are not the envelope', () => {
    let odd: LoopbackServer;
    beforeAll(async () => {
      odd = await startCapturingServer((request, res) => {
        const action = request.rawHeaders.find(([name]) => name === 'x-acs-action')?.[1];
        if (action === 'CreateTicket') {
          // §6: Data must be a string; an object makes the SDK throw.
          sendJson(res, 200, { Code: 0, Success: true, RequestId: 'R', Data: { TicketId: 'T' } });
          return;
        }
        res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html>Bad Gateway</html>');
      });
    });
    afterAll(async () => {
      await odd.close();
    });

    it('an HTML error page or a Data of the wrong type: kind malformed-response', async () => {
      const oddClient = createWorkOrder2021Client({ accessKeyId: 'a', accessKeySecret: 'b', endpoint: odd.host, protocol: 'http' });
      expect(await failure(oddClient.getAttachmentUploadUrl('a.png'))).toMatchObject({
        kind: 'malformed-response',
        action: 'GetAttachmentUploadUrl',
      });
      expect(await failure(oddClient.createTicket({ description: 'd', severity: 1, categoryId: '7' }))).toMatchObject({
        kind: 'malformed-response',
        action: 'CreateTicket',
      });
    });
  });

  it('no answer in time: kind timeout, retryable', async () => {
    const silent = await startLoopbackServer(() => undefined);
    try {
      const slowClient = createWorkOrder2021Client({
        accessKeyId: 'a',
        accessKeySecret: 'b',
        endpoint: silent.host,
        protocol: 'http',
        readTimeoutMs: 200,
      });
      expect(await failure(slowClient.getAttachmentUploadUrl('a.png'))).toMatchObject({
        kind: 'timeout',
        code: 'timeout',
        retryable: true,
      });
    } finally {
      await silent.close();
    }
  });

  it('nobody listening: kind network, retryable', async () => {
    // A port that was free a moment ago.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const offline = createWorkOrder2021Client({ accessKeyId: 'a', accessKeySecret: 'b', endpoint: `127.0.0.1:${port}`, protocol: 'http' });
    expect(await failure(offline.getTicket('T'))).toMatchObject({
      kind: 'network',
      code: 'network-error',
      action: 'GetTicket',
      retryable: true,
    });
  });
});
