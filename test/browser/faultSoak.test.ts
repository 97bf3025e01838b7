import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDemoSession } from './support/demoStack';
import { harnessRecord, openHarness } from './support/harnessPage';
import { fileInput, rowsWithStatus } from './support/pageHelpers';
import { makeTestFile, type TestFile } from './support/testFiles';

// Many uploads through the component under every fault at once, in both upload modes (POST policy
// and presigned PUT, the same invariants). `npm test` runs a short soak; `npm run soak` runs the
// full 200 per mode (SOAK_UPLOADS).
const UPLOADS = Number(process.env.SOAK_UPLOADS ?? 40);
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

const BUSY_STATUSES = /^(Waiting|Preparing upload|Uploading \d+%|Saving…|Retrying \(attempt \d+\))$/;

describe.each(MODES)(
  `fault soak, $name: ${UPLOADS} uploads through 5xx, drops, latency, 5 s authorizations and forced "$expiredAnswer"`,
  (mode) => {
    it('ends every file done or retryable, recovers all by Retry, and emits exactly the stored objects', async () => {
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
      await session.stack.setFaults({
        failureRate: 0.2,
        failureStatus: 503,
        dropRate: 0.05,
        latencyMs: 20,
        latencyJitterMs: 120,
        seed: 2026,
      });
      page = await session.browser.context.newPage();
      await page.bringToFront();
      // Two attempts per file, so some files exhaust their automatic retries and the Retry path runs.
      await openHarness(page, session.stack, { maxFiles: UPLOADS, maxAttempts: 2, ...mode.query });

      // "Policy expired" (a PUT: "Request has expired.") now and then while the batch runs.
      const forcing = setInterval(() => void session.stack.setFaults({ forcePolicyExpired: 1 }).catch(() => undefined), 1_500);
      try {
        await fileInput(page).setInputFiles(paths);
        await expect
          // textContent, not innerText: rows scrolled out of view skip rendering (content-visibility), and
          // innerText of skipped content is empty.
          .poll(
            async () => (await page.locator('.taup-status').allTextContents()).filter((text) => BUSY_STATUSES.test(text.trim())).length,
            {
              timeout: 240_000,
              interval: 500,
            },
          )
          .toBe(0);
      } finally {
        clearInterval(forcing);
      }

      // Invariant 1: nothing stuck; every file is done, or failed with a Retry button.
      const done = await rowsWithStatus(page, 'Uploaded').count();
      const failedNames = await page.evaluate(() => window.harness.failed.map((entry) => entry.name));
      const retryButtons = await page.getByRole('button', { name: /^Retry / }).count();
      expect(done + retryButtons).toBe(UPLOADS);
      expect(await rowsWithStatus(page, 'Failed').count()).toBe(retryButtons);
      const requests = await session.stack.requests();
      const record = await harnessRecord(page);
      const counts = {
        mode: mode.name,
        requests: requests.length,
        injected5xx: requests.filter((request) => request.fault === 'failure').length,
        dropped: requests.filter((request) => request.fault === 'drop').length,
        forcedPolicyExpired: requests.filter((request) => request.fault === 'forced-policy-expired').length,
        authorizations: record.authorizationRequests,
        uploadUrls: record.uploadUrlRequests,
        doneFirstPass: done,
        failedFirstPass: retryButtons,
      };
      console.info(`[soak] ${JSON.stringify(counts)}`);
      expect(counts.injected5xx + counts.dropped, 'faults must actually have been injected').toBeGreaterThan(0);
      // The uploads went the mode's way: POSTs with a shared policy, or PUTs with a URL per file.
      expect(new Set(requests.map((request) => request.method))).toEqual(new Set([mode.method]));
      if (mode.method === 'PUT') expect(counts.uploadUrls).toBeGreaterThanOrEqual(UPLOADS);
      else expect(counts.uploadUrls).toBe(0);
      expect(requests.filter((request) => request.policyExpiredAtReceipt)).toEqual([]);

      // Invariant 2: with faults off, Retry recovers every failed file.
      await session.stack.setFaults({ failureRate: 0, dropRate: 0, latencyMs: 0, latencyJitterMs: 0, forcePolicyExpired: 0 });
      for (const name of new Set(failedNames)) {
        const retry = page.getByRole('button', { name: `Retry ${name}` });
        if ((await retry.count()) > 0) await retry.click();
      }
      await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 120_000 }).toBe(UPLOADS);

      // Invariant 3: the emitted paths are exactly the stored objects, in the order the files were added.
      const final = await harnessRecord(page);
      const stored = await session.stack.objects();
      expect(final.paths).toHaveLength(UPLOADS);
      expect(new Set(final.paths)).toEqual(new Set(stored.map((object) => object.key)));
      expect(final.paths.map((key) => key.split('/').at(-1))).toEqual(files.map((file) => file.name));
      // Invariant 4: nothing stored twice, and every object's bytes are its source's.
      expect(stored).toHaveLength(UPLOADS);
      for (const object of stored) {
        const source = byName.get(object.key.split('/').at(-1) ?? '');
        expect(source, object.key).toBeDefined();
        expect(object.md5, object.key).toBe(source?.md5);
      }
      console.info(
        `[soak] ${mode.name} after Retry: ${UPLOADS} done, ${stored.length} stored, ${new Set(stored.map((object) => object.md5)).size} distinct MD5s`,
      );
      await page.close();
    });
  },
);
