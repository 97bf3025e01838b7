import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOssTempAuthorization } from '../../../../server/index.js';
import { createLegacyWorkOrderEmulator, type LegacyWorkOrderEmulator } from '../../../../server/work-order/legacyWorkOrderEmulator.js';
import { toNodeHandler, type NodeRequestHandler } from '../../../../server/work-order/toNodeHandler.js';

export const ACCESS_KEY_ID = 'LTAI5tWorkOrderTestKey';
export const ACCESS_KEY_SECRET = 'work-order-test-secret-7f3a9c';
export const STS_ACCESS_KEY_ID = 'STS.NUgYrLnoC6TestKey';
export const STS_ACCESS_KEY_SECRET = 'sts-test-secret-2b81e4';
export const STS_SECURITY_TOKEN = 'CAIS-test-security-token==';
/** The attachment bucket the authorizations point at; nothing listens there in these tests. */
export const OSS_HOST = 'http://127.0.0.1:9/';
export const OSS_ACCESS_KEY_SECRET = 'oss-test-secret-c0ffee';

/** What reached the emulator, before it looked at it. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

// Captured before any test fakes Date: the emulator keeps the true time while a test skews the client's.
const RealDate = Date;

export async function listenOnLoopback(handler: NodeRequestHandler): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // pop-core keeps its connections alive: close them, or close() waits for their idle timeout.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface WorkOrderEmulatorFixture {
  emulator: LegacyWorkOrderEmulator;
  url: string;
  /** Object keys the fake attachment bucket holds. */
  objects: Set<string>;
  requests: RecordedRequest[];
  /** The `x-acs-request-id` of every answer, in order. */
  requestIds: string[];
  close: () => Promise<void>;
}

/** The emulator on 127.0.0.1, signing authorizations with the project's signer, over a fake bucket. */
export async function startWorkOrderEmulator(): Promise<WorkOrderEmulatorFixture> {
  const objects = new Set<string>();
  const requests: RecordedRequest[] = [];
  const requestIds: string[] = [];
  const emulator = createLegacyWorkOrderEmulator({
    credentials: [
      { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
      { accessKeyId: STS_ACCESS_KEY_ID, accessKeySecret: STS_ACCESS_KEY_SECRET, securityToken: STS_SECURITY_TOKEN },
    ],
    issueAuthorization: (dir) =>
      createOssTempAuthorization({
        accessKeyId: 'oss-test-key',
        accessKeySecret: OSS_ACCESS_KEY_SECRET,
        host: OSS_HOST,
        dir,
        lifetimeSeconds: 120,
        maxSize: 2 * 1024 * 1024,
      }),
    objectExists: (key) => objects.has(key),
    now: () => new RealDate(),
  });
  const listening = await listenOnLoopback(
    toNodeHandler(async (request) => {
      requests.push({ method: request.method, url: new URL(request.url), headers: request.headers, body: await request.clone().text() });
      const response = await emulator.handle(request);
      requestIds.push(response.headers.get('x-acs-request-id') ?? '');
      return response;
    }),
  );
  return { emulator, url: listening.url, objects, requests, requestIds, close: listening.close };
}
