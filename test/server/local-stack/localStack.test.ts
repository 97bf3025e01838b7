import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closeHttpServer } from '../../../server/local-stack/closeHttpServer';
import { startLocalStack } from '../../../server/local-stack/localStack';
import { startWorkOrderEmulator } from '../../../server/local-stack/startWorkOrderEmulator';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer((_req, res) => res.end('occupied'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ${String(pattern)} in time; output so far:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)} before ${String(pattern)}:\n${output}`));
    });
  });
}

describe('startLocalStack (issue 3 §3)', () => {
  it('starts both emulators and the API-only server on loopback, wired together', async () => {
    const stack = await startLocalStack({ vite: false });
    try {
      expect(stack.appUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(stack.ossUrl).toBe(stack.emulator.url);
      expect(stack.workOrderUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const config = await fetch(`${stack.appUrl}/api/config`);
      expect(await config.json()).toEqual({ ossUrl: stack.ossUrl, apiVersions: ['2016-08-30', '2021-06-10'] });
      const auth = (await (await fetch(`${stack.appUrl}/api/getOSSTempAuthor`)).json()) as { data: { host: string } };
      expect(auth.data.host).toBe(`${stack.ossUrl}/`);
      expect((await fetch(`${stack.appUrl}/`)).status).toBe(404);
    } finally {
      await stack.close();
    }
    await expect(fetch(`${stack.ossUrl}/__control/objects`)).rejects.toThrow();
    await expect(fetch(`${stack.workOrderUrl}/__control/faults`)).rejects.toThrow();
  });

  it('points the demo backend at another Work Order endpoint when given one, and starts no emulator of its own', async () => {
    const oss = await startLocalStack({ vite: false, quiet: true });
    const key = { accessKeyId: 'LTAI5tElsewhere', accessKeySecret: 'elsewhere-secret' };
    const elsewhere = await startWorkOrderEmulator({
      credentials: [key],
      oss: {
        url: oss.ossUrl,
        bucket: oss.emulator.bucket,
        region: oss.emulator.region,
        accessKeyId: oss.emulator.accessKeyId,
        accessKeySecret: oss.emulator.accessKeySecret,
      },
    });
    const stack = await startLocalStack({ vite: false, quiet: true, workOrder: { endpoint: elsewhere.url, ...key } });
    try {
      expect(stack.workOrder).toBeUndefined();
      expect(stack.workOrderUrl).toBe(elsewhere.url);
      const before = elsewhere.emulator.legacy.issuedDirs().length;
      expect((await fetch(`${stack.appUrl}/api/getOSSTempAuthor`)).status).toBe(200);
      expect(elsewhere.emulator.legacy.issuedDirs()).toHaveLength(before + 1);
      // The emulator's knobs are not this stack's to turn.
      expect((await fetch(`${stack.appUrl}/api/__control/work-order-faults`)).status).toBe(409);
    } finally {
      await Promise.all([stack.close(), elsewhere.close(), oss.close()]);
    }
  });

  it('falls back to free ports when the requested ones are taken', async () => {
    const app = await occupyPort();
    const oss = await occupyPort();
    try {
      const stack = await startLocalStack({
        vite: false,
        port: app.port,
        ossPort: oss.port,
        signatureVersion: 'v4',
        lifetimeSeconds: 30,
        quiet: true,
      });
      try {
        expect(stack.appUrl).not.toBe(`http://127.0.0.1:${app.port}`);
        expect(stack.ossUrl).not.toBe(`http://127.0.0.1:${oss.port}`);
        const settings = await (await fetch(`${stack.appUrl}/api/__control/authorization`)).json();
        expect(settings).toMatchObject({ signatureVersion: 'v4', lifetimeSeconds: 30 });
      } finally {
        await stack.close();
      }
    } finally {
      await Promise.all([closeHttpServer(app.server), closeHttpServer(oss.server)]);
    }
  });

  it('`npm start` (server/local-stack/start.ts) serves the page and the API through Vite, falls back from taken ports and stops on SIGTERM', async () => {
    const app = await occupyPort();
    const oss = await occupyPort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/local-stack/start.ts'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: String(app.port), OSS_PORT: String(oss.port), WORK_ORDER_PORT: '0', OSS_SIGNATURE_VERSION: 'v4' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const output = await waitForOutput(child, /Press Ctrl-C to stop/, 20_000);
      const appUrl = /Demo page\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
      const ossUrl = /OSS emulator\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
      const workOrderUrl = /Work Order API\s+(http:\/\/127\.0\.0\.1:\d+)\/\s+\(local emulator/.exec(output)?.[1];
      expect(workOrderUrl).toBeDefined();
      expect(output).toMatch(/demo AccessKey LTAI5t…[0-9a-f]{4}, generated at start/);
      // The generated AccessKeyId is never printed whole (the secret never at all).
      expect(output).not.toMatch(/LTAI5tDemo[0-9a-f]{16}/);
      expect(appUrl).toBeDefined();
      expect(appUrl).not.toBe(`http://127.0.0.1:${app.port}`);
      expect(ossUrl).not.toBe(`http://127.0.0.1:${oss.port}`);
      expect(output).toContain(`App port ${app.port} is taken`);
      expect(output).toContain(`OSS emulator port ${oss.port} is taken`);
      expect(await (await fetch(`${appUrl}/api/config`)).json()).toEqual({ ossUrl, apiVersions: ['2016-08-30', '2021-06-10'] });
      const auth = (await (await fetch(`${appUrl}/api/getOSSTempAuthor`)).json()) as { data: Record<string, string> };
      expect(auth.data['x-oss-signature-version']).toBe('OSS4-HMAC-SHA256');
      const page = await fetch(`${appUrl}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      await page.text();
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect(fetch(`${appUrl}/api/config`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await Promise.all([closeHttpServer(app.server), closeHttpServer(oss.server)]);
    }
  });

  it('`npm run workorder` starts the Work Order API emulator alone with its own OSS emulator, prints both URLs, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'server/local-stack/workOrderCli.ts',
        '--port',
        '0',
        '--access-key-id',
        'LTAI5tCliTest',
        '--access-key-secret',
        'cli-test-secret',
      ],
      { cwd: repoRoot, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const output = await waitForOutput(child, /control API/, 20_000);
      const workOrderUrl = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      const ossUrl = /OSS emulator\s+(http:\/\/127\.0\.0\.1:\d+) \(started here\)/.exec(output)?.[1];
      expect(workOrderUrl).toBeDefined();
      expect(ossUrl).toBeDefined();
      expect(output).not.toContain('cli-test-secret');
      expect(await (await fetch(`${workOrderUrl}/__control/faults`)).json()).toEqual({
        latencyMs: 0,
        systemBusy: 0,
        illegalAuth: 0,
        clockOffsetMs: 0,
      });
      // An unsigned call is refused like the gateway does, so the endpoint is the API, not a stub.
      const unsigned = await fetch(`${workOrderUrl}/?Action=GetOSSTempAuthor&Version=2016-08-30`);
      expect(unsigned.status).toBe(400);
      expect((await fetch(`${ossUrl}/__control/objects`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
