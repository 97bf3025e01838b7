import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { setUpDemoSession, type DemoSession } from './support/demoStack';
import { harnessRecord, openHarness } from './support/harnessPage';
import { fileInput, rowsWithStatus, throttleUpload, toPayload } from './support/pageHelpers';
import { makeTestFile, type TestFile } from './support/testFiles';

// The component alone (test/browser/harness) in Chromium against the emulator with faults injected:
// expiring authorizations, "Policy expired", 503s, dropped connections and a wrong client clock.
const demo = setUpDemoSession();
let session: DemoSession;
let page: Page;
beforeEach(() => {
  ({ session, page } = demo);
});

const batch = (count: number, size: number): TestFile[] =>
  Array.from({ length: count }, (_, index) => makeTestFile(`file-${index + 1}.bin`, size + index));

async function expectAllStored(files: TestFile[]) {
  const record = await harnessRecord(page);
  const stored = await session.stack.objects();
  // The keys handed to the form are exactly the stored objects, once each, with the right bytes.
  expect(new Set(record.paths)).toEqual(new Set(stored.map((object) => object.key)));
  expect(record.paths).toHaveLength(files.length);
  expect(stored.map((object) => object.md5).sort()).toEqual(files.map((file) => file.md5).sort());
}

describe('uploader under faults in Chromium', () => {
  it('refetches a 5-second authorization during a longer batch, and never sends an expired policy', async () => {
    await session.stack.setAuthorization({ lifetimeSeconds: 5 });
    await openHarness(page, session.stack, { maxFiles: 6, concurrency: 1 });
    await throttleUpload(page, 500_000);
    const files = batch(6, 600_000);
    await fileInput(page).setInputFiles(toPayload(files));
    await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 60_000 }).toBe(6);

    const requests = await session.stack.requests();
    expect(requests.filter((request) => request.policyExpiredAtReceipt)).toEqual([]);
    expect(requests.every((request) => request.status === 200)).toBe(true);
    const record = await harnessRecord(page);
    expect(record.failed).toEqual([]);
    // ~7 s of uploads with a 5 s lifetime: at least one refresh, and not one per file.
    expect(record.authorizationRequests).toBeGreaterThanOrEqual(2);
    expect(record.authorizationRequests).toBeLessThan(files.length + 1);
    await expectAllStored(files);
  });

  it('re-authorizes and retries transparently when storage answers "Policy expired" once', async () => {
    await openHarness(page, session.stack);
    await session.stack.setFaults({ forcePolicyExpired: 1 });
    const files = batch(1, 50_000);
    await fileInput(page).setInputFiles(toPayload(files));
    await rowsWithStatus(page, 'Uploaded').waitFor({ timeout: 20_000 });

    const requests = await session.stack.requests();
    expect(requests.map((request) => [request.status, request.code ?? null, request.fault ?? null])).toEqual([
      [403, 'AccessDenied', 'forced-policy-expired'],
      [200, null, null],
    ]);
    const record = await harnessRecord(page);
    expect(record.authorizationRequests).toBe(2);
    expect(await page.getByRole('button', { name: /^Retry / }).count()).toBe(0);
    await expectAllStored(files);
  });

  it('ends every file done through 30 % 503s and dropped connections, by automatic retries', async () => {
    await session.stack.setFaults({ failureRate: 0.3, failureStatus: 503, dropRate: 0.15, seed: 7 });
    await openHarness(page, session.stack, { maxFiles: 6, maxAttempts: 6 });
    const files = batch(6, 300_000);
    await fileInput(page).setInputFiles(toPayload(files));
    await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 90_000 }).toBe(6);

    const requests = await session.stack.requests();
    const faulted = requests.filter((request) => request.fault === 'failure' || request.fault === 'drop');
    expect(faulted.length, 'the faults must actually have hit some uploads').toBeGreaterThan(0);
    expect((await harnessRecord(page)).failed).toEqual([]);
    await expectAllStored(files);
  });

  it('shows a permanent failure with Retry, which recovers once the fault is cleared', async () => {
    await session.stack.setFaults({ failureRate: 1, failureStatus: 503 });
    await openHarness(page, session.stack, { maxAttempts: 2 });
    const files = batch(1, 20_000);
    await fileInput(page).setInputFiles(toPayload(files));
    const retry = page.getByRole('button', { name: 'Retry file-1.bin' });
    await retry.waitFor({ timeout: 20_000 });
    expect(await rowsWithStatus(page, 'Failed').innerText()).toContain('Storage could not save the file.');
    expect(await session.stack.objects()).toEqual([]);

    await session.stack.setFaults({ failureRate: 0 });
    await retry.click();
    await rowsWithStatus(page, 'Uploaded').waitFor({ timeout: 20_000 });
    await expectAllStored(files);
  });

  it('calls the cleanup hook with the key when a stored file is removed', async () => {
    await openHarness(page, session.stack);
    await fileInput(page).setInputFiles(toPayload(batch(2, 1_000)));
    await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 20_000 }).toBe(2);
    const before = await harnessRecord(page);
    await page.getByRole('button', { name: 'Remove file-1.bin' }).click();
    const after = await harnessRecord(page);
    const removedKey = before.succeeded.find((entry) => entry.name === 'file-1.bin')?.key;
    expect(after.removed).toEqual([removedKey]);
    expect(after.paths).toEqual(before.paths.filter((key) => key !== removedKey));
    expect(await page.evaluate(() => new FormData(document.forms[0]).getAll('attachments'))).toEqual(after.paths);
  });

  for (const [label, offsetMs] of [
    ['10 minutes fast', 10 * 60_000],
    ['10 minutes slow', -10 * 60_000],
  ] as const) {
    it(`uploads with the client clock ${label}, without a refetch loop`, async () => {
      await page.clock.install({ time: new Date(Date.now() + offsetMs) });
      await openHarness(page, session.stack, { maxFiles: 3, concurrency: 1 });
      const files = batch(3, 100_000);
      await fileInput(page).setInputFiles(toPayload(files));
      await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 30_000 }).toBe(3);
      const record = await harnessRecord(page);
      // One authorization (the mount prefetch) serves the whole batch: the skewed clock is corrected
      // with the answer's Date header, so it is neither "expired on arrival" nor refetched per file.
      expect(record.authorizationRequests).toBe(1);
      expect((await session.stack.requests()).every((request) => request.status === 200)).toBe(true);
      await expectAllStored(files);
    });
  }
});
