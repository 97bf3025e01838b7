import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { AuthorizationSettings, DEFAULT_SIGNING_SETTINGS } from './authorizationSettings.js';
import { closeHttpServer } from './closeHttpServer.js';
import { listenOnLoopback } from './listenOnLoopback.js';
import { createLocalControlApi } from './localControlApi.js';
import { startWorkOrderEmulator, type RunningWorkOrderEmulator } from './startWorkOrderEmulator.js';
import { startOssEmulator, type OssEmulator } from '../oss-emulator/ossEmulator.js';
import type { OssSignatureVersion } from '../signer/ossPostPolicySigner.js';
import { createDemoBackend, type DemoBackend, type WorkOrderConnection } from '../work-order/demo-backend/createDemoBackend.js';
import { toNodeHandler } from '../work-order/toNodeHandler.js';

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** App (Vite or API-only) port on 127.0.0.1; 0 = a free port; a taken port falls back. Default: 0. */
  port?: number;
  /** OSS emulator port; 0 = a free port; a taken port falls back to a free one. Default: 0. */
  ossPort?: number;
  /** Work Order API emulator port; 0 = a free port; a taken port falls back to a free one. Default: 0. */
  workOrderPort?: number;
  /**
   * The Work Order API the demo backend calls. Default: the local emulator, started here with an
   * AccessKey pair generated at start. Set it (from WORK_ORDER_* environment variables) to point the
   * same demo at another endpoint, e.g. the real service; the emulator is then not started.
   */
  workOrder?: WorkOrderConnection;
  /** Serve the page through the Vite dev server (repo root, index.html) with the API mounted. Default: true. */
  vite?: boolean;
  /** getOSSTempAuthor lifetime in seconds (also the presigned URLs'). Default: 120. */
  lifetimeSeconds?: number;
  /** Default: `'v1'`. */
  signatureVersion?: OssSignatureVersion;
  /** Largest attachment in bytes. Default: 2_097_152. */
  maxSize?: number;
  /** Emulator data folder. Default: a fresh temporary folder. */
  dataDir?: string;
  /** Silence Vite's logging and the port-fallback notices. Default: false. */
  quiet?: boolean;
}

/** The app's `/api/*`: the demo backend plus the local stack's own `/api/__control/*`, as connect-style middleware. */
export interface LocalStackApi {
  /** Handles `/api/*`; calls `next()` for anything else (404 when there is no `next`). */
  handle(req: IncomingMessage, res: ServerResponse, next?: () => void): void;
}

