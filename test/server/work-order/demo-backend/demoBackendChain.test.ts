import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../../../server/local-stack/localStack';
import type { DemoReply, DemoTicket } from '../../../../server/work-order/demo-backend/demoTicketView';

// The whole chain of `npm start` over loopback, with Node playing the browser: demo backend (our
// published handlers) → pop-core / @alicloud/workorder20210610 → the Work Order API emulator → the
// signer / presigner → uploads to the OSS emulator → add/QuestionReply or CreateTicket/ReplyTicket →
// the ticket read back.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ vite: false, quiet: true });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(async () => {
  await fetch(`${stack.appUrl}/api/__control/reset`, { method: 'POST' });
  await fetch(`${stack.ossUrl}/__control/reset`, { method: 'POST' });
});

interface Envelope<T> {
  success: boolean;
  code: string;
  message: string;
  data: T;
  requestId?: string;
}

interface TestFile {
  name: string;
  bytes: Buffer;
}

const file = (name: string, size: number): TestFile => ({ name, bytes: randomBytes(size) });
const md5 = (bytes: Buffer | ArrayBuffer): string =>
  createHash('md5')
    .update(Buffer.from(bytes as ArrayBuffer))
    .digest('hex');

async function api<T>(path: string, body?: unknown): Promise<{ status: number; headers: Headers; json: T }> {
  const response = await fetch(`${stack.appUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as T };
}

/** What the component does in POST mode: one getOSSTempAuthor, then a PostObject per file under its dir. */
async function uploadWithPostPolicy(files: readonly TestFile[]): Promise<string[]> {
  const { json } =
    await api<Envelope<{ accessId: string; policy: string; signature: string; dir: string; host: string }>>('/api/getOSSTempAuthor');
  const keys: string[] = [];
  for (const [index, { name, bytes }] of files.entries()) {
    const key = `${json.data.dir}${index}${randomBytes(3).toString('hex')}/${name}`;
    const form = new FormData();
    form.append('key', key);
    form.append('policy', json.data.policy);
    form.append('OSSAccessKeyId', json.data.accessId);
    form.append('Signature', json.data.signature);
    form.append('success_action_status', '200');
    form.append('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const response = await fetch(json.data.host, { method: 'POST', body: form });
    expect(response.status, await response.clone().text()).toBe(200);
    keys.push(key);
  }
  return keys;
}

/** What the component does in PUT mode: per file, POST /api/attachment-upload-url, then PUT with exactly ContentType. */
async function uploadWithPresignedPut(files: readonly TestFile[]): Promise<string[]> {
  const keys: string[] = [];
  for (const { name, bytes } of files) {
    const { status, headers, json } = await api<{ ObjectKey: string; PutSignedUrl: string; ContentType: string }>(
      '/api/attachment-upload-url',
      { fileName: name },
    );
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    const response = await fetch(json.PutSignedUrl, {
      method: 'PUT',
      headers: { 'content-type': json.ContentType },
      body: new Uint8Array(bytes),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${md5(bytes).toUpperCase()}"`);
    keys.push(json.ObjectKey);
  }
  return keys;
}

async function expectDownloads(attachments: DemoTicket['attachments'], files: readonly TestFile[]): Promise<void> {
  expect(attachments.map((attachment) => attachment.name)).toEqual(files.map((each) => each.name));
  for (const [index, attachment] of attachments.entries()) {
    expect(attachment.url).toMatch(/[?&]Signature=/);
    const response = await fetch(attachment.url as string);
    expect(response.status).toBe(200);
    expect(md5(await response.arrayBuffer())).toBe(md5((files[index] as TestFile).bytes));
  }
}

