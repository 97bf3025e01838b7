import { mkdir } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, setUpDemoSession, type DemoSession } from './support/demoStack';
import { openHarness } from './support/harnessPage';
import { toPayload } from './support/pageHelpers';
import { makePng, makeTestFile, type TestFile } from './support/testFiles';

// What a user sees with long file names on a phone and on a desktop: nothing may push the uploader
// wider than its container, and each row's buttons stay next to its name. The harness's scripted
// transport (test/browser/harness/scriptedSend.ts) holds each file in the state its name asks for.
const demo = setUpDemoSession();
let session: DemoSession;
let page: Page;
beforeEach(() => {
  ({ session, page } = demo);
});

const LONG = 'quarterly-financial-report-final-version-reviewed-by-legal-and-compliance-2025-01-15';
const UNBROKEN = 'AVeryLongFileNameWithoutAnySpacesOrHyphensThatCannotBreakAnywhereAtAll';

/** One file per row state (concurrency 3: two held uploads and a held "Saving…" fill the slots, so the last one waits). */
function longNamedFiles(): TestFile[] {
  return [
    makeTestFile(`${LONG}-done.txt`, 389, 'text/plain'),
    makePng(`Screenshot_2025-01-15_at_14.30.22_from_the_ticketing_console_after_the_crash_fail.png`),
    makeTestFile(`${LONG}-hold.pdf`, 250_000, 'application/pdf'),
    makeTestFile(`${UNBROKEN}_saving.zip`, 120_000, 'application/zip'),
    makeTestFile(`${UNBROKEN}_hold.log`, 4_000, 'text/plain'),
    makeTestFile(`${LONG}-waiting-hold.txt`, 1_000, 'text/plain'),
    // Over the 2 MB limit: listed under "Not attached".
    makeTestFile(`${UNBROKEN}_too_large.zip`, 2_500_000, 'application/zip'),
  ];
}

const WIDTHS = [320, 375, 1280];
const ACCEPT = JSON.stringify({ 'image/*': [], 'application/pdf': ['.pdf'], 'text/plain': ['.txt', '.log'], 'application/zip': ['.zip'] });

