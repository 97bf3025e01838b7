/**
 * README "The backend's part", recipes (a) and (b), kept runnable: the same code as the README's
 * blocks (the env reads and `listen` turned into parameters), run against the local Work Order API
 * and OSS emulators on loopback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildGetOssTempAuthorEnvelope,
  createAttachmentUploadUrlHandler,
  createGetOssTempAuthorHandler,
  createOssTempAuthorization,
  createWorkOrder2021Client,
  createWorkOrderClient,
  toNodeHandler,
  WorkOrderApiError,
} from '../../../server/index';
import { startWorkOrderEmulator, type RunningWorkOrderEmulator } from '../../../server/local-stack/startWorkOrderEmulator';
import { startOssEmulator, type OssEmulator } from '../../../server/oss-emulator/ossEmulator';
import { closeHttpServer } from '../../../server/local-stack/closeHttpServer';

const ACCESS_KEY = { accessKeyId: 'LTAI5tRecipeTest', accessKeySecret: 'recipe-test-secret' };
const ALI_UID = '1234567890123456';

let oss: OssEmulator;
let workOrder: RunningWorkOrderEmulator;
beforeAll(async () => {
  oss = await startOssEmulator();
  workOrder = await startWorkOrderEmulator({
    credentials: [ACCESS_KEY],
    oss: { url: oss.url, bucket: oss.bucket, region: oss.region, accessKeyId: oss.accessKeyId, accessKeySecret: oss.accessKeySecret },
  });
});
afterAll(async () => {
  await workOrder.close();
  await oss.close();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Uploads one file the way the browser does with a getOSSTempAuthor answer; returns its key. */
async function upload(
  authorization: { accessId: string; policy: string; signature: string; dir: string; host: string },
  name: string,
): Promise<string> {
  const key = `${authorization.dir}recipe/${name}`;
  const form = new FormData();
  form.append('key', key);
  form.append('policy', authorization.policy);
  form.append('OSSAccessKeyId', authorization.accessId);
  form.append('Signature', authorization.signature);
  form.append('success_action_status', '200');
  form.append('file', new Blob(['recipe bytes']), name);
  const response = await fetch(authorization.host, { method: 'POST', body: form });
  expect(response.status, await response.clone().text()).toBe(200);
  return key;
}

// --- Recipe (a), Express ---------------------------------------------------------------------------
function createExpressRecipe(env: { endpoint: string; accessKeyId: string; accessKeySecret: string; aliUid: string }) {
  const { accessKeyId, accessKeySecret, aliUid } = env;
  const workOrderClient = createWorkOrderClient({ endpoint: env.endpoint, accessKeyId, accessKeySecret });

  const app = express();
  app.get('/api/getOSSTempAuthor', toNodeHandler(createGetOssTempAuthorHandler({ client: workOrderClient })));
  app.post('/api/tickets', express.json(), async (req, res) => {
    const { content, attachments } = req.body as { content: string; attachments: string };
    try {
      const { data } = await workOrderClient.add({ content, aliUid, attachments });
      res.json({ ticketId: data });
    } catch (error) {
      if (!(error instanceof WorkOrderApiError)) throw error;
      res.status(error.kind === 'business' ? 400 : 502).json({ code: error.code, requestId: error.requestId });
    }
  });
  return app;
}

// --- Recipe (a), Next.js route handlers ----------------------------------------------------------
function createNextRecipe(env: { endpoint: string; accessKeyId: string; accessKeySecret: string }) {
  const credentials = { accessKeyId: env.accessKeyId, accessKeySecret: env.accessKeySecret };
  const endpoint = new URL(env.endpoint);
  const GET = createGetOssTempAuthorHandler({ client: createWorkOrderClient({ ...credentials, endpoint: env.endpoint }) });
  // Pointed at the emulator: host and protocol instead of the SDK's default https://workorder.aliyuncs.com.
  const POST = createAttachmentUploadUrlHandler({
    client: createWorkOrder2021Client({ ...credentials, endpoint: endpoint.host, protocol: 'http' }),
  });
  return { GET, POST };
}