describe('the local stack', () => {
  it('runs the Work Order API emulator and the OSS emulator on their own loopback ports, the backend calling the emulator', async () => {
    expect(stack.workOrder).toBeDefined();
    expect(stack.workOrderUrl).toBe(stack.workOrder?.url);
    expect(new Set([stack.appUrl, stack.ossUrl, stack.workOrderUrl]).size).toBe(3);
    for (const url of [stack.appUrl, stack.ossUrl, stack.workOrderUrl]) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.workOrderAccessKeyId).toMatch(/^LTAI5tDemo[0-9a-f]{16}$/);
    const config = await api<Record<string, unknown>>('/api/config');
    expect(config.json).toEqual({ ossUrl: stack.ossUrl, apiVersions: ['2016-08-30', '2021-06-10'] });
  });

  it("GET /api/getOSSTempAuthor answers the emulator's envelope through pop-core: no-store, a Date, a fresh pop_temp dir for the OSS emulator, no secret", async () => {
    const first = await api<Envelope<Record<string, string>>>('/api/getOSSTempAuthor');
    const second = await api<Envelope<Record<string, string>>>('/api/getOSSTempAuthor');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(Number.isNaN(Date.parse(first.headers.get('date') ?? ''))).toBe(false);
    expect(first.json).toMatchObject({
      success: true,
      code: '200',
      data: { host: `${stack.ossUrl}/`, accessId: stack.emulator.accessKeyId },
    });
    expect(first.json.data.dir).toMatch(/^pop_temp\d+\/$/);
    expect(second.json.data.dir).not.toBe(first.json.data.dir);
    const policy = JSON.parse(Buffer.from(first.json.data.policy as string, 'base64').toString()) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(120_000);
    expect(policy.conditions).toContainEqual(['content-length-range', 0, 2 * 1024 * 1024]);
    expect(JSON.stringify(first.json)).not.toContain(stack.emulator.accessKeySecret);
  });
});

