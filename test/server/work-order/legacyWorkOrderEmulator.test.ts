import { randomUUID } from 'node:crypto';
import RPCClient from '@alicloud/pop-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signRpcRequest } from '../../../server/work-order/popRpcSignature.js';
import {
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  OSS_HOST,
  STS_ACCESS_KEY_ID,
  STS_ACCESS_KEY_SECRET,
  STS_SECURITY_TOKEN,
  startWorkOrderEmulator,
  type WorkOrderEmulatorFixture,
} from './support/workOrderEmulatorFixture.js';

let fixture: WorkOrderEmulatorFixture;
beforeAll(async () => {
  fixture = await startWorkOrderEmulator();
});
afterEach(() => {
  fixture.emulator.reset();
  fixture.objects.clear();
  fixture.requests.length = 0;
});
afterAll(async () => {
  await fixture.close();
});

const rpcTimestamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

interface RawCall {
  method?: 'GET' | 'POST';
  /** Default: everything in the query for GET, in the body for POST. */
  inQuery?: (name: string) => boolean;
  secret?: string;
  /** Applied to the full parameter set before signing; `undefined` removes a parameter. */
  change?: Record<string, string | undefined>;
  signature?: string;
}

/** The parameters pop-core would send for `action` (docs' common parameters), signed with our signer. */
function signedParams(action: string, params: Record<string, string>, call: RawCall = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    Action: action,
    Format: 'JSON',
    Version: '2016-08-30',
    AccessKeyId: ACCESS_KEY_ID,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: rpcTimestamp(new Date()),
    ...params,
    ...call.change,
  };
  const defined = Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const signature =
    call.signature ?? signRpcRequest({ method: call.method ?? 'GET', params: defined, accessKeySecret: call.secret ?? ACCESS_KEY_SECRET });
  return { ...defined, Signature: signature };
}

function send(params: Record<string, string>, call: RawCall = {}): Promise<Response> {
  const method = call.method ?? 'GET';
  const inQuery = call.inQuery ?? (() => method === 'GET');
  const query = new URLSearchParams(Object.entries(params).filter(([name]) => inQuery(name)));
  const body = new URLSearchParams(Object.entries(params).filter(([name]) => !inQuery(name)));
  return fetch(`${fixture.url}/?${query}`, {
    method,
    ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() } : {}),
  });
}

async function call(
  action: string,
  params: Record<string, string> = {},
  options: RawCall = {},
): Promise<{ status: number; body: Record<string, unknown>; response: Response }> {
  const response = await send(signedParams(action, params, options), options);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, response };
}

async function issueDir(): Promise<string> {
  const { body } = await call('GetOSSTempAuthor');
  return (body.data as { dir: string }).dir;
}

describe('what @alicloud/pop-core sends', () => {
  const client = (): RPCClient =>
    new RPCClient({ endpoint: fixture.url, apiVersion: '2016-08-30', accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET });

  it('GET: every parameter in the query, the action and names upper-cased, the original name in x-acs-action', async () => {
    await client().request('getOSSTempAuthor', {});
    const [request] = fixture.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url.pathname).toBe('/');
    expect(request?.body).toBe('');
    expect([...(request?.url.searchParams.keys() ?? [])].sort()).toEqual(
      [
        'AccessKeyId',
        'Action',
        'Format',
        'Signature',
        'SignatureMethod',
        'SignatureNonce',
        'SignatureVersion',
        'Timestamp',
        'Version',
      ].sort(),
    );
    expect(request?.url.searchParams.get('Action')).toBe('GetOSSTempAuthor');
    expect(request?.url.searchParams.get('Timestamp')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(request?.headers.get('x-acs-action')).toBe('getOSSTempAuthor');
    expect(request?.headers.get('x-acs-version')).toBe('2016-08-30');
  });

  it('POST: everything, Signature included, in a urlencoded body and nothing in the query', async () => {
    await client().request('add', { content: 'a b', aliUid: '42', attachments: 'k1,k2' }, { method: 'POST' });
    const [request] = fixture.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url.search).toBe('');
    expect(request?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request?.body);
    expect(form.get('Action')).toBe('Add');
    expect(form.get('AliUid')).toBe('42');
    expect(form.get('Content')).toBe('a b');
    expect(form.get('Attachments')).toBe('k1,k2');
    expect(form.get('Signature')).not.toBeNull();
    expect(request?.body).toContain('Content=a%20b');
    expect(request?.headers.get('x-acs-action')).toBe('add');
  });

  it("is accepted in both spellings: with pop-core's upper-casing turned off too", async () => {
    const dir = await issueDir();
    fixture.objects.add(`${dir}a.png`);
    const answer = await client().request(
      'add',
      { content: 'lower', aliUid: '42', attachments: `${dir}a.png` },
      { method: 'POST', formatAction: false, formatParams: false },
    );
    expect(answer).toMatchObject({ success: true });
    const form = new URLSearchParams(fixture.requests.at(-1)?.body);
    expect([form.get('Action'), form.get('aliUid'), form.get('AliUid')]).toEqual(['add', '42', null]);
  });
});

