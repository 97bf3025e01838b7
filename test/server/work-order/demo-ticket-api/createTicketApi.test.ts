import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpServer } from '../../../../server/local-stack/closeHttpServer';
import { startLocalStack, type LocalStack } from '../../../../server/local-stack/localStack';
import type { OssTempAuthorization, OssTempAuthorizationV4 } from '../../../../server/signer/ossPostPolicySigner';
import { createTicketApi } from '../../../../server/work-order/demo-ticket-api/createTicketApi';
import type { Ticket, TicketReply } from '../../../../server/work-order/demo-ticket-api/ticketStore';
import { buildForm, controlJson, postForm, type FormEntry } from '../../support/ossForms';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ vite: false });
});
afterEach(async () => {
  await controlJson(stack.ossUrl, 'reset', {});
  await fetch(`${stack.appUrl}/api/__control/reset`, { method: 'POST' });
});
afterAll(async () => {
  await stack.close();
});

interface Envelope<T> {
  message: string;
  data: T;
  code: string;
  success: boolean;
}

async function getAuthorization(): Promise<{ response: Response; envelope: Envelope<OssTempAuthorization> }> {
  const response = await fetch(`${stack.appUrl}/api/getOSSTempAuthor`);
  return { response, envelope: (await response.json()) as Envelope<OssTempAuthorization> };
}

/** Uploads through the emulator with a getOSSTempAuthor answer, as the browser library does (docs/oss-protocol.md §6). */
async function uploadAttachment(fileName: string, content: string, auth?: OssTempAuthorization): Promise<string> {
  const data = auth ?? (await getAuthorization()).envelope.data;
  const key = `${data.dir}${fileName.replace(/[^\w.-]/g, '_')}`;
  const entries: FormEntry[] = [
    ['key', key],
    ['policy', data.policy],
  ];
  if ('x-oss-signature' in data) {
    const v4 = data as OssTempAuthorizationV4;
    entries.push(
      ['x-oss-signature-version', v4['x-oss-signature-version']],
      ['x-oss-credential', v4['x-oss-credential']],
      ['x-oss-date', v4['x-oss-date']],
      ['x-oss-signature', v4['x-oss-signature']],
    );
  } else {
    entries.push(['OSSAccessKeyId', data.accessId], ['Signature', data.signature]);
  }
  entries.push(
    ['success_action_status', '200'],
    ['Content-Disposition', `attachment; filename="${key.slice(data.dir.length)}"; filename*=UTF-8''${encodeURIComponent(fileName)}`],
  );
  const result = await postForm(data.host.replace(/\/$/, ''), buildForm(entries, { content, name: 'blob', type: 'text/plain' }));
  expect(result.status).toBe(200);
  return key;
}

