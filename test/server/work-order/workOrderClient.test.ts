import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WorkOrderApiError } from '../../../server/work-order/workOrderApiError.js';
import { createWorkOrderClient, type WorkOrderClientOptions } from '../../../server/work-order/workOrderClient.js';
import {
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  STS_ACCESS_KEY_ID,
  STS_ACCESS_KEY_SECRET,
  STS_SECURITY_TOKEN,
  listenOnLoopback,
  startWorkOrderEmulator,
  type WorkOrderEmulatorFixture,
} from './support/workOrderEmulatorFixture.js';

let fixture: WorkOrderEmulatorFixture;
beforeAll(async () => {
  fixture = await startWorkOrderEmulator();
});
afterEach(() => {
  vi.useRealTimers();
  fixture.emulator.reset();
  fixture.objects.clear();
  fixture.requests.length = 0;
  fixture.requestIds.length = 0;
});
afterAll(async () => {
  await fixture.close();
});

const client = (options: Partial<WorkOrderClientOptions> = {}) =>
  createWorkOrderClient({ endpoint: fixture.url, accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, ...options });

async function failure(promise: Promise<unknown>): Promise<WorkOrderApiError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WorkOrderApiError);
  return error as WorkOrderApiError;
}

async function uploaded(...names: string[]): Promise<string[]> {
  const { data } = await client().getOSSTempAuthor();
  const keys = names.map((name) => `${data.dir}${name}`);
  for (const key of keys) fixture.objects.add(key);
  return keys;
}

describe('createWorkOrderClient', () => {
  it("returns getOSSTempAuthor's envelope as the service sent it", async () => {
    const envelope = await client().getOSSTempAuthor();
    expect(Object.keys(envelope)).toEqual(['message', 'data', 'code', 'success']);
    expect(envelope).toMatchObject({ success: true, code: '200', message: 'successful' });
    expect(Object.keys(envelope.data).sort()).toEqual(['accessId', 'dir', 'expire', 'host', 'policy', 'signature']);
    expect(fixture.emulator.issuedDirs()).toEqual([envelope.data.dir]);
    expect(fixture.requests[0]?.method).toBe('GET');
  });

  it('creates a ticket and a reply with POST bodies, attachments comma-joined, nothing sent for what is not given', async () => {
    const keys = await uploaded('a.png', 'b b.pdf', '截图.png');
    fixture.requests.length = 0;
    const added = await client().add({ content: '工单内容 '.repeat(400), aliUid: '1234567890', attachments: keys, title: undefined });
    expect(added).toMatchObject({ success: true });
    const [request] = fixture.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url.search).toBe('');
    const form = new URLSearchParams(request?.body);
    expect(form.get('Attachments')).toBe(keys.join(','));
    expect(form.has('Title')).toBe(false);
    expect(request?.body).not.toContain('undefined');

    const ticketId = added.data as string;
    const [replyKey] = await uploaded('reply.log');
    await client().questionReply({ questionId: ticketId, questionContent: 'Still broken', attachments: replyKey });
    const ticket = fixture.emulator.getTicket(ticketId);
    expect(ticket?.attachments).toEqual(keys);
    expect(ticket?.content).toBe('工单内容 '.repeat(400));
    expect(ticket?.replies.map((reply) => [reply.content, reply.attachments])).toEqual([['Still broken', [replyKey]]]);
  });

  it('refuses bad input before sending anything', () => {
    expect(() => createWorkOrderClient({ endpoint: 'workorder.aliyuncs.com', accessKeyId: 'a', accessKeySecret: 'b' })).toThrow(TypeError);
    expect(() => createWorkOrderClient({ accessKeyId: '', accessKeySecret: 'b' })).toThrow(TypeError);
    const bad = { content: undefined, aliUid: '1' } as unknown as Parameters<ReturnType<typeof client>['add']>[0];
    expect(() => client().add(bad)).toThrow(/content is required/);
    expect(() => client().add({ content: 'x', aliUid: '1', attachments: ['a,b'] })).toThrow(TypeError);
    expect(fixture.requests).toEqual([]);
  });
});