describe('getOSSTempAuthor', () => {
  it('answers the envelope with a policy for a fresh pop_temp dir, 2 MB and 2 minutes', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { status, body, response } = await call('GetOSSTempAuthor');
    expect(status).toBe(200);
    expect(response.headers.get('x-acs-request-id')).toMatch(/^[0-9A-F-]{36}$/);
    expect(body).toMatchObject({ success: true, code: '200', message: 'successful' });
    const data = body.data as { accessId: string; policy: string; signature: string; dir: string; host: string; expire: string };
    expect(data.dir).toMatch(/^pop_temp\d+\/$/);
    expect(data.host).toBe(OSS_HOST);
    expect(Number(data.expire) - before).toBeGreaterThanOrEqual(119);
    expect(Number(data.expire) - before).toBeLessThanOrEqual(121);
    const policy = JSON.parse(Buffer.from(data.policy, 'base64').toString('utf8')) as { conditions: unknown[] };
    expect(policy.conditions).toContainEqual(['content-length-range', 0, 2 * 1024 * 1024]);
    expect(policy.conditions).toContainEqual(['starts-with', '$key', data.dir]);
    const second = await issueDir();
    expect(second).not.toBe(data.dir);
    expect(fixture.emulator.issuedDirs()).toEqual([data.dir, second]);
  });
});