export interface LocalStack {
  /** `http://127.0.0.1:<port>` of the page and `/api`. */
  appUrl: string;
  /** `http://127.0.0.1:<port>` of the OSS emulator. */
  ossUrl: string;
  /** The Work Order API endpoint the demo backend calls (the emulator's URL unless `workOrder` was given). */
  workOrderUrl: string;
  emulator: OssEmulator;
  /** The local Work Order API (both versions); undefined when the backend calls another endpoint. */
  workOrder: RunningWorkOrderEmulator | undefined;
  /** The demo backend's AccessKeyId (never its secret), to say which key is in use. */
  workOrderAccessKeyId: string;
  backend: DemoBackend;
  api: LocalStackApi;
  close(): Promise<void>;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function reportFallback(what: string, requested: number | undefined, actual: number, quiet: boolean | undefined): void {
  if (quiet === true || requested === undefined || requested === 0 || requested === actual) return;
  console.warn(`  ${what} port ${requested} is taken; using ${actual} instead.`);
}

/** Mounts the API in front of Vite's own middlewares, so `/api/*` never reaches Vite. */
function apiPlugin(api: LocalStackApi): Plugin {
  return {
    name: 'ticket-attachment-uploader:demo-backend',
    configureServer(server) {
      server.middlewares.use((req, res, next) => api.handle(req, res, next));
    },
  };
}

/** A demo AccessKey pair for the local Work Order API, fresh at every start (the secret stays in this process). */
function generateDemoAccessKey(): { accessKeyId: string; accessKeySecret: string } {
  return { accessKeyId: `LTAI5tDemo${randomBytes(8).toString('hex')}`, accessKeySecret: randomBytes(24).toString('base64url') };
}

/**
 * Starts the whole local chain on 127.0.0.1: the OSS emulator, the Work Order API emulator (both
 * versions, signing for that OSS emulator), the demo backend calling it through the published
 * clients on Alibaba's SDKs, and (by default) the Vite dev server serving the demo page with the
 * API mounted.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const emulator = await startOssEmulator({
    port: options.ossPort ?? 0,
    fallbackPort: true,
    ...(options.maxSize === undefined ? {} : { maxPutSize: options.maxSize }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  reportFallback('OSS emulator', options.ossPort, emulator.port, options.quiet);
  const settings = new AuthorizationSettings({
    lifetimeSeconds: options.lifetimeSeconds ?? DEFAULT_SIGNING_SETTINGS.lifetimeSeconds,
    signatureVersion: options.signatureVersion ?? DEFAULT_SIGNING_SETTINGS.signatureVersion,
    maxSize: options.maxSize ?? DEFAULT_SIGNING_SETTINGS.maxSize,
  });

  let workOrder: RunningWorkOrderEmulator | undefined;
  let connection: WorkOrderConnection;
  try {
    if (options.workOrder === undefined) {
      const key = generateDemoAccessKey();
      workOrder = await startWorkOrderEmulator({
        port: options.workOrderPort ?? 0,
        fallbackPort: true,
        credentials: [key],
        oss: {
          url: emulator.url,
          bucket: emulator.bucket,
          region: emulator.region,
          accessKeyId: emulator.accessKeyId,
          accessKeySecret: emulator.accessKeySecret,
          ...(emulator.securityToken === undefined ? {} : { securityToken: emulator.securityToken }),
        },
        settings,
      });
      reportFallback('Work Order API emulator', options.workOrderPort, workOrder.port, options.quiet);
      connection = { endpoint: workOrder.url, ...key };
    } else {
      connection = options.workOrder;
    }
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const running = workOrder;
  const backend = createDemoBackend({
    workOrder: connection,
    config: { ossUrl: emulator.url },
    ...(running === undefined
      ? {}
      : {
          legacyReadBack: {
            getTicket: (id: string) => running.emulator.legacy.getTicket(id),
            describeAttachment: (key: string) => running.bucket.describe(key),
          },
          deleteAttachment: (key: string) => running.bucket.remove(key),
        }),
    onError: (error) => {
      // The code and RequestId only: an upstream message may name the endpoint, never a secret.
      if (options.quiet !== true && error instanceof Error) console.warn(`  Work Order API call failed: ${error.name}: ${error.message}`);
    },
  });
  const control = createLocalControlApi({ settings, backend, workOrder: running });
  const apiHandler = toNodeHandler((request) => {
    const { pathname } = new URL(request.url);
    return pathname.startsWith('/api/__control/') ? control(request) : backend.handle(request);
  });
  const api: LocalStackApi = {
    handle(req, res, next) {
      const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (pathname === '/api' || pathname.startsWith('/api/')) {
        apiHandler(req, res);
        return;
      }
      if (next !== undefined) next();
      else {
        res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ success: false, code: 'NOT_FOUND', message: `Not found: ${pathname}` }));
      }
    },
  };
  const closeEmulators = async (): Promise<void> => {
    await Promise.all([running?.close(), emulator.close()]);
  };

  const stackOn = (port: number, close: () => Promise<void>): LocalStack => ({
    appUrl: `http://127.0.0.1:${port}`,
    ossUrl: emulator.url,
    workOrderUrl: connection.endpoint,
    emulator,
    workOrder: running,
    workOrderAccessKeyId: connection.accessKeyId,
    backend,
    api,
    close,
  });

  try {
    if (options.vite === false) {
      const server = createHttpServer((req, res) => api.handle(req, res));
      const port = await listenOnLoopback(server, options.port ?? 0, { fallback: true });
      reportFallback('App', options.port, port, options.quiet);
      return stackOn(port, async () => {
        await closeHttpServer(server);
        await closeEmulators();
      });
    }

    // Loaded lazily so the API-only stack (tests, CI) never pays for Vite.
    const { createServer } = await import('vite');
    const configFile = path.join(repoRoot, 'vite.config.ts');
    // Middleware mode on our own server: we pick the port (with fallback), bind 127.0.0.1 only and
    // own shutdown; a listening Vite would install a SIGTERM handler that exits the process itself.
    const httpServer = createHttpServer();
    const vite = await createServer({
      root: repoRoot,
      configFile: existsSync(configFile) ? configFile : false,
      clearScreen: false,
      logLevel: options.quiet === true ? 'silent' : 'info',
      appType: 'spa',
      server: { middlewareMode: true, ws: { server: httpServer } },
      plugins: [apiPlugin(api)],
    });
    httpServer.on('request', vite.middlewares);
    let port: number;
    try {
      port = await listenOnLoopback(httpServer, options.port ?? 0, { fallback: true });
    } catch (error) {
      await vite.close();
      throw error;
    }
    reportFallback('App', options.port, port, options.quiet);
    // In parallel: Vite may wait for a dependency scan, which must not delay the emulators.
    return stackOn(port, async () => {
      await Promise.all([vite.close(), closeHttpServer(httpServer), closeEmulators()]);
    });
  } catch (error) {
    await closeEmulators();
    throw error;
  }
}
