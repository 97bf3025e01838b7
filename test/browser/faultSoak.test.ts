import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDemoSession } from './support/demoStack';
import { harnessRecord, openHarness } from './support/harnessPage';
import { fileInput } from './support/pageHelpers';
import { makeTestFile, type TestFile } from './support/testFiles';

// Many uploads through the component under every fault at once, in both upload modes (POST policy
// and presigned PUT, the same invariants), with the network cut in the middle of the batch: every
// file must end done without anyone clicking Retry. `npm test` runs a short soak (40 files, a 3 s
// outage); `npm run soak` runs the full one (SOAK_UPLOADS=200, SOAK_OUTAGE_MS=20000).
const UPLOADS = Number(process.env.SOAK_UPLOADS ?? 40);
const OUTAGE_MS = Number(process.env.SOAK_OUTAGE_MS ?? 3_000);
const MAX_SIZE = 2_097_152;

let session: Awaited<ReturnType<typeof startDemoSession>>;
let page: Page;
let folder: string;

beforeAll(async () => {
  session = await startDemoSession();
  folder = await mkdtemp(join(tmpdir(), 'taup-soak-'));
});
afterAll(async () => {
  await session?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** Sizes spread from 0 bytes to exactly the limit; contents differ per file, so MD5s identify files. */
function soakFiles(count: number): TestFile[] {
  return Array.from({ length: count }, (_, index) => {
    const size = index === 0 ? 0 : index === count - 1 ? MAX_SIZE : Math.floor((((index * 7919) % count) / count) * MAX_SIZE) + index;
    return makeTestFile(`soak-${String(index).padStart(3, '0')}.bin`, Math.min(size, MAX_SIZE), 'application/octet-stream', index + 1);
  });
}

const MODES = [
  { name: 'POST policy', method: 'POST', query: {}, expiredAnswer: 'Policy expired' },
  { name: 'presigned PUT', method: 'PUT', query: { mode: 'put' }, expiredAnswer: 'Request has expired' },
] as const;

/**
 * How many rows show each status, read from textContent: rows scrolled out of view skip rendering
 * (content-visibility), and innerText of skipped content is empty.
 */
function statusCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const counts: Record<string, number> = {};
    for (const element of document.querySelectorAll('.taup-status')) {
      const status = (element.textContent ?? '')
        .trim()
        .replace(/^Uploading \d+%$/, 'Uploading')
        .replace(/\(attempt \d+\)$/, '(attempt n)');
      counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  });
}

/** Chromium's offline emulation: `navigator.onLine` turns false, the window gets `offline`, requests fail. */
async function networkSwitch(page: Page): Promise<(offline: boolean) => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  return async (offline) => {
    await cdp.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  };
}