describe('the gateway checks', () => {
  async function expectGatewayError(
    answer: { status: number; body: Record<string, unknown>; response: Response },
    status: number,
    code: string,
  ): Promise<void> {
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({
      RequestId: answer.response.headers.get('x-acs-request-id'),
      HostId: 'workorder.aliyuncs.com',
      Code: code,
      Message: expect.any(String),
      Recommend: expect.stringContaining(code),
    });
  }

  it.each([
    'Action',
    'Version',
    'Format',
    'AccessKeyId',
    'SignatureMethod',
    'SignatureVersion',
    'SignatureNonce',
    'Timestamp',
    'Signature',
  ])('answers 400 MissingParameter without %s', async (name) => {
    const params = signedParams('GetOSSTempAuthor', {}, { change: { [name]: undefined } });
    delete params[name];
    const response = await send(params);
    const answer = { status: response.status, body: (await response.json()) as Record<string, unknown>, response };
    await expectGatewayError(answer, 400, 'MissingParameter');
    expect(answer.body.Message).toContain(`"${name}"`);
  });

  it('answers 404 InvalidAccessKeyId.NotFound for a key it does not know', async () => {
    await expectGatewayError(
      await call('GetOSSTempAuthor', {}, { change: { AccessKeyId: 'LTAI-unknown' } }),
      404,
      'InvalidAccessKeyId.NotFound',
    );
  });

  it('answers 400 SignatureDoesNotMatch for a wrong secret, naming its string to sign but never the secret', async () => {
    const answer = await call('GetOSSTempAuthor', {}, { secret: 'not-the-secret' });
    await expectGatewayError(answer, 400, 'SignatureDoesNotMatch');
    expect(answer.body.Message).toContain('GET&%2F&AccessKeyId%3D');
    expect(JSON.stringify(answer.body)).not.toContain(ACCESS_KEY_SECRET);
  });

  it('verifies the signature over the query and the form body together', async () => {
    const params = signedParams('Add', { Content: 'split', AliUid: '42' }, { method: 'POST' });
    const response = await send(params, { method: 'POST', inQuery: (name) => name.startsWith('S') || name === 'Action' });
    expect(fixture.requests.at(-1)?.url.searchParams.get('Signature')).not.toBeNull();
    expect(fixture.requests.at(-1)?.body).toContain('Content=split');
    expect(await response.json()).toMatchObject({ success: true });
    // The same parameters signed as a GET do not pass as a POST: the method is signed.
    const asGet = signedParams('Add', { Content: 'split', AliUid: '42' }, { method: 'GET' });
    expect((await send(asGet, { method: 'POST' })).status).toBe(400);
  });

  it('answers 400 InvalidParameter for a parameter given twice', async () => {
    const params = signedParams('GetOSSTempAuthor', {}, { method: 'POST' });
    const response = await send(params, { method: 'POST', inQuery: (name) => name !== 'Format' });
    expect(response.status).toBe(200);
    const twice = await fetch(`${fixture.url}/?${new URLSearchParams(params)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Format=JSON',
    });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({ Code: 'InvalidParameter' });
  });

  it('answers 400 SignatureNonceUsed to a replayed request, and a refused request does not use up its nonce', async () => {
    const params = signedParams('GetOSSTempAuthor', {});
    expect((await send(params)).status).toBe(200);
    const replay = await send(params);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ Code: 'SignatureNonceUsed' });

    const nonce = randomUUID();
    expect((await call('GetOSSTempAuthor', {}, { change: { SignatureNonce: nonce }, secret: 'wrong' })).body.Code).toBe(
      'SignatureDoesNotMatch',
    );
    expect((await call('GetOSSTempAuthor', {}, { change: { SignatureNonce: nonce } })).status).toBe(200);
  });

  it.each([
    ['16 minutes late', -16, 'InvalidTimeStamp.Expired'],
    ['16 minutes early', 16, 'InvalidTimeStamp.Expired'],
  ])('answers 400 %s', async (_label, minutes, code) => {
    const timestamp = rpcTimestamp(new Date(Date.now() + minutes * 60_000));
    await expectGatewayError(await call('GetOSSTempAuthor', {}, { change: { Timestamp: timestamp } }), 400, code);
  });

  it('accepts a Timestamp 14 minutes off and refuses one that is not ISO 8601 UTC', async () => {
    expect((await call('GetOSSTempAuthor', {}, { change: { Timestamp: rpcTimestamp(new Date(Date.now() - 14 * 60_000)) } })).status).toBe(
      200,
    );
    await expectGatewayError(
      await call('GetOSSTempAuthor', {}, { change: { Timestamp: '2026-01-02 03:04:05' } }),
      400,
      'InvalidTimeStamp.Format',
    );
  });

  it('follows its own clock: the clock offset fault makes a correct client look 20 minutes late', async () => {
    fixture.emulator.setFaults({ clockOffsetMs: 20 * 60_000 });
    const answer = await call('GetOSSTempAuthor');
    await expectGatewayError(answer, 400, 'InvalidTimeStamp.Expired');
    expect(Date.parse(answer.response.headers.get('date') ?? '') - Date.now()).toBeGreaterThan(19 * 60_000);
  });

  it('wants the STS token with an STS key, and exactly that token', async () => {
    const sts = { change: { AccessKeyId: STS_ACCESS_KEY_ID }, secret: STS_ACCESS_KEY_SECRET };
    expect((await call('GetOSSTempAuthor', { SecurityToken: STS_SECURITY_TOKEN }, sts)).status).toBe(200);
    await expectGatewayError(await call('GetOSSTempAuthor', {}, sts), 400, 'InvalidSecurityToken.MismatchWithAccessKey');
    await expectGatewayError(
      await call('GetOSSTempAuthor', { SecurityToken: 'other' }, sts),
      400,
      'InvalidSecurityToken.MismatchWithAccessKey',
    );
  });

  it('answers 404 InvalidAction.NotFound for an action the version does not have, and 400 for another version', async () => {
    await expectGatewayError(await call('CreateTicket', {}), 404, 'InvalidAction.NotFound');
    await expectGatewayError(await call('GetOSSTempAuthor', {}, { change: { Version: '2021-06-10' } }), 400, 'InvalidVersion');
  });
});

describe('add and QuestionReply', () => {
  async function uploaded(...names: string[]): Promise<string[]> {
    const dir = await issueDir();
    const keys = names.map((name) => `${dir}${name}`);
    for (const key of keys) fixture.objects.add(key);
    return keys;
  }

  it('stores a ticket with its attachments and a reply, and reads them back', async () => {
    const keys = await uploaded('a.png', 'b.pdf', '日志 1.txt');
    const added = await call(
      'Add',
      { Content: '无法登录', AliUid: '1234567890', Title: 'Login', ProductId: 'ecs', Attachments: keys.join(',') },
      { method: 'POST' },
    );
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ message: 'successful', data: expect.any(String), code: '200', success: true });
    const ticketId = added.body.data as string;

    const [replyKey] = await uploaded('screen.png');
    const replied = await call(
      'QuestionReply',
      { QuestionId: ticketId, QuestionContent: 'More details', Attachments: replyKey as string },
      { method: 'POST' },
    );
    expect(replied.body).toMatchObject({ success: true, code: '200' });

    expect(fixture.emulator.getTicket(ticketId)).toEqual({
      id: ticketId,
      aliUid: '1234567890',
      title: 'Login',
      content: '无法登录',
      productId: 'ecs',
      attachments: keys,
      createdAt: expect.any(String),
      replies: [
        {
          id: replied.body.data,
          ticketId,
          content: 'More details',
          secContent: '',
          attachments: [replyKey],
          createdAt: expect.any(String),
        },
      ],
    });
    expect(fixture.emulator.listTickets().map((ticket) => ticket.id)).toEqual([ticketId]);
  });

  const businessError = (code: number) => ({ success: false, code, message: expect.any(String) });

  it('answers -104 ILLEGAL_PARAM_EMPTY, with HTTP 200, when a required field is missing or blank', async () => {
    const noContent = await call('Add', { AliUid: '42' });
    expect(noContent.status).toBe(200);
    expect(noContent.body).toEqual(businessError(-104));
    expect((await call('Add', { Content: '  ', AliUid: '42' })).body).toEqual(businessError(-104));
    expect((await call('Add', { Content: 'x' })).body).toEqual(businessError(-104));
    expect((await call('QuestionReply', { QuestionContent: 'x' })).body).toEqual(businessError(-104));
    const ticketId = (await call('Add', { Content: 'x', AliUid: '42' })).body.data as string;
    expect((await call('QuestionReply', { QuestionId: ticketId })).body).toEqual(businessError(-104));
    expect(fixture.emulator.getTicket(ticketId)?.replies).toEqual([]);
  });

  it('answers -101 ILLEGAL_PARAM for a 4th attachment, a duplicate, an unknown object or a dir it did not issue', async () => {
    const keys = await uploaded('1.png', '2.png', '3.png', '4.png');
    fixture.objects.add('pop_temp123/foreign.png');
    const attempts = [
      keys.join(','),
      `${keys[0]},${keys[0]}`,
      `${keys[0]},${keys[0]?.replace('1.png', 'missing.png')}`,
      'pop_temp123/foreign.png',
      `${keys[0]},`,
    ];
    for (const attachments of attempts) {
      const answer = await call('Add', { Content: 'x', AliUid: '42', Attachments: attachments }, { method: 'POST' });
      expect(answer.body, attachments).toEqual(businessError(-101));
    }
    expect(fixture.emulator.listTickets()).toEqual([]);
    expect(
      (await call('Add', { Content: 'x', AliUid: '42', Attachments: keys.slice(0, 3).join(',') }, { method: 'POST' })).body,
    ).toMatchObject({ success: true });
  });

  it('answers -101 to a reply for a ticket that does not exist', async () => {
    expect((await call('QuestionReply', { QuestionId: '999999', QuestionContent: 'x' })).body).toEqual(businessError(-101));
  });
});

describe('faults', () => {
  it('SYSTEM_BUSY and ILLEGAL_AUTH answer the next N calls, then the service recovers', async () => {
    fixture.emulator.setFaults({ systemBusy: 1, illegalAuth: 1 });
    expect((await call('GetOSSTempAuthor')).body).toMatchObject({ success: false, code: -121 });
    expect((await call('Add', { Content: 'x', AliUid: '42' })).body).toMatchObject({ success: false, code: -153 });
    expect((await call('GetOSSTempAuthor')).body).toMatchObject({ success: true });
    expect(fixture.emulator.faults()).toMatchObject({ systemBusy: 0, illegalAuth: 0 });
  });

  it('refuses a bad request before any business fault', async () => {
    fixture.emulator.setFaults({ systemBusy: 1 });
    expect((await call('GetOSSTempAuthor', {}, { secret: 'wrong' })).body).toMatchObject({ Code: 'SignatureDoesNotMatch' });
    expect(fixture.emulator.faults().systemBusy).toBe(1);
  });
});
