import { mkdir } from 'node:fs/promises';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatViolations, runAxe } from './support/axe';
import { openDemo, SCREENSHOTS, setUpDemoSession } from './support/demoStack';
import { toPayload } from './support/pageHelpers';
import { makeTestFile } from './support/testFiles';

// The demo's "Work Order API" setting and the Work Order API faults, as a person sees them: both
// languages, a phone and a desktop width, with files attached while the API is switched.
const demo = setUpDemoSession({ beforeEachPage: openDemo });
let page: Page;
beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
});
beforeEach(() => {
  ({ page } = demo);
});

const LOCALES = {
  en: {
    button: 'English',
    fileInput: 'Choose files to attach',
    list: 'Attachments',
    group: 'Work Order API',
    post: '2016-08-30 (POST policy)',
    put: '2021-06-10 (presigned PUT)',
    uploaded: 'Uploaded',
    notice: 'Attachments removed',
    faults: 'Answer SYSTEM_BUSY to the next 2016-08-30 call',
  },
  'zh-CN': {
    button: '简体中文',
    fileInput: '选择要添加的附件',
    list: '附件',
    group: '工单 API',
    post: '2016-08-30（POST 策略）',
    put: '2021-06-10（预签名 PUT）',
    uploaded: '已上传',
    notice: '附件已移除',
    faults: '让下一次 2016-08-30 调用返回 SYSTEM_BUSY',
  },
} as const;

/** The machine may have no Chinese font: the screenshots use the one the project ships for tests. */
async function useCjkFont(page: Page): Promise<void> {
  const base = new URL(page.url()).origin;
  for (const weight of ['400', '600']) await page.addStyleTag({ url: `${base}/node_modules/@fontsource/noto-sans-sc/${weight}.css` });
  await page.addStyleTag({ content: ":root { font-family: 'Noto Sans SC', sans-serif; }" });
  await page.evaluate(() => document.fonts.ready);
}

/** Elements of `selector` whose right edge passes the viewport's (cut off or forcing a sideways scroll). */
function overflowing(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll(selector)]
      .filter((element) => element.getBoundingClientRect().right > width + 0.5)
      .map((element) => element.outerHTML.slice(0, 80));
  }, selector);
}

describe.each(Object.entries(LOCALES))('the "Work Order API" setting in %s', (locale, text) => {
  it.each([375, 1280])(
    'at %i px: labelled radios, a switch with a file attached says so, nothing overflows, no axe violations',
    async (width) => {
      await page.setViewportSize({ width, height: 900 });
      await page.getByRole('button', { name: text.button }).click();
      if (locale === 'zh-CN') await useCjkFont(page);

      const setting = page.getByRole('group', { name: text.group });
      const post = setting.getByRole('radio', { name: text.post });
      const put = setting.getByRole('radio', { name: text.put });
      expect(await post.isChecked()).toBe(true);
      expect(await put.isChecked()).toBe(false);

      // Keyboard: the arrow keys move the choice inside the group, as in any radio group.
      await post.focus();
      await page.keyboard.press('ArrowDown');
      expect(await put.isChecked()).toBe(true);
      await page.getByLabel(text.fileInput).setInputFiles(toPayload([makeTestFile('attached.txt', 2_000, 'text/plain')]));
      await page
        .getByRole('list', { name: text.list })
        .getByRole('listitem')
        .filter({ hasText: text.uploaded })
        .waitFor({ timeout: 20_000 });
      await post.check();
      await page.getByRole('status').filter({ hasText: text.notice }).waitFor();
      expect(await page.getByRole('button', { name: text.faults }).isVisible()).toBe(true);

      await page.screenshot({ path: `${SCREENSHOTS}/demo-api-setting-${locale}-${width}.png`, fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      expect(await overflowing(page, '.sidebar *, .form-notice')).toEqual([]);
      const violations = await runAxe(page);
      expect(violations, formatViolations(violations)).toEqual([]);
    },
  );
});

describe('the Work Order API faults in the network panel', () => {
  it('ILLEGAL_AUTH from add shows its reason, keeps the form, and the next submit goes through', async () => {
    await page.getByRole('button', { name: 'Answer ILLEGAL_AUTH to the next 2016-08-30 call' }).click();
    await page.getByRole('status').filter({ hasText: 'ILLEGAL_AUTH pending: 1' }).waitFor();
    await page.getByLabel('Title').fill('Refused once');
    await page.getByLabel('Description').fill('The API refuses the first add');
    await page.getByLabel('Choose files to attach').setInputFiles(toPayload([makeTestFile('kept.txt', 2_000, 'text/plain')]));
    await page
      .getByRole('list', { name: 'Attachments' })
      .getByRole('listitem')
      .filter({ hasText: 'Uploaded' })
      .waitFor({ timeout: 20_000 });

    const submit = page.getByRole('button', { name: 'Submit ticket' });
    await submit.click();
    const alert = page.getByRole('alert').filter({ hasText: /./ });
    await alert.waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/demo-work-order-illegal-auth.png`, fullPage: true });
    expect(await alert.innerText()).toContain('ILLEGAL_AUTH');
    expect(await page.getByLabel('Description').inputValue()).toBe('The API refuses the first add');
    expect(await demo.session.stack.legacyTickets()).toEqual([]);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'ILLEGAL_AUTH pending' }).count(), { timeout: 10_000 }).toBe(0);

    await submit.click();
    await page.getByRole('heading', { name: 'Refused once' }).waitFor();
    await page.getByRole('link', { name: 'kept.txt' }).waitFor();
    expect((await demo.session.stack.legacyTickets()).map((ticket) => ticket.attachments.length)).toEqual([1]);
  });
});