describe('gateway errors become WorkOrderApiError with the RequestId', () => {
  it('SignatureDoesNotMatch for a wrong secret', async () => {
    const error = await failure(client({ accessKeySecret: 'not-the-secret' }).getOSSTempAuthor());
    expect(error).toMatchObject({
      kind: 'gateway',
      code: 'SignatureDoesNotMatch',
      httpStatus: 400,
      action: 'getOSSTempAuthor',
      retryable: false,
    });
    expect(error.requestId).toBe(fixture.requestIds.at(-1));
    expect(error.message).not.toContain('not-the-secret');
  });

  it('InvalidAccessKeyId.NotFound for a key the gateway does not know', async () => {
    const error = await failure(client({ accessKeyId: 'LTAI-unknown' }).add({ content: 'x', aliUid: '1' }));
    expect(error).toMatchObject({ kind: 'gateway', code: 'InvalidAccessKeyId.NotFound', httpStatus: 404, action: 'add' });
  });

  it("InvalidTimeStamp.Expired when the server's clock is 20 minutes behind", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Date.now() - 20 * 60_000));
    const error = await failure(client().getOSSTempAuthor());
    expect(error).toMatchObject({ kind: 'gateway', code: 'InvalidTimeStamp.Expired', httpStatus: 400 });
  });

  it('SignatureNonceUsed for a request the client sent, replayed as it was', async () => {
    await client().getOSSTempAuthor();
    const sent = fixture.requests[0];
    const replay = await fetch(sent?.url as URL);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ Code: 'SignatureNonceUsed' });
  });

  it('MissingParameter when a proxy on the way drops one', async () => {
    const proxy = await listenOnLoopback(async (req, res) => {
      const url = new URL(req.url ?? '/', fixture.url);
      url.searchParams.delete('SignatureNonce');
      const answer = await fetch(url);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(await answer.text());
    });
    try {
      const error = await failure(client({ endpoint: proxy.url }).getOSSTempAuthor());
      expect(error).toMatchObject({ kind: 'gateway', code: 'MissingParameter', httpStatus: 400 });
      expect(error.requestId).toMatch(/^[0-9A-F-]{36}$/);
    } finally {
      await proxy.close();
    }
  });

  it('signs with the STS token, and fails without it', async () => {
    const sts = { accessKeyId: STS_ACCESS_KEY_ID, accessKeySecret: STS_ACCESS_KEY_SECRET };
    await expect(client({ ...sts, securityToken: STS_SECURITY_TOKEN }).getOSSTempAuthor()).resolves.toMatchObject({ success: true });
    expect(fixture.requests[0]?.url.searchParams.get('SecurityToken')).toBe(STS_SECURITY_TOKEN);
    expect(await failure(client(sts).getOSSTempAuthor())).toMatchObject({
      kind: 'gateway',
      code: 'InvalidSecurityToken.MismatchWithAccessKey',
    });
  });
});

describe('transport failures', () => {
  it('a slow answer past timeoutMs is a timeout', async () => {
    fixture.emulator.setFaults({ latencyMs: 3_000 });
    const error = await failure(client({ timeoutMs: 200 }).getOSSTempAuthor());
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout', retryable: true });
  });

  it('a refused connection is a network error', async () => {
    const gone = await listenOnLoopback((_req, res) => res.end());
    await gone.close();
    const error = await failure(client({ endpoint: gone.url }).getOSSTempAuthor());
    expect(error).toMatchObject({ kind: 'network', code: 'network-error', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('an answer that is not JSON is a malformed response', async () => {
    const proxy = await listenOnLoopback((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    try {
      expect(await failure(client({ endpoint: proxy.url }).getOSSTempAuthor())).toMatchObject({ kind: 'malformed-response' });
    } finally {
      await proxy.close();
    }
  });
});

describe('business errors become WorkOrderApiError too', () => {
  async function expectBusiness(promise: Promise<unknown>, code: string, businessCode: number): Promise<void> {
    const error = await failure(promise);
    expect(error).toMatchObject({ kind: 'business', code, businessCode, httpStatus: 200 });
    expect(error.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(error.requestId).toBe(fixture.requestIds.at(-1));
  }

  it('-101 ILLEGAL_PARAM for a 4th attachment, an object that does not exist, a dir the service did not issue', async () => {
    const keys = await uploaded('1.png', '2.png', '3.png', '4.png');
    fixture.objects.add('pop_temp42/foreign.png');
    await expectBusiness(client().add({ content: 'x', aliUid: '1', attachments: keys }), 'ILLEGAL_PARAM', -101);
    await expectBusiness(client().add({ content: 'x', aliUid: '1', attachments: [`${keys[0]}.missing`] }), 'ILLEGAL_PARAM', -101);
    await expectBusiness(
      client().questionReply({ questionId: '100001', questionContent: 'x', attachments: ['pop_temp42/foreign.png'] }),
      'ILLEGAL_PARAM',
      -101,
    );
    expect(fixture.emulator.listTickets()).toEqual([]);
  });

  it('-104 ILLEGAL_PARAM_EMPTY for empty content', async () => {
    await expectBusiness(client().add({ content: '', aliUid: '1' }), 'ILLEGAL_PARAM_EMPTY', -104);
  });

  it('-121 ILLEGAL_AUTH and -153 SYSTEM_BUSY, the latter retryable', async () => {
    fixture.emulator.setFaults({ illegalAuth: 1 });
    await expectBusiness(client().getOSSTempAuthor(), 'ILLEGAL_AUTH', -121);
    fixture.emulator.setFaults({ systemBusy: 1 });
    const busy = await failure(client().getOSSTempAuthor());
    expect(busy).toMatchObject({ code: 'SYSTEM_BUSY', businessCode: -153, retryable: true });
  });
});