describe('the chain, 2016-08-30: POST policy, add and QuestionReply through pop-core', () => {
  it('creates a ticket with 3 attachments, replies with 1, and reads both back with downloads identical byte for byte', async () => {
    const files = [file('报告 2026.pdf', 300_000), file('server.log', 20_000), file('screen.png', 1_500_000)];
    const keys = await uploadWithPostPolicy(files);
    const created = await api<Envelope<DemoTicket>>('/api/tickets', {
      title: 'Legacy chain',
      content: 'Three files',
      attachments: keys.join(','),
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const ticket = created.json.data;
    expect(ticket).toMatchObject({ apiVersion: '2016-08-30', title: 'Legacy chain', content: 'Three files' });
    expect(ticket.attachments.map((attachment) => ({ key: attachment.key, size: attachment.size }))).toEqual(
      keys.map((key, index) => ({ key, size: (files[index] as TestFile).bytes.length })),
    );
    await expectDownloads(ticket.attachments, files);
    // What the Work Order API stored (the read-back the demo uses, as the API has no read action).
    expect(stack.workOrder?.emulator.legacy.getTicket(ticket.id)?.attachments).toEqual(keys);

    const replyFile = [file('more.txt', 5_000)];
    const [replyKey] = await uploadWithPostPolicy(replyFile);
    const replied = await api<Envelope<DemoReply>>(`/api/tickets/${ticket.id}/replies`, { content: 'One more', attachments: replyKey });
    expect(replied.status, JSON.stringify(replied.json)).toBe(200);
    expect(replied.json.data.content).toBe('One more');
    await expectDownloads(replied.json.data.attachments, replyFile);
    const readBack = await api<Envelope<DemoTicket>>(`/api/tickets/${ticket.id}`);
    expect(readBack.json.data.replies.map((reply) => reply.attachments.map((attachment) => attachment.key))).toEqual([[replyKey]]);
  });

  it("passes the API's refusals on: a key never uploaded, a fourth attachment, a ticket the backend does not know", async () => {
    const { json } = await api<Envelope<{ dir: string }>>('/api/getOSSTempAuthor');
    const ghost = await api<Envelope<unknown>>('/api/tickets', { content: 'x', attachments: `${json.data.dir}ghost.txt` });
    expect(ghost.status).toBe(400);
    expect(ghost.json).toMatchObject({ success: false, code: 'ILLEGAL_PARAM' });
    expect(ghost.json.message).toContain('does not exist');
    const keys = await uploadWithPostPolicy([file('a', 1), file('b', 1), file('c', 1), file('d', 1)]);
    const four = await api<Envelope<unknown>>('/api/tickets', { content: 'x', attachments: keys.join(',') });
    expect(four.status).toBe(400);
    expect(four.json.message).toContain('at most 3');
    const empty = await api<Envelope<unknown>>('/api/tickets', { content: ' ' });
    expect(empty).toMatchObject({ status: 400, json: { code: 'ILLEGAL_PARAM_EMPTY' } });
    expect((await api<Envelope<unknown>>('/api/tickets/999999/replies', { content: 'x' })).status).toBe(404);
    expect((await api<Envelope<unknown>>('/api/tickets/999999')).status).toBe(404);
    expect((await api<Envelope<unknown>>('/api/nope')).status).toBe(404);
  });

  it("turns the emulator's faults into the handler's errors: SYSTEM_BUSY and ILLEGAL_AUTH 502, a skewed gateway clock 502 InvalidTimeStamp.Expired", async () => {
    const fault = (patch: Record<string, number>) => api('/api/__control/work-order-faults', patch);
    await fault({ systemBusy: 1 });
    const busy = await api<{ error: { code: string; requestId: string | null } }>('/api/getOSSTempAuthor');
    expect(busy.status).toBe(502);
    expect(busy.json.error.code).toBe('SYSTEM_BUSY');
    expect(busy.json.error.requestId).toMatch(/^[0-9A-F-]{36}$/);
    await fault({ illegalAuth: 1 });
    expect((await api<{ error: { code: string } }>('/api/getOSSTempAuthor')).json.error.code).toBe('ILLEGAL_AUTH');
    await fault({ clockOffsetMs: 20 * 60_000 });
    const skewed = await api<{ error: { code: string } }>('/api/getOSSTempAuthor');
    expect(skewed).toMatchObject({ status: 502, json: { error: { code: 'InvalidTimeStamp.Expired' } } });
    const skewed2021 = await api<{ code: string; upstreamCode: string }>('/api/attachment-upload-url', { fileName: 'a.png' });
    expect(skewed2021).toMatchObject({ status: 502, json: { code: 'upstream-error', upstreamCode: 'InvalidTimeStamp.Expired' } });
    await fault({ clockOffsetMs: 0 });
    expect((await api('/api/getOSSTempAuthor')).status).toBe(200);
    expect((await api('/api/__control/work-order-faults', { slow: 1 })).status).toBe(400);
  });

  it('discards an orphan upload in the OSS emulator, and refuses once a ticket references it', async () => {
    const [orphan, attached] = await uploadWithPostPolicy([file('orphan.txt', 10), file('kept.txt', 10)]);
    const discarded = await api<Envelope<{ key: string; deleted: boolean }>>('/api/attachments/discard', { key: orphan });
    expect(discarded.json.data).toEqual({ key: orphan, deleted: true });
    expect((await fetch(`${stack.ossUrl}/${encodeURI(orphan as string)}`)).status).toBe(404);
    await api('/api/tickets', { content: 'with evidence', attachments: attached });
    const refused = await api<Envelope<unknown>>('/api/attachments/discard', { key: attached });
    expect(refused).toMatchObject({ status: 400, json: { code: 'ILLEGAL_PARAM' } });
    expect((await fetch(`${stack.ossUrl}/${encodeURI(attached as string)}`)).status).toBe(200);
  });
});

describe('the chain, 2021-06-10: presigned PUT, CreateTicket and ReplyTicket through @alicloud/workorder20210610', () => {
  it('creates a ticket with 3 attachments, replies with 1, and reads both back through GetTicket and ListTicketNotes', async () => {
    const files = [file('trace.har', 400_000), file('截图.png', 1_200_000), file('notes.txt', 900)];
    const keys = await uploadWithPresignedPut(files);
    const created = await api<Envelope<DemoTicket>>('/api/tickets', {
      apiVersion: '2021-06-10',
      title: 'PUT chain',
      content: 'Three files',
      attachments: keys.join(','),
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const ticket = created.json.data;
    expect(ticket).toMatchObject({ apiVersion: '2021-06-10', title: 'PUT chain', content: 'Three files', replies: [] });
    await expectDownloads(ticket.attachments, files);

    const replyFile = [file('later.log', 3_000)];
    const replyKeys = await uploadWithPresignedPut(replyFile);
    const replied = await api<Envelope<DemoReply>>(`/api/tickets/${ticket.id}/replies`, {
      content: 'One more',
      attachments: replyKeys.join(','),
    });
    expect(replied.status, JSON.stringify(replied.json)).toBe(200);
    await expectDownloads(replied.json.data.attachments, replyFile);
    const readBack = await api<Envelope<DemoTicket>>(`/api/tickets/${ticket.id}`);
    expect(readBack.json.data.replies.map((reply) => reply.content)).toEqual(['One more']);
  });

  it('refuses a key that was issued but never uploaded, and a file name that is a path', async () => {
    const { json } = await api<{ ObjectKey: string }>('/api/attachment-upload-url', { fileName: 'never.bin' });
    const refused = await api<Envelope<unknown>>('/api/tickets', { apiVersion: '2021-06-10', content: 'x', attachments: json.ObjectKey });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain('has not been uploaded');
    const path = await api<{ code: string }>('/api/attachment-upload-url', { fileName: '../etc/passwd' });
    expect(path).toMatchObject({ status: 400, json: { code: 'invalid-file-name' } });
  });
});
