import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemo, SCREENSHOTS, setUpDemoSession, type DemoSession } from './support/demoStack';
import { fileInput, progressValuesSeen, recordProgressValues, rowsWithStatus, throttleUpload, toPayload } from './support/pageHelpers';
import { makePng, makeTestFile } from './support/testFiles';

// Real Chromium against the real local stack: the demo page served by Vite, the demo backend calling
// the Work Order API emulator through Alibaba's SDK, and the OSS emulator, all on 127.0.0.1. What a
// person sees, and what the emulators stored.
const demo = setUpDemoSession({ beforeEachPage: openDemo });
let session: DemoSession;
let page: Page;
beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
});
beforeEach(() => {
  ({ session, page } = demo);
});

const parseDownloadName = (disposition: string | null) => {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  return encoded ? decodeURIComponent(encoded) : null;
};

describe('demo ticket form in Chromium', () => {
  it('uploads three files with visible progress, submits the ticket, and stores byte-identical objects', async () => {
    await throttleUpload(page, 1_500_000);
    const files = [
      makeTestFile('small.log', 200_000, 'text/plain'),
      makeTestFile('medium.pdf', 900_000, 'application/pdf'),
      makeTestFile('large.zip', 1_900_000, 'application/zip'),
    ];
    await recordProgressValues(page);
    await page.getByLabel('Title').fill('Upload test');
    await page.getByLabel('Description').fill('Three attachments of different sizes.');
    await fileInput(page).setInputFiles(toPayload(files));

    const submit = page.getByRole('button', { name: 'Submit ticket' });
    await expect.poll(() => submit.isDisabled()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/demo-uploading.png`, fullPage: true });
    await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 30_000 }).toBe(3);

    const seen = await progressValuesSeen(page);
    expect(
      seen.some((value) => value > 0 && value < 100),
      `progress values seen: ${seen.join(',')}`,
    ).toBe(true);
    expect(seen.every((value) => value >= 0 && value <= 100)).toBe(true);

    await expect.poll(() => submit.isEnabled()).toBe(true);
    await submit.click();
    await page.getByRole('heading', { name: 'Upload test' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/demo-ticket.png`, fullPage: true });

    const stored = await session.stack.objects();
    expect(stored.map((object) => object.md5).sort()).toEqual(files.map((file) => file.md5).sort());
    for (const file of files) {
      const link = page.getByRole('link', { name: file.name });
      const href = await link.getAttribute('href');
      expect(href).toBeTruthy();
      const response = await fetch(href as string);
      const body = Buffer.from(await response.arrayBuffer());
      expect(createHash('md5').update(body).digest('hex')).toBe(file.md5);
      expect(parseDownloadName(response.headers.get('content-disposition'))).toBe(file.name);
    }
  });

  it('rejects a 2,097,153-byte file with a readable reason and sends nothing to storage', async () => {
    await fileInput(page).setInputFiles(toPayload([makeTestFile('huge.pdf', 2_097_153, 'application/pdf')]));
    const rejections = page.getByRole('group', { name: 'Not attached' });
    await expect.poll(() => rejections.innerText()).toContain('huge.pdf');
    expect(await rejections.innerText()).toContain('larger than the size limit');
    expect(await rejections.innerText()).toContain('2,097,152 B');
    await page.screenshot({ path: `${SCREENSHOTS}/demo-rejected.png`, fullPage: true });
    // A file exactly at the limit is accepted, so the rejection above was about the size alone.
    await fileInput(page).setInputFiles(toPayload([makeTestFile('exact.pdf', 2_097_152, 'application/pdf')]));
    await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 20_000 }).toBe(1);
    const requests = await session.stack.requests();
    expect(requests).toHaveLength(1);
    expect((await session.stack.objects()).map((object) => object.size)).toEqual([2_097_152]);
  });

  it('"Storage read speed" says what it does: the bar fills at once on loopback and the wait shows as "Saving…" while the emulator reads', async () => {
    const speed = page.getByLabel('Storage read speed');
    await expect.poll(() => speed.getAttribute('aria-describedby')).toBeTruthy();
    const help = await page.locator(`[id="${await speed.getAttribute('aria-describedby')}"]`).innerText();
    expect(help).toContain('the wait shows as “Saving…”');
    await speed.selectOption({ label: '64 KB/s' });
    await page.screenshot({ path: `${SCREENSHOTS}/demo-storage-read-speed.png`, fullPage: true });

    // ~9 s of reading at 64 KB/s: plenty of time to see where the wait is spent.
    await fileInput(page).setInputFiles(toPayload([makeTestFile('read-slowly.pdf', 600_000, 'application/pdf')]));
    await rowsWithStatus(page, 'Saving…').waitFor({ timeout: 15_000 });
    expect(await session.stack.objects()).toEqual([]);
    await rowsWithStatus(page, 'Uploaded').waitFor({ timeout: 30_000 });
    expect(await session.stack.objects()).toHaveLength(1);
  });

  it('cancels an upload mid-way and stores nothing', async () => {
    await throttleUpload(page, 100_000);
    await fileInput(page).setInputFiles(toPayload([makeTestFile('slow.zip', 1_500_000, 'application/zip')]));
    const progress = page.getByRole('progressbar', { name: /slow\.zip/ });
    await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 15_000 }).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Cancel slow.zip' }).click();
    await rowsWithStatus(page, 'Canceled').waitFor();
    await page.getByRole('button', { name: 'Retry slow.zip' }).waitFor();
    // The emulator saw the request start and end without an answer (status 0: client went away).
    await expect.poll(async () => (await session.stack.requests()).map((request) => request.status)).toEqual([0]);
    expect(await session.stack.objects()).toEqual([]);
  });

  it('round-trips Chinese, emoji and path-like names: keys stay under dir, downloads carry the original name', async () => {
    const files = [
      makeTestFile('报告 2026.pdf', 3_000, 'application/pdf'),
      makePng('😀 smile.png'),
      makeTestFile('..\\..\\etc\\passwd.txt', 500, 'text/plain'),
    ];
    await page.getByLabel('Description').fill('Names test');
    await fileInput(page).setInputFiles(toPayload(files));
    await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 20_000 }).toBe(3);
    await page.getByRole('button', { name: 'Submit ticket' }).click();
    await page.getByRole('heading', { name: 'Ticket', exact: true }).waitFor();

    const stored = await session.stack.objects();
    expect(stored.map((object) => object.key)).toHaveLength(3);
    for (const object of stored) {
      expect(object.key).toMatch(/^pop_temp\d+\/[a-z0-9]+\/[^/\\]+$/);
      expect(object.key.split('/')).not.toContain('..');
      expect(Buffer.byteLength(object.key)).toBeLessThanOrEqual(1023);
    }
    const names = stored.map((object) => parseDownloadName(object.contentDisposition ?? null)).sort();
    const shownNames = await page.getByRole('list', { name: 'Attachments' }).getByRole('link').allInnerTexts();
    // Chromium keeps the name it was given (backslashes included); the key only keeps a safe last segment.
    expect(names).toEqual(files.map((file) => file.name).sort());
    expect(shownNames.sort()).toEqual(files.map((file) => file.name).sort());
  });

  it('shows a file name carrying markup as text from upload to the submitted ticket, and runs none of it', async () => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const name = '<img src=x onerror=alert(1)>.png';
    await page.getByLabel('Description').fill('XSS test');
    await fileInput(page).setInputFiles(toPayload([makePng(name)]));
    await rowsWithStatus(page, 'Uploaded').filter({ hasText: name }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Submit ticket' }).click();
    await page.getByRole('link', { name }).waitFor();
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
  });

  it('removes an uploaded file from the form, the submitted ticket and storage', async () => {
    await page.getByLabel('Description').fill('Remove test');
    await fileInput(page).setInputFiles(
      toPayload([makeTestFile('keep.txt', 1_000, 'text/plain'), makeTestFile('drop.txt', 1_000, 'text/plain')]),
    );
    await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 20_000 }).toBe(2);
    await page.getByRole('button', { name: 'Remove drop.txt' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Attachments' }).getByRole('listitem').count()).toBe(1);
    // The demo's onRemoveUploaded asks the backend to delete the orphan.
    await expect.poll(async () => (await session.stack.objects()).map((object) => object.key.split('/').at(-1))).toEqual(['keep.txt']);
    await page.getByRole('button', { name: 'Submit ticket' }).click();
    await page.getByRole('link', { name: 'keep.txt' }).waitFor();
    expect(await page.getByRole('link', { name: 'drop.txt' }).count()).toBe(0);
  });

  it('replies to a ticket with attachments through QuestionReply', async () => {
    await page.getByLabel('Description').fill('Needs a reply');
    await page.getByRole('button', { name: 'Submit ticket' }).click();
    const reply = page.getByRole('form', { name: 'Reply' });
    await reply.waitFor();
    await reply.getByLabel('Your reply').fill('Here is the log');
    await fileInput(page).setInputFiles(toPayload([makeTestFile('server.log', 10_000, 'text/plain')]));
    await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 20_000 }).toBe(1);
    await reply.getByRole('button', { name: 'Send reply' }).click();
    await page.getByRole('region', { name: 'Replies' }).getByRole('link', { name: 'server.log' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/demo-reply.png`, fullPage: true });
  });
});

/** The demo's "Work Order API" setting: each version with its upload mode, and how its stored ticket reads back. */
const API_MODES = [
  {
    version: '2016-08-30',
    choice: '2016-08-30 (POST policy)',
    actions: 'getOSSTempAuthor, PostObject, add and QuestionReply through pop-core',
    keyPattern: /^pop_temp\d+\/[a-z0-9]+\/[^/]+$/,
    storedAttachmentCounts: async (title: string) => {
      const ticket = (await session.stack.legacyTickets()).find((each) => each.title === title);
      return ticket === undefined ? undefined : [ticket.attachments.length, ...ticket.replies.map((reply) => reply.attachments.length)];
    },
  },
  {
    version: '2021-06-10',
    choice: '2021-06-10 (presigned PUT)',
    actions: 'GetAttachmentUploadUrl, presigned PUT, CreateTicket and ReplyTicket through @alicloud/workorder20210610',
    keyPattern: /^workorder\/attachments\/[0-9a-f]+\/[^/]+$/,
    storedAttachmentCounts: async (title: string) => {
      const ticket = (await session.stack.currentTickets()).find((each) => each.title === title);
      return ticket?.notes.map((note) => note.attachmentKeys.length);
    },
  },
] as const;

describe.each(API_MODES)('the demo chain with Work Order API $version in Chromium', (mode) => {
  it(`creates a ticket with 3 attachments and a reply with 1 (${mode.actions}), lists them, and downloads match byte for byte`, async () => {
    const setting = page.getByRole('group', { name: 'Work Order API' });
    await setting.getByRole('radio', { name: mode.choice }).check();
    expect(await setting.getByRole('radio', { name: mode.choice }).isChecked()).toBe(true);

    const files = [
      makeTestFile('first.pdf', 150_000, 'application/pdf'),
      makePng('second.png'),
      makeTestFile('third.log', 40_000, 'text/plain'),
    ];
    const title = `Chain test ${mode.version}`;
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Description').fill('Three attachments through the Work Order API');
    await fileInput(page).setInputFiles(toPayload(files));
    await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 20_000 }).toBe(3);
    await page.getByRole('button', { name: 'Submit ticket' }).click();
    await page.getByRole('heading', { name: title }).waitFor();
    expect(await page.locator('.ticket .eyebrow').textContent()).toContain(`Work Order API ${mode.version}`);

    const reply = page.getByRole('form', { name: 'Reply' });
    await reply.getByLabel('Your reply').fill('And the trace');
    const replyFile = makeTestFile('trace.txt', 60_000, 'text/plain');
    await fileInput(page).setInputFiles(toPayload([replyFile]));
    await expect.poll(() => rowsWithStatus(page, 'Uploaded').count(), { timeout: 20_000 }).toBe(1);
    await reply.getByRole('button', { name: 'Send reply' }).click();
    const replies = page.getByRole('region', { name: 'Replies' });
    await replies.getByRole('link', { name: 'trace.txt' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/demo-chain-${mode.version}.png`, fullPage: true });

    // The uploads went the mode's way (the keys are the ones that API issues), and the Work Order API
    // (the emulator behind the SDK) holds the ticket and the reply with them.
    const stored = await session.stack.objects();
    expect(stored).toHaveLength(4);
    for (const object of stored) expect(object.key).toMatch(mode.keyPattern);
    expect(await mode.storedAttachmentCounts(title)).toEqual([3, 1]);
    const ticketLinks = page.getByRole('list', { name: 'Attachments' }).first().getByRole('link');
    expect((await ticketLinks.allInnerTexts()).sort()).toEqual(files.map((each) => each.name).sort());
    for (const each of [...files, replyFile]) {
      const href = await page.getByRole('link', { name: each.name }).getAttribute('href');
      expect(href, `${each.name} links to a presigned GET`).toMatch(/[?&]Signature=/);
      const body = Buffer.from(await (await fetch(href as string)).arrayBuffer());
      expect(createHash('md5').update(body).digest('hex'), each.name).toBe(each.md5);
    }
  });
});