async function postJson<T>(path: string, body: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${stack.appUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

describe('GET /api/getOSSTempAuthor (docs/oss-protocol.md §6)', () => {
  it('answers exactly the docs envelope with a Date header and Cache-Control: no-store', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { response, envelope } = await getAuthorization();
    expect(response.status).toBe(200);
    expect(response.headers.get('date')).toMatch(/GMT$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(envelope)).toEqual(['message', 'data', 'code', 'success']);
    expect(envelope).toMatchObject({ message: 'successful', code: '200', success: true });
    const { data } = envelope;
    expect(Object.keys(data)).toEqual(['accessId', 'policy', 'signature', 'dir', 'host', 'expire']);
    expect(data.host).toBe(`${stack.ossUrl}/`);
    expect(data.accessId).toBe(stack.emulator.accessKeyId);
    expect(data.dir).toMatch(/^pop_temp\d+\/$/);
    expect(typeof data.expire).toBe('string');
    expect(Number(data.expire) - before).toBeGreaterThanOrEqual(119);
    expect(Number(data.expire) - before).toBeLessThanOrEqual(121);
    expect(JSON.parse(Buffer.from(data.policy, 'base64').toString('utf8'))).toMatchObject({
      conditions: [
        ['content-length-range', 0, 2_097_152],
        ['starts-with', '$key', data.dir],
        { bucket: stack.emulator.bucket },
      ],
    });
  });

  it('gives an authorization the emulator accepts, and one that cannot write outside its dir', async () => {
    const { data } = (await getAuthorization()).envelope;
    await uploadAttachment('ok.txt', 'ok', data);
    const outside = buildForm(
      [
        ['key', 'pop_temp0/elsewhere.txt'],
        ['policy', data.policy],
        ['OSSAccessKeyId', data.accessId],
        ['Signature', data.signature],
      ],
      { content: 'x' },
    );
    expect((await postForm(stack.ossUrl, outside)).status).toBe(403);
  });
});

describe('POST /api/tickets (Add, docs/oss-protocol.md §6)', () => {
  it('creates a ticket whose attachments link to the uploaded objects, with the original names', async () => {
    const first = await uploadAttachment('报告 2024.pdf', 'pdf bytes');
    const second = await uploadAttachment('photo.png', 'png');
    const { status, json } = await postJson<Envelope<Ticket>>('/api/tickets', {
      title: 'Printer on fire',
      content: 'See attachments',
      attachments: `${first},${second}`,
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({ success: true, code: '200', message: 'successful' });
    expect(json.data).toMatchObject({ title: 'Printer on fire', content: 'See attachments', replies: [] });
    expect(new Date(json.data.createdAt).toISOString()).toBe(json.data.createdAt);
    expect(json.data.attachments).toEqual([
      { key: first, name: '报告 2024.pdf', size: 9, url: `${stack.ossUrl}/${first}` },
      { key: second, name: 'photo.png', size: 3, url: `${stack.ossUrl}/${second}` },
    ]);
    const download = await fetch(json.data.attachments[0]?.url ?? '');
    expect(await download.text()).toBe('pdf bytes');
    const fetched = await fetch(`${stack.appUrl}/api/tickets/${json.data.id}`);
    expect(((await fetched.json()) as Envelope<Ticket>).data).toEqual(json.data);
  });

  it('accepts a urlencoded form body and trims spaces around the keys', async () => {
    const key = await uploadAttachment('a.txt', 'a');
    const response = await fetch(`${stack.appUrl}/api/tickets`, {
      method: 'POST',
      body: new URLSearchParams({ content: 'hello', attachments: ` ${key} ` }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Envelope<Ticket>).data.attachments.map((item) => item.key)).toEqual([key]);
  });

  it('creates a ticket without attachments', async () => {
    const { status, json } = await postJson<Envelope<Ticket>>('/api/tickets', { content: 'no files' });
    expect(status).toBe(200);
    expect(json.data.attachments).toEqual([]);
  });

  it('rejects a 4th attachment with 400 ILLEGAL_PARAM', async () => {
    const { data } = (await getAuthorization()).envelope;
    const keys = [];
    for (const name of ['1.txt', '2.txt', '3.txt', '4.txt']) keys.push(await uploadAttachment(name, name, data));
    const { status, json } = await postJson('/api/tickets', { content: 'too many', attachments: keys.join(',') });
    expect(status).toBe(400);
    expect(json).toEqual({ success: false, code: 'ILLEGAL_PARAM', message: 'At most 3 attachments are allowed, got 4.' });
  });

  it('rejects a key that was never uploaded with 400 ILLEGAL_PARAM', async () => {
    const { status, json } = await postJson('/api/tickets', { content: 'x', attachments: 'pop_temp1/ghost.txt' });
    expect(status).toBe(400);
    expect(json).toEqual({
      success: false,
      code: 'ILLEGAL_PARAM',
      message: 'Attachment "pop_temp1/ghost.txt" does not exist in OSS; upload it first.',
    });
  });

  it.each([
    { name: 'empty content', body: { content: '  ' } },
    { name: 'missing content', body: { title: 'only a title' } },
  ])('rejects $name with 400 ILLEGAL_PARAM_EMPTY', async ({ body }) => {
    const { status, json } = await postJson('/api/tickets', body);
    expect(status).toBe(400);
    expect(json).toEqual({ success: false, code: 'ILLEGAL_PARAM_EMPTY', message: 'content is required and must not be empty.' });
  });

  it.each([
    { name: 'a JSON array of attachments', body: { content: 'x', attachments: ['a'] }, message: /not an array/ },
    { name: 'an empty item', body: { content: 'x', attachments: 'a,,b' }, message: /empty item/ },
    { name: 'the same key twice', body: { content: 'x', attachments: 'a,a' }, message: /same key twice/ },
  ])('rejects $name with 400 ILLEGAL_PARAM', async ({ body, message }) => {
    const { status, json } = await postJson<{ code: string; message: string }>('/api/tickets', body);
    expect(status).toBe(400);
    expect(json.code).toBe('ILLEGAL_PARAM');
    expect(json.message).toMatch(message);
  });

  it('rejects a body that is not JSON with 400 ILLEGAL_PARAM', async () => {
    const response = await fetch(`${stack.appUrl}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'ILLEGAL_PARAM' });
  });
});

describe('POST /api/tickets/:id/replies (QuestionReply, docs/oss-protocol.md §6)', () => {
  it('adds a reply with attachments to the ticket', async () => {
    const ticket = (await postJson<Envelope<Ticket>>('/api/tickets', { content: 'first' })).json.data;
    const key = await uploadAttachment('log.txt', 'log');
    const { status, json } = await postJson<Envelope<TicketReply>>(`/api/tickets/${ticket.id}/replies`, {
      content: 'here is the log',
      attachments: key,
    });
    expect(status).toBe(200);
    expect(json.data).toMatchObject({ ticketId: ticket.id, content: 'here is the log', attachments: [{ key, name: 'log.txt', size: 3 }] });
    const fetched = (await (await fetch(`${stack.appUrl}/api/tickets/${ticket.id}`)).json()) as Envelope<Ticket>;
    expect(fetched.data.replies).toEqual([json.data]);
  });

  it('rejects a reply to an unknown ticket with 404 and an empty reply with ILLEGAL_PARAM_EMPTY', async () => {
    expect((await postJson('/api/tickets/999/replies', { content: 'x' })).status).toBe(404);
    const ticket = (await postJson<Envelope<Ticket>>('/api/tickets', { content: 'first' })).json.data;
    const { status, json } = await postJson(`/api/tickets/${ticket.id}/replies`, { content: '' });
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: 'ILLEGAL_PARAM_EMPTY' });
  });

  it('answers 404 for an unknown ticket and unknown API routes', async () => {
    expect((await fetch(`${stack.appUrl}/api/tickets/999`)).status).toBe(404);
    expect((await fetch(`${stack.appUrl}/api/nope`)).status).toBe(404);
  });
});

describe('POST /api/attachments/discard (the onRemoveUploaded cleanup)', () => {
  const storedKeys = async () => (await controlJson<{ objects: Array<{ key: string }> }>(stack.ossUrl, 'objects')).objects.map((object) => object.key);

  it('deletes an uploaded object that no ticket references, and says when there was nothing to delete', async () => {
    const orphan = await uploadAttachment('orphan.txt', 'removed before submit');
    const kept = await uploadAttachment('kept.txt', 'stays');
    const { status, json } = await postJson<Envelope<{ key: string; deleted: boolean }>>('/api/attachments/discard', { key: orphan });
    expect(status).toBe(200);
    expect(json.data).toEqual({ key: orphan, deleted: true });
    expect(await storedKeys()).toEqual([kept]);
    expect((await fetch(`${stack.ossUrl}/${orphan}`)).status).toBe(404);
    const again = await postJson<Envelope<{ key: string; deleted: boolean }>>('/api/attachments/discard', { key: orphan });
    expect(again.json.data).toEqual({ key: orphan, deleted: false });
  });

  it('refuses to delete an object a ticket already references, and requires a key', async () => {
    const attached = await uploadAttachment('attached.txt', 'evidence');
    const ticket = await postJson<Envelope<Ticket>>('/api/tickets', { content: 'with evidence', attachments: attached });
    const refused = await postJson<{ success: boolean; code: string; message: string }>('/api/attachments/discard', { key: attached });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ success: false, code: 'ILLEGAL_PARAM' });
    expect(refused.json.message).toContain(ticket.json.data.id);
    expect(await storedKeys()).toEqual([attached]);
    const empty = await postJson<{ code: string }>('/api/attachments/discard', {});
    expect(empty).toMatchObject({ status: 400, json: { code: 'ILLEGAL_PARAM_EMPTY' } });
  });
});

describe('authorization control and config endpoints', () => {
  it('exposes the emulator URL at /api/config', async () => {
    expect(await (await fetch(`${stack.appUrl}/api/config`)).json()).toEqual({ ossUrl: stack.ossUrl });
  });

  it('switches lifetime and signature version at runtime and counts getOSSTempAuthor calls', async () => {
    const settings = async (): Promise<unknown> => (await fetch(`${stack.appUrl}/api/__control/authorization`)).json();
    expect(await settings()).toEqual({ lifetimeSeconds: 120, signatureVersion: 'v1', maxSize: 2_097_152, requests: 0 });
    const updated = await postJson('/api/__control/authorization', { lifetimeSeconds: 5, signatureVersion: 'v4' });
    expect(updated).toEqual({ status: 200, json: { lifetimeSeconds: 5, signatureVersion: 'v4', maxSize: 2_097_152, requests: 0 } });
    const { data } = (await getAuthorization()).envelope;
    expect(data).toMatchObject({ 'x-oss-signature-version': 'OSS4-HMAC-SHA256' });
    expect(Number(data.expire) - Date.now() / 1000).toBeLessThanOrEqual(5);
    await uploadAttachment('v4.txt', 'v4', data);
    expect(await settings()).toMatchObject({ requests: 1 });
    const invalid = await postJson('/api/__control/authorization', { signatureVersion: 'v2' });
    expect(invalid.status).toBe(400);
  });

  it('passes non-/api requests to next() when mounted as middleware', async () => {
    const api = createTicketApi({ ossUrl: stack.ossUrl, accessKeyId: 'a', accessKeySecret: 'b', bucket: 'work-order' });
    const server: Server = createServer((req, res) =>
      api.handle(req, res, () => {
        res.writeHead(418).end('next');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const response = await fetch(`${url}/index.html`);
      expect([response.status, await response.text()]).toEqual([418, 'next']);
      expect((await fetch(`${url}/api/config`)).status).toBe(200);
    } finally {
      await closeHttpServer(server);
    }
  });
});