describe.each(MODES)(
  `fault soak, $name: ${UPLOADS} uploads through 5xx, drops, latency, 5 s authorizations, forced "$expiredAnswer" and a ${OUTAGE_MS / 1000} s outage`,
  (mode) => {
    it("ends every file done without a click; each path is its file's stored object, and only copies the outage hid lie beside them", async () => {
      const files = soakFiles(UPLOADS);
      const paths = await Promise.all(
        files.map(async (file) => {
          const path = join(folder, file.name);
          await writeFile(path, file.buffer);
          return path;
        }),
      );
      const byName = new Map(files.map((file) => [file.name, file]));

      await session.stack.reset();
      await session.stack.setAuthorization({ lifetimeSeconds: 5 });
      // A quarter of the uploads meet a 503 or a dropped connection, drawn at random, but no file
      // meets more than 2 of them (maxFaultsPerName; and at most one forced expiry): with the
      // component's 3 attempts, every file must get through. Unbounded, 3 independent draws at 25 %
      // fail a file 1.6 % of the time (0.25³), about 3 files in 200: a soak that fails on luck
      // proves nothing, and a huge maxAttempts would hide a queue that burns attempts. Real 503s
      // come in bursts that back-off outlasts; what this proves is that no attempt is lost along
      // the way (an outage, an expired authorization and its fresh one spend none).
      await session.stack.setFaults({
        failureRate: 0.2,
        failureStatus: 503,
        dropRate: 0.05,
        latencyMs: 20,
        latencyJitterMs: 120,
        maxFaultsPerName: 2,
        seed: 2026,
      });
      page = await session.browser.context.newPage();
      await page.bringToFront();
      // The component's defaults (3 attempts per file): what an app gets without tuning anything.
      await openHarness(page, session.stack, { maxFiles: UPLOADS, ...mode.query });
      const setOffline = await networkSwitch(page);

      // "Policy expired" (a PUT: "Request has expired.") for the batch's first request, then now and
      // then while it runs (a fast batch with its outage may otherwise see none of the timed ones).
      await session.stack.setFaults({ forcePolicyExpired: 1 });
      const forcing = setInterval(() => void session.stack.setFaults({ forcePolicyExpired: 1 }).catch(() => undefined), 1_500);
      const startedAt = Date.now();
      let outage: { doneBefore: number; cutAt: number } | undefined;
      try {
        await fileInput(page).setInputFiles(paths);

        // The outage, once about 40 % of the files are stored and the rest still to do.
        await expect
          .poll(async () => (await statusCounts(page)).Uploaded ?? 0, { timeout: 240_000, interval: 200 })
          .toBeGreaterThanOrEqual(Math.ceil(UPLOADS * 0.4));
        // What the page hears of the outage: the window's events, as a real one fires them.
        await page.evaluate(() => {
          const heard: string[] = [];
          (window as unknown as { connectionEvents: string[] }).connectionEvents = heard;
          addEventListener('offline', () => heard.push('offline'));
          addEventListener('online', () => heard.push('online'));
        });
        const connectionEvents = () => page.evaluate(() => (window as unknown as { connectionEvents: string[] }).connectionEvents);
        const cutAt = Date.now();
        await setOffline(true);
        expect(await page.evaluate(() => navigator.onLine)).toBe(false);
        await expect.poll(connectionEvents).toEqual(['offline']);
        const doneBefore = (await statusCounts(page)).Uploaded ?? 0;
        expect(doneBefore, 'the outage must come before the end of the batch').toBeLessThan(UPLOADS);
        // Every file not yet stored says it waits for the connection: none is left uploading or failed.
        await expect
          .poll(async () => {
            const counts = await statusCounts(page);
            return (counts['Waiting for connection'] ?? 0) + (counts.Uploaded ?? 0);
          })
          .toBe(UPLOADS);
        await sleep(OUTAGE_MS);
        // Still so at the end of the outage: nothing finished, failed or gave up while offline.
        const statuses = await statusCounts(page);
        expect(statuses).toEqual({ Uploaded: statuses.Uploaded, 'Waiting for connection': UPLOADS - (statuses.Uploaded ?? 0) });
        expect(await page.getByRole('button', { name: /^Retry / }).count()).toBe(0);
        await setOffline(false);
        await expect.poll(connectionEvents).toEqual(['offline', 'online']);
        outage = { doneBefore, cutAt };

        // The queue resumes by itself: every file ends done, none failed on the way (stop at the first).
        await expect
          .poll(
            async () => {
              const failed = await page.evaluate(() => window.harness.failed);
              return failed.length > 0 ? { failed } : await statusCounts(page);
            },
            { timeout: 240_000, interval: 500 },
          )
          .toEqual({ Uploaded: UPLOADS });
      } finally {
        clearInterval(forcing);
      }
      const seconds = (Date.now() - startedAt) / 1000;

      const requests = await session.stack.requests();
      const record = await harnessRecord(page);
      const stored = await session.stack.objects();
      const counts = {
        mode: mode.name,
        files: UPLOADS,
        seconds,
        outageMs: OUTAGE_MS,
        doneBeforeOutage: outage?.doneBefore,
        requests: requests.length,
        injected5xx: requests.filter((request) => request.fault === 'failure').length,
        dropped: requests.filter((request) => request.fault === 'drop').length,
        forcedExpired: requests.filter((request) => request.fault === 'forced-policy-expired').length,
        // Requests beyond one per file: retries, sends again after the outage, fresh targets after an expiry.
        sentAgain: requests.length - UPLOADS,
        authorizations: record.authorizationRequests,
        uploadUrls: record.uploadUrlRequests,
        stored: stored.length,
        leftByOutage: stored.length - UPLOADS,
      };
      console.info(`[soak] ${JSON.stringify(counts)}`);
      expect(counts.injected5xx, '503s must actually have been injected').toBeGreaterThan(0);
      expect(counts.dropped, 'connections must actually have been dropped').toBeGreaterThan(0);
      expect(counts.forcedExpired, 'expiries must actually have been forced').toBeGreaterThan(0);
      // Never a failure on the way, so never a Retry button: onUploadFailed was not called once,
      // and each file succeeded once.
      expect(record.failed).toEqual([]);
      expect(record.succeeded.map((entry) => entry.name).sort()).toEqual(files.map((file) => file.name));
      // The uploads went the mode's way: POSTs with a shared policy, or PUTs with a URL per file.
      expect(new Set(requests.map((request) => request.method))).toEqual(new Set([mode.method]));
      if (mode.method === 'PUT') expect(counts.uploadUrls).toBeGreaterThanOrEqual(UPLOADS);
      else expect(counts.uploadUrls).toBe(0);
      expect(requests.filter((request) => request.policyExpiredAtReceipt)).toEqual([]);

      // The emitted paths are stored objects, one per file, in the order the files were added…
      expect(record.paths).toHaveLength(UPLOADS);
      const storedKeys = new Set(stored.map((object) => object.key));
      expect(record.paths.filter((key) => !storedKeys.has(key))).toEqual([]);
      expect(record.paths.map((key) => key.split('/').at(-1))).toEqual(files.map((file) => file.name));
      // …and nothing else is stored, but for what the outage made unknowable: an upload whose whole
      // body had reached storage when the network went down is stored, but its answer never reaches
      // the page. Sent again under the same key it overwrites itself; when its authorization lapsed
      // during the outage, the fresh one (a new POST-policy dir, a new presigned URL) gives a new
      // key and the first copy stays behind, which nothing in the browser can see or delete. Only
      // such a copy may be extra: at most one per upload in flight at the cut, answered by storage
      // no earlier than just before it (the page had not read the answer yet).
      const reported = new Set(record.paths);
      const leftBehind = stored.filter((object) => !reported.has(object.key));
      const answeredAroundCut = new Set(
        requests
          .filter((request) => request.status >= 200 && request.status < 300 && request.finishedAt >= (outage?.cutAt ?? 0) - 1_000)
          .map((request) => request.key),
      );
      expect(leftBehind.filter((object) => !answeredAroundCut.has(object.key))).toEqual([]);
      expect(leftBehind.length).toBeLessThanOrEqual(3); // the default concurrency
      expect(new Set(leftBehind.map((object) => object.key.split('/').at(-1))).size).toBe(leftBehind.length);
      // Every object's bytes are its source's.
      for (const object of stored) {
        const source = byName.get(object.key.split('/').at(-1) ?? '');
        expect(source, object.key).toBeDefined();
        expect(object.md5, object.key).toBe(source?.md5);
      }
      await page.close();
    }, 300_000);
  },
);
