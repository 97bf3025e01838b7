/**
 * The bench's environment: the local stack (OSS emulator + ticket API, API-only), the bench pages
 * built by Vite in production mode into a temporary folder, a static server for them that mounts
 * the ticket API under /api, and Chromium. Everything listens on 127.0.0.1 only.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { build } from 'vite';
import { closeHttpServer } from '../../server/local-stack/closeHttpServer';
import { startLocalStack, type LocalStack } from '../../server/local-stack/localStack';
import { launchBrowser, type BrowserSession } from '../../test/browser/support/launchBrowser';
import { repoRoot } from '../bundleSize';

export interface OssRequestLogEntry {
  status: number;
  code?: string;
  key?: string;
  receivedAt: number;
  firstFileByteAt?: number;
  finishedAt: number;
  bytesReceived: number;
  policyExpiredAtReceipt: boolean;
  fault?: string;
}

export interface OssFaultsPatch {
  bandwidthBytesPerSecond?: number;
  latencyMs?: number;
  failureRate?: number;
  dropRate?: number;
  forcePolicyExpired?: number;
  clockOffsetMs?: number;
  seed?: number;
}

export interface BenchEnvironment {
  stack: LocalStack;
  /** `http://127.0.0.1:<port>` of the bench pages (and `/api`). */
  pagesUrl: string;
  browser: BrowserSession;
  /** Opens a fresh page (new tab) on a bench page and waits for its `window` API. */
  openPage(
    file: 'uploader.html' | 'uploader-profiling.html' | 'raw.html',
    query?: Record<string, string | number | boolean>,
  ): Promise<BenchPage>;
  resetEmulator(faults?: OssFaultsPatch): Promise<void>;
  setFaults(faults: OssFaultsPatch): Promise<void>;
  ossRequests(): Promise<OssRequestLogEntry[]>;
  /** Ticket API: getOSSTempAuthor calls served so far. */
  authorizationRequests(): Promise<number>;
  setAuthorizationLifetime(seconds: number): Promise<void>;
  close(): Promise<void>;
}

export interface BenchPage {
  page: Page;
  cdp: CDPSession;
  /** Caps the page's upload bandwidth inside Chromium (DevTools network emulation); 0 = no cap. */
  throttleUpload(bytesPerSecond: number): Promise<void>;
  /** Uploader pages: waits for the mount prefetch, then builds the files outside any measured task. */
  prepareAuthorizedFiles(count: number, size: number): Promise<void>;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Builds bench/pages with bench/vite.bench.config.ts (production mode) into `outDir`. */
export async function buildBenchPages(outDir: string, options: { minify?: boolean } = {}): Promise<void> {
  await build({
    configFile: path.join(repoRoot, 'bench/vite.bench.config.ts'),
    logLevel: 'warn',
    build: { outDir, minify: options.minify ?? true },
  });
}

/** Serves the built pages read-only and hands `/api/*` to the ticket API in this process. */
async function startPagesServer(root: string, stack: LocalStack): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      stack.api.handle(req, res);
      return;
    }
    void (async () => {
      const file = path.normalize(path.join(root, decodeURIComponent(pathname)));
      const info = file.startsWith(root + path.sep) ? await stat(file).catch(() => null) : null;
      if (req.method !== 'GET' || !info?.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': info.size,
        'Cache-Control': 'no-store',
      });
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** `minify: false` keeps function names readable in CPU profiles (diagnosis only; figures come from minified pages). */
export async function startBenchEnvironment(options: { minify?: boolean } = {}): Promise<BenchEnvironment> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'taup-bench-pages-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(outDir, { recursive: true, force: true })];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    await buildBenchPages(outDir, options);
    const stack = await startLocalStack({ vite: false, port: 0, ossPort: 0, quiet: true });
    cleanups.push(() => stack.close());
    const pages = await startPagesServer(outDir, stack);
    cleanups.push(() => closeHttpServer(pages.server));
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());

    const environment: BenchEnvironment = {
      stack,
      pagesUrl: pages.url,
      browser,
      async openPage(file, query = {}) {
        const page = await browser.context.newPage();
        const cdp = await browser.context.newCDPSession(page);
        await cdp.send('Network.enable');
        // Persistent contexts start with an about:blank tab; pages are independent of it.
        const search = new URLSearchParams(Object.entries(query).map(([name, value]) => [name, String(value)]));
        await page.goto(`${pages.url}/${file}?${search.toString()}`);
        await page.waitForFunction(() => window.uploaderBench !== undefined || window.rawBench !== undefined);
        return {
          page,
          cdp,
          async throttleUpload(bytesPerSecond) {
            await cdp.send('Network.emulateNetworkConditions', {
              offline: false,
              latency: 0,
              downloadThroughput: -1,
              uploadThroughput: bytesPerSecond > 0 ? bytesPerSecond : -1,
            });
          },
          async prepareAuthorizedFiles(count, size) {
            await page.evaluate(
              async ({ files, fileSize }) => {
                const api = window.uploaderBench!;
                await api.whenAuthorized();
                api.prepareFiles(files, fileSize);
              },
              { files: count, fileSize: size },
            );
          },
          async close() {
            await cdp.detach().catch(() => undefined);
            await page.close().catch(() => undefined);
          },
        };
      },
      async resetEmulator(faults) {
        // A reset while aborted uploads are still being settled can fail (the emulator's store
        // clear races their temp-file cleanup and answers 500): retry a few times.
        for (let attempt = 1; ; attempt += 1) {
          try {
            await json(`${stack.ossUrl}/__control/reset`, post({}));
            break;
          } catch (error) {
            if (attempt >= 5) throw error;
            await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
          }
        }
        if (faults) await json(`${stack.ossUrl}/__control/faults`, post(faults));
      },
      async setFaults(faults) {
        await json(`${stack.ossUrl}/__control/faults`, post(faults));
      },
      async ossRequests() {
        return (await json<{ requests: OssRequestLogEntry[] }>(`${stack.ossUrl}/__control/requests`)).requests;
      },
      async authorizationRequests() {
        return (await json<{ requests: number }>(`${stack.appUrl}/api/__control/authorization`)).requests;
      },
      async setAuthorizationLifetime(seconds) {
        await json(`${stack.appUrl}/api/__control/authorization`, post({ lifetimeSeconds: seconds }));
      },
      close: closeAll,
    };
    return environment;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
