import { existsSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { closeHttpServer } from './closeHttpServer.js';
import { listenOnLoopback } from './listenOnLoopback.js';
import { startOssEmulator, type OssEmulator } from '../oss-emulator/ossEmulator.js';
import type { OssSignatureVersion } from '../signer/ossPostPolicySigner.js';
import { createTicketApi, type TicketApi } from '../work-order/demo-ticket-api/createTicketApi.js';

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** App (Vite or API-only) port on 127.0.0.1; 0 = a free port; a taken port falls back. Default: 0. */
  port?: number;
  /** OSS emulator port; 0 = a free port; a taken port falls back to a free one. Default: 0. */
  ossPort?: number;
  /** Serve the page through the Vite dev server (repo root, index.html) with the API mounted. Default: true. */
  vite?: boolean;
  /** getOSSTempAuthor lifetime in seconds. Default: 120. */
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

export interface LocalStack {
  /** `http://127.0.0.1:<port>` of the page and `/api`. */
  appUrl: string;
  /** `http://127.0.0.1:<port>` of the OSS emulator. */
  ossUrl: string;
  emulator: OssEmulator;
  api: TicketApi;
  close(): Promise<void>;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function reportFallback(what: string, requested: number | undefined, actual: number, quiet: boolean | undefined): void {
  if (quiet === true || requested === undefined || requested === 0 || requested === actual) return;
  console.warn(`  ${what} port ${requested} is taken; using ${actual} instead.`);
}

/** Mounts the ticket API in front of Vite's own middlewares, so `/api/*` never reaches Vite. */
function ticketApiPlugin(api: TicketApi): Plugin {
  return {
    name: 'ticket-attachment-uploader:ticket-api',
    configureServer(server) {
      server.middlewares.use((req, res, next) => api.handle(req, res, next));
    },
  };
}

/**
 * Starts the whole local stack of issue 3: the OSS emulator, the ticket API, and (by default)
 * the Vite dev server serving the demo page with the API mounted.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const emulator = await startOssEmulator({
    port: options.ossPort ?? 0,
    fallbackPort: true,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  reportFallback('OSS emulator', options.ossPort, emulator.port, options.quiet);
  const api = createTicketApi({
    ossUrl: emulator.url,
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    bucket: emulator.bucket,
    region: emulator.region,
    ...(options.lifetimeSeconds === undefined ? {} : { lifetimeSeconds: options.lifetimeSeconds }),
    ...(options.signatureVersion === undefined ? {} : { signatureVersion: options.signatureVersion }),
    ...(options.maxSize === undefined ? {} : { maxSize: options.maxSize }),
  });

  const stackOn = (port: number, close: () => Promise<void>): LocalStack => ({
    appUrl: `http://127.0.0.1:${port}`,
    ossUrl: emulator.url,
    emulator,
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
        await emulator.close();
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
      plugins: [ticketApiPlugin(api)],
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
    // In parallel: Vite may wait for a dependency scan, which must not delay the emulator.
    return stackOn(port, async () => {
      await Promise.all([vite.close(), closeHttpServer(httpServer), emulator.close()]);
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
