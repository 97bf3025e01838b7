import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlObjectsResponse } from '../../../server/oss-emulator/controlApi';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_BUCKET, DEFAULT_REGION } from '../../../server/oss-emulator/ossEmulator';
import { buildForm, controlJson, encodeForm, rawPost, signedFields, type EmulatorCredentials } from '../support/ossForms';

// The emulator as `npm run oss` runs it, in its own process, so its peak memory (VmHWM) can be read
// alone while it takes garbage, concurrency and clients that vanish mid-body.
const MB = 1024 * 1024;
let child: ChildProcess;
let dataDir: string;
let emulator: EmulatorCredentials;

async function peakRssBytes(): Promise<number> {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kb * 1024;
}

async function objects() {
  return (await controlJson<ControlObjectsResponse>(emulator.url, 'objects')).objects;
}

async function signedBody(key: string, content: Buffer) {
  return encodeForm(buildForm(signedFields(emulator, { key }), { content }));
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'taup-robustness-'));
  child = spawn(process.execPath, ['--import', 'tsx', 'server/local-stack/ossCli.ts', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited early (${code}): ${output}`)));
  });
  emulator = {
    url,
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
    bucket: DEFAULT_BUCKET,
    region: DEFAULT_REGION,
  };
}, 30_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await sleep(200);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('emulator robustness under hostile and heavy load (docs/oss-protocol.md §1, §4)', () => {
  it('answers garbage, truncated and oversized-field bodies with XML errors and keeps serving', async () => {
    const boundary = '----garbage';
    const bodies: Array<{ headers: Record<string, string>; body: Buffer }> = [
      ...Array.from({ length: 10 }, () => ({
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: randomBytes(4096),
      })),
      { headers: { 'content-type': 'multipart/form-data' }, body: Buffer.from('no boundary at all') },
      { headers: { 'content-type': 'application/json' }, body: Buffer.from('{"key":"x"}') },
      {
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nhalf`),
      },
      {
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n${'k'.repeat(3 * MB)}\r\n--${boundary}--\r\n`,
        ),
      },
    ];
    for (const { headers, body } of bodies) {
      const response = await rawPost(emulator.url, { ...headers, 'content-length': body.length }, body);
      expect(response.status, response.body.slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.body).toMatch(/<Error>[\s\S]*<Code>\w+<\/Code>/);
    }
    const valid = await signedBody('after-garbage.txt', Buffer.from('still alive'));
    expect(
      (await rawPost(emulator.url, { 'content-type': valid.contentType, 'content-length': valid.body.length }, valid.body)).status,
    ).toBe(204);
    expect((await objects()).map((object) => object.key)).toEqual(['after-garbage.txt']);
    await controlJson(emulator.url, 'reset', {});
  });

  it('takes 50 concurrent 2 MB uploads and 30 clients vanishing mid-body with flat memory and no partial objects', async () => {
    // Warm up, then take the peak so far as the baseline.
    for (let index = 0; index < 3; index += 1) {
      const warm = await signedBody(`warm-${index}.bin`, randomBytes(2 * MB));
      await rawPost(emulator.url, { 'content-type': warm.contentType, 'content-length': warm.body.length }, warm.body);
    }
    await controlJson(emulator.url, 'reset', {});
    const baseline = await peakRssBytes();

    const uploads = await Promise.all(
      Array.from({ length: 50 }, async (_, index) => {
        const content = randomBytes(2 * MB - index);
        return {
          key: `concurrent-${index}.bin`,
          md5: createHash('md5').update(content).digest('hex'),
          form: await signedBody(`concurrent-${index}.bin`, content),
        };
      }),
    );
    const vanishing = await Promise.all(Array.from({ length: 30 }, (_, index) => signedBody(`vanished-${index}.bin`, randomBytes(2 * MB))));

    const abandon = (form: { body: Buffer; contentType: string }) =>
      new Promise<void>((resolve) => {
        const req = request(`${emulator.url}/`, {
          method: 'POST',
          headers: { 'content-type': form.contentType, 'content-length': form.body.length },
        });
        req.on('error', () => resolve());
        req.write(form.body.subarray(0, MB), () => {
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 20);
        });
      });
    const results = await Promise.all([
      ...uploads.map(({ form }) =>
        rawPost(emulator.url, { 'content-type': form.contentType, 'content-length': form.body.length }, form.body).then(
          (response) => response.status,
        ),
      ),
      ...vanishing.map((form) => abandon(form).then(() => 0)),
    ]);
    expect(results.slice(0, 50)).toEqual(Array(50).fill(204));

    // Let the emulator notice the vanished clients and clean up.
    await sleep(500);
    const stored = await objects();
    expect(stored).toHaveLength(50);
    const expected = new Map(uploads.map((upload) => [upload.key, upload.md5]));
    for (const object of stored) expect(object.md5, object.key).toBe(expected.get(object.key));
    expect(stored.some((object) => object.key.startsWith('vanished-'))).toBe(false);
    expect(await readdir(path.join(dataDir, 'tmp'))).toEqual([]);

    // ~130 MB went through at once; buffering the bodies would raise the peak by well over 100 MB.
    const growth = (await peakRssBytes()) - baseline;
    console.info(`[robustness] emulator peak RSS grew by ${(growth / MB).toFixed(1)} MB for 50 x 2 MB concurrent + 30 abandoned uploads`);
    expect(growth).toBeLessThan(90 * MB);

    const valid = await signedBody('after-load.txt', Buffer.from('still alive'));
    expect(
      (await rawPost(emulator.url, { 'content-type': valid.contentType, 'content-length': valid.body.length }, valid.body)).status,
    ).toBe(204);
  }, 60_000);
});
