import exifr from 'exifr';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildExifApp1, insertExifApp1 } from '../support/exifApp1';
import { openDemo, SCREENSHOTS, setUpDemoSession, type DemoSession } from './support/demoStack';
import { fileInput, rowsWithStatus } from './support/pageHelpers';

// "Shrink to fit" end to end: a phone-sized JPEG (4000×3000, EXIF orientation 6, camera and GPS tags) is dropped on the
// demo form, the user accepts the offer, the lazy shrinker runs in the page, and the file the OSS emulator stored is read
// back in Node: within the policy limit, decodable, upright, and without location or camera data.
const demo = setUpDemoSession({ beforeEachPage: openDemo });
let session: DemoSession;
let page: Page;
beforeEach(() => {
  ({ session, page } = demo);
});

const LIMIT = 2 * 1024 * 1024;

/** A 4000×3000 JPEG as a camera stores it (sideways), with a red square in the stored top-left corner. */
async function makeSidewaysPhoto(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(4000, 3000);
    const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    const gradient = context.createLinearGradient(0, 0, 4000, 3000);
    gradient.addColorStop(0, '#2a6f97');
    gradient.addColorStop(1, '#f4a261');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 4000, 3000);
    // Seeded noise, so the JPEG is as large as a phone photo (> 2 MiB) and the same on every run.
    const image = context.getImageData(0, 0, 4000, 3000);
    let seed = 12345;
    for (let index = 0; index < image.data.length; index += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const delta = (seed % 81) - 40;
      for (let channel = 0; channel < 3; channel += 1) image.data[index + channel] = (image.data[index + channel] ?? 0) + delta;
    }
    context.putImageData(image, 0, 0);
    context.fillStyle = '#ff0000';
    context.fillRect(0, 0, 400, 400);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
    return btoa(binary);
  });
  const app1 = buildExifApp1({
    orientation: 6,
    make: 'TestPhone',
    gps: { latitude: [30, 15, 7], latitudeRef: 'N', longitude: [120, 9, 42], longitudeRef: 'E' },
  });
  return Buffer.from(insertExifApp1(Buffer.from(base64, 'base64'), app1));
}

/** Decodes stored bytes in the page: size, and whether the pixel near each top corner is red. */
function inspectInPage(page: Page, bytes: Buffer) {
  return page.evaluate(async (base64) => {
    const blob = new Blob([Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))], { type: 'image/jpeg' });
    // `none`: the stored pixels as they are, so an upright result proves the orientation was applied before upload.
    const bitmap = await createImageBitmap(blob, { imageOrientation: 'none' });
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    context.drawImage(bitmap, 0, 0);
    const isRed = (x: number, y: number) => {
      const [red, green, blue] = context.getImageData(x, y, 1, 1).data as unknown as number[];
      return (red as number) > 200 && (green as number) < 60 && (blue as number) < 60;
    };
    const margin = 10;
    return {
      width: bitmap.width,
      height: bitmap.height,
      topLeftRed: isRed(margin, margin),
      topRightRed: isRed(bitmap.width - margin, margin),
    };
  }, bytes.toString('base64'));
}

describe('Shrink to fit in the demo (Chromium, local OSS stack)', () => {
  it('offers to shrink a 4000×3000 phone JPEG, stores an upright JPEG under the limit with no GPS or camera tags, and emits its key', async () => {
    const photo = await makeSidewaysPhoto(page);
    expect(photo.length).toBeGreaterThan(LIMIT);
    // The input carries what a phone writes, so the absence below means the shrinker removed it.
    expect(await exifr.parse(photo, { gps: true, translateValues: false })).toMatchObject({ Orientation: 6, Make: 'TestPhone' });

    await fileInput(page).setInputFiles([{ name: 'IMG_2041.JPG', mimeType: 'image/jpeg', buffer: photo }]);
    const offer = page.getByRole('button', { name: 'Shrink to fit (≤ 2 MB) IMG_2041.JPG' });
    await offer.waitFor();
    expect(await session.stack.requests()).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/demo-shrink-offer.png`, fullPage: true });
    await offer.click();

    const uploaded = rowsWithStatus(page, 'Uploaded');
    await uploaded.waitFor({ timeout: 120_000 });
    const rowText = await uploaded.innerText();
    expect(rowText).toContain('location data removed');
    expect(rowText).toMatch(/\d(\.\d)? MB → \d(\.\d)? MB/);
    await page.screenshot({ path: `${SCREENSHOTS}/demo-shrunk.png`, fullPage: true });

    const [stored, ...others] = await session.stack.objects();
    expect(others).toEqual([]);
    expect(stored?.key).toMatch(/\/IMG_2041\.jpg$/);
    expect(stored?.size).toBeLessThanOrEqual(LIMIT);

    await page.getByLabel('Title').fill('Shrunk photo');
    await page.getByLabel('Description').fill('Photo of the error screen');
    await page.getByRole('button', { name: 'Submit ticket' }).click();
    await page.getByRole('heading', { name: 'Shrunk photo' }).waitFor();
    // The path the form sent is exactly the stored object.
    expect((await session.stack.legacyTickets()).map((ticket) => ticket.attachments)).toEqual([[stored?.key]]);
    const href = await page.getByRole('link', { name: 'IMG_2041.jpg' }).first().getAttribute('href');
    const body = Buffer.from(await (await fetch(href as string)).arrayBuffer());
    expect(body.length).toBe(stored?.size);

    // Portrait and upright in its stored pixels: the red square the camera stored top-left is now top-right.
    const decoded = await inspectInPage(page, body);
    expect(decoded.height).toBeGreaterThan(decoded.width);
    expect(decoded).toMatchObject({ topRightRed: true, topLeftRed: false });
    // No EXIF left: no GPS, no camera, no orientation tag that would turn it a second time.
    expect(await exifr.parse(body, { gps: true, translateValues: false }).catch(() => undefined)).toBeUndefined();
    expect(body.includes(Buffer.from('TestPhone'))).toBe(false);
  });
});