async function showLongNames(page: Page, options: Record<string, string | number> = {}) {
  await openHarness(page, session.stack, { send: 'scripted', maxFiles: 8, maxAttempts: 1, accept: ACCEPT, ...options });
  await page.locator('input[type="file"]').setInputFiles(toPayload(longNamedFiles()));
  const list = page.getByRole('list', { name: options.locale === 'zh-CN' ? '附件' : 'Attachments' });
  await expect.poll(() => list.getByRole('listitem').count()).toBe(6);
  await expect.poll(() => page.locator('.taup-row[data-status="failed"]').count()).toBe(1);
  await expect.poll(() => page.locator('.taup-row[data-status="done"]').count()).toBe(1);
  await expect.poll(() => page.locator('.taup-row[data-status="queued"]').count()).toBe(1);
  await expect.poll(() => page.getByRole('progressbar').count()).toBe(3);
  await page.evaluate(() => document.fonts.ready);
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Widths that overflow, and each row's text body and button boxes, read from the page. */
function measure(page: Page) {
  return page.evaluate(() => {
    const box = (element: Element): Box => {
      const { left, right, top, bottom } = element.getBoundingClientRect();
      return { left, right, top, bottom };
    };
    const root = document.querySelector('.taup') as HTMLElement;
    const rejections = document.querySelector('.taup-rejections') as HTMLElement | null;
    return {
      root: { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth },
      rejections: rejections && { scrollWidth: rejections.scrollWidth, clientWidth: rejections.clientWidth },
      page: { scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth },
      rows: [...document.querySelectorAll('.taup-row')].map((row) => ({
        status: row.getAttribute('data-status'),
        row: box(row),
        body: box(row.querySelector('.taup-row-body') as Element),
        buttons: [...row.querySelectorAll('button')].map((button) => ({ text: button.textContent, ...box(button) })),
      })),
    };
  });
}

async function screenshot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

describe('uploader layout with long file names in Chromium', () => {
  it.each(WIDTHS)("never grows wider than the screen at %i px, and keeps Retry/Cancel/Remove on each row's line", async (width) => {
    await page.setViewportSize({ width, height: 1_400 });
    await showLongNames(page);
    await screenshot(page, `uploader-long-names-${width}`);

    const { root, rejections, page: pageWidths, rows } = await measure(page);
    expect(root.scrollWidth).toBeLessThanOrEqual(root.clientWidth);
    expect(rejections).not.toBeNull();
    expect(rejections?.scrollWidth).toBeLessThanOrEqual(rejections?.clientWidth ?? 0);
    expect(pageWidths.scrollWidth).toBeLessThanOrEqual(pageWidths.clientWidth);
    expect(rows.map((row) => row.status).sort()).toEqual(['done', 'failed', 'queued', 'uploading', 'uploading', 'uploading']);
    for (const { status, row, body, buttons } of rows) {
      expect(buttons.length, `${status} row`).toBeGreaterThan(0);
      for (const button of buttons) {
        const where = `"${button.text}" of the ${status} row at ${width} px`;
        // Beside the text, inside the row, and level with it: not wrapped onto a line of its own.
        expect(button.left, where).toBeGreaterThanOrEqual(body.right - 0.5);
        expect(button.right, where).toBeLessThanOrEqual(row.right);
        expect(button.top, where).toBeLessThan(body.bottom);
        expect(button.bottom, where).toBeGreaterThan(body.top);
      }
    }
  });

  it.each([320, 1280])('stays readable without the stylesheet at %i px: separate lines, announcements hidden', async (width) => {
    await page.setViewportSize({ width, height: 1_400 });
    await showLongNames(page, { unstyled: 1 });
    await screenshot(page, `uploader-unstyled-${width}`);

    // The live region holds announcements by now, yet takes no room on screen.
    const status = page.getByRole('status');
    expect(await status.textContent()).toContain('uploaded.');
    const box = await status.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(1);
    expect(box?.height).toBeLessThanOrEqual(1);
    // Rendered text (innerText) keeps words apart: no "Attach filesDrag files…" or "report.txt389 B".
    const zone = await page.locator('.taup-dropzone').innerText();
    expect(zone).toMatch(/Attach files\s*\n\s*Drag files here/);
    expect(zone).toMatch(/browse\s*\n\s*Up to 8 files/);
    expect(zone).toContain('images, .pdf, .txt, .log, .zip');
    const done = await page.locator('.taup-row[data-status="done"]').innerText();
    expect(done).toMatch(/-done\.txt 389 B\s*\n\s*Uploaded\s*\n\s*Remove/);
    const failed = await page.locator('.taup-row[data-status="failed"]').innerText();
    expect(failed).toMatch(/Retry Remove/);
    expect(await page.getByRole('group', { name: 'Not attached' }).innerText()).toMatch(/^Not attached Dismiss\n/);
  });

  it.each([375, 1280])('shows the zh-CN strings in context at %i px (Noto Sans SC served to the page)', async (width) => {
    await page.setViewportSize({ width, height: 1_400 });
    await showLongNames(page, { locale: 'zh-CN', font: 'cjk' });
    const fontUsed = await page.evaluate(() => document.fonts.check("16px 'Noto Sans SC'", '附件'));
    expect(fontUsed).toBe(true);
    await screenshot(page, `uploader-zh-CN-${width}`);
    const { root, page: pageWidths } = await measure(page);
    expect(root.scrollWidth).toBeLessThanOrEqual(root.clientWidth);
    expect(pageWidths.scrollWidth).toBeLessThanOrEqual(pageWidths.clientWidth);
  });

  it.each(['en', 'zh-CN'])('shows a missing authorization route once, with its status (%s)', async (locale) => {
    await page.setViewportSize({ width: 375, height: 900 });
    await openHarness(page, session.stack, { send: 'scripted', locale, font: 'cjk', authorizationUrl: '/api/no-such-route' });
    await page.locator('input[type="file"]').setInputFiles(toPayload([makeTestFile(`${LONG}.pdf`, 2_000, 'application/pdf')]));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await page.locator('.taup-row[data-status="failed"]').waitFor();
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, `uploader-authorization-404-${locale}`);
    expect(await alert.innerText()).toContain('404');
  });
});
