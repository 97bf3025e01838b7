import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import exifr from 'exifr';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateImage, ShrinkRun } from './harness/image-shrink/imageShrinkPage';
import { launchBrowser, type BrowserSession } from './support/launchBrowser';
import { startStaticServer, type StaticServer } from './support/staticServer';

// shrinkImageToFit in Chromium on real multi-megapixel images generated in the page (seeded noise and gradients,
// so they are as big as phone photos), one with an EXIF block like a phone's (orientation 6, GPS). The results
// are read back in Node with exifr, the same way a server would see the upload.

const here = path.dirname(fileURLToPath(import.meta.url));
const MAX_BYTES = 2 * 1024 * 1024;

let pageDir: string;
let pages: StaticServer;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  pageDir = await mkdtemp(path.join(tmpdir(), 'image-shrink-page-'));
  await build({
    entryPoints: [path.join(here, 'harness/image-shrink/imageShrinkPage.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile: path.join(pageDir, 'imageShrinkPage.js'),
    logLevel: 'silent',
  });
  await copyFile(path.join(here, 'harness/image-shrink/index.html'), path.join(pageDir, 'index.html'));
  [pages, browser] = await Promise.all([startStaticServer(pageDir), launchBrowser()]);
  page = await browser.context.newPage();
  await page.goto(`${pages.url}/index.html`);
  await page.waitForFunction(() => window.imageShrink !== undefined);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([browser?.close(), pages?.close()]);
  if (pageDir) await rm(pageDir, { recursive: true, force: true });
});

const generate = (spec: GenerateImage) => page.evaluate((spec) => window.imageShrink.generate(spec), spec);
const shrink = (name: string, options: Parameters<Window['imageShrink']['shrink']>[1]): Promise<ShrinkRun> =>
  page.evaluate(({ name, options }) => window.imageShrink.shrink(name, options), { name, options });

const PHONE_EXIF = {
  orientation: 6,
  make: 'TestPhone',
  gps: { latitude: [30, 15, 7], latitudeRef: 'N', longitude: [120, 9, 42], longitudeRef: 'E' },
} as const;

const exifOf = (bytes: Buffer) => exifr.parse(bytes, { tiff: true, ifd0: {}, gps: true, exif: true, translateValues: false });
const bytesOf = (run: ShrinkRun) => Buffer.from(run.base64 ?? '', 'base64');
const isRed = ([red, green, blue]: number[]) => (red as number) > 200 && (green as number) < 60 && (blue as number) < 60;

/** Where the stored image's red top-left square ends up, and a spot in its transparent top-right corner. */
const SPOTS: Record<string, [number, number]> = {
  topLeft: [0.02, 0.02],
  topRight: [0.98, 0.02],
  bottomLeft: [0.02, 0.98],
  bottomRight: [0.98, 0.98],
};