// --- Recipe (b), your own bucket -----------------------------------------------------------------
function createOwnBucketRecipe(env: { accessKeyId: string; accessKeySecret: string; host: string }) {
  const { accessKeyId, accessKeySecret } = env;
  return createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/api/getOSSTempAuthor') {
      res.writeHead(404).end();
      return;
    }
    const data = createOssTempAuthorization({
      accessKeyId,
      accessKeySecret,
      host: env.host,
      lifetimeSeconds: 120,
      maxSize: 2 * 1024 * 1024,
    });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(buildGetOssTempAuthorEnvelope(data)));
  });
}

describe('README recipe (a): Work Order customers', () => {
  it('Express: getOSSTempAuthor through pop-core, an upload with it, then add with the key, on a real Express app', async () => {
    const app = createExpressRecipe({ endpoint: workOrder.url, ...ACCESS_KEY, aliUid: ALI_UID });
    const server = createServer(app);
    const url = await listen(server);
    try {
      const answer = await fetch(`${url}/api/getOSSTempAuthor`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      const { data } = (await answer.json()) as {
        data: { accessId: string; policy: string; signature: string; dir: string; host: string };
      };
      const key = await upload(data, 'evidence.txt');
      const created = await fetch(`${url}/api/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'Broken', attachments: key }),
      });
      const { ticketId } = (await created.json()) as { ticketId: string };
      expect(workOrder.emulator.legacy.getTicket(ticketId)).toMatchObject({ content: 'Broken', aliUid: ALI_UID, attachments: [key] });
      const refused = await fetch(`${url}/api/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'x', attachments: `${data.dir}ghost` }),
      });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ code: 'ILLEGAL_PARAM' });
    } finally {
      await closeHttpServer(server);
    }
  });

  it("Express: a wrong AccessKey secret is the gateway's SignatureDoesNotMatch, answered 502 without the secret", async () => {
    const app = createExpressRecipe({
      endpoint: workOrder.url,
      accessKeyId: ACCESS_KEY.accessKeyId,
      accessKeySecret: 'not-the-secret',
      aliUid: ALI_UID,
    });
    const server = createServer(app);
    const url = await listen(server);
    try {
      const answer = await fetch(`${url}/api/getOSSTempAuthor`);
      expect(answer.status).toBe(502);
      const text = await answer.text();
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'SignatureDoesNotMatch' } });
      expect(text).not.toContain('not-the-secret');
    } finally {
      await closeHttpServer(server);
    }
  });

  it('Next.js: the exported GET and POST answer a Request directly', async () => {
    const { GET, POST } = createNextRecipe({ endpoint: workOrder.url, ...ACCESS_KEY });
    const authorization = await GET(new Request('http://localhost:3000/api/getOSSTempAuthor'));
    expect(authorization.status).toBe(200);
    expect(((await authorization.json()) as { data: { host: string } }).data.host).toBe(`${oss.url}/`);
    const uploadUrl = await POST(
      new Request('http://localhost:3000/api/attachment-upload-url', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fileName: 'a.png' }),
      }),
    );
    expect(uploadUrl.status).toBe(200);
    const { PutSignedUrl, ContentType } = (await uploadUrl.json()) as { PutSignedUrl: string; ContentType: string };
    const put = await fetch(PutSignedUrl, { method: 'PUT', headers: { 'content-type': ContentType }, body: 'png bytes' });
    expect(put.status).toBe(200);
  });
});

describe('README recipe (b): your own bucket', () => {
  it('signs a policy the OSS emulator accepts for an upload', async () => {
    const server = createOwnBucketRecipe({ accessKeyId: oss.accessKeyId, accessKeySecret: oss.accessKeySecret, host: `${oss.url}/` });
    const url = await listen(server);
    try {
      const answer = await fetch(`${url}/api/getOSSTempAuthor`);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      const { data } = (await answer.json()) as {
        data: { accessId: string; policy: string; signature: string; dir: string; host: string };
      };
      await upload(data, 'own-bucket.txt');
      expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
    } finally {
      await closeHttpServer(server);
    }
  });
});