describe('the "Work Order API" setting in Chromium', () => {
  it('switching with files attached removes them, says why, deletes the uploads, and the next ticket goes through the other API', async () => {
    await page.getByLabel('Description').fill('Switch test');
    await fileInput(page).setInputFiles(toPayload([makeTestFile('before.txt', 5_000, 'text/plain')]));
    await rowsWithStatus(page, 'Uploaded').waitFor({ timeout: 20_000 });
    expect((await session.stack.objects()).map((object) => object.key)).toEqual([expect.stringMatching(API_MODES[0].keyPattern)]);

    await page.getByRole('radio', { name: API_MODES[1].choice }).check();
    const notice = page.getByRole('status').filter({ hasText: 'Attachments removed' });
    await notice.waitFor();
    expect(await notice.innerText()).toBe(
      'Attachments removed: files uploaded for Work Order API 2016-08-30 cannot be sent with 2021-06-10. Please attach them again.',
    );
    expect(await page.getByText('before.txt').count()).toBe(0);
    expect(await page.getByLabel('Description').inputValue()).toBe('Switch test');
    await expect.poll(async () => (await session.stack.objects()).length).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/demo-api-switched.png`, fullPage: true });

    await fileInput(page).setInputFiles(toPayload([makeTestFile('after.txt', 5_000, 'text/plain')]));
    await rowsWithStatus(page, 'Uploaded').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Submit ticket' }).click();
    await page.getByRole('link', { name: 'after.txt' }).waitFor();
    expect((await session.stack.currentTickets()).map((ticket) => ticket.description)).toEqual(['Switch test']);
    expect((await session.stack.objects()).map((object) => object.key)).toEqual([expect.stringMatching(API_MODES[1].keyPattern)]);
  });
});