describe.each(['auto', 'main-thread'] as const)('shrinkImageToFit in Chromium (codec: %s)', (codec) => {
  it('shrinks a 4000×3000 phone JPEG under 2 MiB: orientation 6 applied to the pixels, EXIF (GPS, camera, orientation) gone, .jpg', async () => {
    const name = `IMG_${codec}.JPG`;
    const size = await generate({
      kind: 'photo',
      width: 4000,
      height: 3000,
      type: 'image/jpeg',
      name,
      noise: 40,
      quality: 0.95,
      exif: PHONE_EXIF,
    });
    expect(size).toBeGreaterThan(MAX_BYTES);
    // The input really carries what a phone writes (proves the EXIF helper and the reader agree).
    const head = Buffer.from(await page.evaluate((name) => window.imageShrink.headBase64(name, 65_536), name), 'base64');
    expect(await exifOf(head)).toMatchObject({ Orientation: 6, Make: 'TestPhone', GPSLatitudeRef: 'N', GPSLatitude: [30, 15, 7] });

    const run = await shrink(name, { maxBytes: MAX_BYTES, codec, spots: SPOTS, withBytes: true });

    expect(run.error).toBeUndefined();
    expect(run).toMatchObject({ ok: true, name: `IMG_${codec}.jpg`, type: 'image/jpeg', originalSize: size });
    expect(run.size).toBeLessThanOrEqual(MAX_BYTES * 0.97);
    expect(bytesOf(run).length).toBe(run.size);
    // auto: decoded, resized and encoded in the worker (start-up, probe, render, encodes all answered from there).
    if (codec === 'auto') expect(run.workerMessages).toBeGreaterThan(3);
    else expect(run.workerMessages).toBe(0);
    // Portrait now (3000×4000 scaled), and the decoded result has the dimensions it reports.
    expect(run.decoded).toEqual({ width: run.width, height: run.height });
    expect(Math.abs((run.width as number) / (run.height as number) - 0.75)).toBeLessThan(0.01);
    expect(Math.max(run.width as number, run.height as number)).toBeGreaterThanOrEqual(1280);
    // Turned 90° clockwise: the stored top-left square is now at the top-right.
    expect(isRed(run.pixels?.topRight as number[])).toBe(true);
    expect(isRed(run.pixels?.topLeft as number[])).toBe(false);
    // Nothing of the EXIF block survives the re-encode (docs/image-shrinking.md §2 "Metadata").
    const bytes = bytesOf(run);
    expect(await exifOf(bytes)).toBeUndefined();
    expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
    expect(bytes.includes(Buffer.from('Exif\0\0'))).toBe(false);
    expect(bytes.includes(Buffer.from('TestPhone'))).toBe(false);
  });

  it('shrinks a 4000×3000 noisy PNG with a transparent corner: WebP keeps the transparency, or JPEG paints it white', async () => {
    const name = `scan-${codec}.final.png`;
    const size = await generate({ kind: 'photo', width: 4000, height: 3000, type: 'image/png', name, noise: 60, transparentCorner: 400 });
    expect(size).toBeGreaterThan(MAX_BYTES);

    const run = await shrink(name, { maxBytes: MAX_BYTES, codec, spots: SPOTS });

    expect(run.error).toBeUndefined();
    expect(run.size).toBeLessThanOrEqual(MAX_BYTES * 0.97);
    expect(['image/webp', 'image/jpeg']).toContain(run.type);
    expect(run.name).toBe(`scan-${codec}.final.${run.type === 'image/webp' ? 'webp' : 'jpg'}`);
    expect(run.decoded).toEqual({ width: run.width, height: run.height });
    expect(Math.abs((run.width as number) / (run.height as number) - 4 / 3)).toBeLessThan(0.01);
    // No orientation to apply: the red square stays top-left.
    expect(isRed(run.pixels?.topLeft as number[])).toBe(true);
    const corner = run.pixels?.topRight as number[];
    if (run.type === 'image/webp') expect(corner[3]).toBe(0);
    else expect(corner.every((channel) => channel > 240)).toBe(true);
  });
});

describe('shrinkImageToFit in Chromium: failures', () => {
  it('rejects an image the browser cannot decode with image-not-decodable (a HEIC-typed file, a corrupt JPEG)', async () => {
    // An ISO-BMFF "ftyp heic" header followed by nothing decodable: what Chromium sees of an iPhone HEIC.
    await page.evaluate(() => {
      const ftyp = [
        0,
        0,
        0,
        24,
        ...Array.from('ftypheic', (c) => c.charCodeAt(0)),
        0,
        0,
        0,
        0,
        ...Array.from('mif1heic', (c) => c.charCodeAt(0)),
      ];
      window.imageShrink.addFile('IMG_5678.HEIC', 'image/heic', [...ftyp, ...Array.from({ length: 4096 }, (_, i) => (i * 31) % 256)]);
      window.imageShrink.addFile('broken.jpg', 'image/jpeg', [
        0xff,
        0xd8,
        0xff,
        0xe0,
        ...Array.from({ length: 4096 }, (_, i) => (i * 7) % 256),
      ]);
    });
    for (const name of ['IMG_5678.HEIC', 'broken.jpg']) {
      const run = await shrink(name, { maxBytes: MAX_BYTES });
      expect(run.ok).toBe(false);
      expect(run.error).toMatchObject({ name: 'UploadError', code: 'image-not-decodable' });
      expect(run.error?.message).toContain(name);
    }
  });

  it('rejects with image-cannot-shrink when the image only fits below the 1280 px floor', async () => {
    await generate({ kind: 'photo', width: 4000, height: 3000, type: 'image/jpeg', name: 'noisy.jpg', noise: 120, quality: 0.95 });
    const run = await shrink('noisy.jpg', { maxBytes: 60_000 });
    expect(run.ok).toBe(false);
    expect(run.error).toMatchObject({ name: 'UploadError', code: 'image-cannot-shrink' });
    expect(run.error?.message).toMatch(/1280|smallest dimensions/);
  });

  it('rejects with canceled when aborted before it starts and while it works', async () => {
    await generate({ kind: 'photo', width: 4000, height: 3000, type: 'image/jpeg', name: 'cancel.jpg', noise: 40, quality: 0.95 });
    for (const abortAfterMs of [0, 30]) {
      const run = await shrink('cancel.jpg', { maxBytes: MAX_BYTES, abortAfterMs });
      expect(run.ok).toBe(false);
      expect(run.error).toMatchObject({ name: 'UploadError', code: 'canceled' });
    }
  });
});
