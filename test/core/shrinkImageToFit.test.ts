import { describe, expect, it } from 'vitest';
import { createImageShrinker } from '../../src/core/shrinkImageToFit';
import { UploadError } from '../../src/core/UploadError';

// The Chromium behaviour is in test/browser/imageShrink.test.ts; here, what holds where the browser APIs are missing.
const shrinkImageToFit = createImageShrinker({ codec: 'auto', UploadError });
const photo = () => new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], 'IMG_0001.JPG', { type: 'image/jpeg' });

describe('shrinkImageToFit without browser image APIs (Node: no Worker, no createImageBitmap)', () => {
  it('rejects with image-not-decodable: this environment cannot decode images', async () => {
    await expect(shrinkImageToFit(photo(), { maxBytes: 2 * 1024 * 1024 })).rejects.toMatchObject({
      name: 'UploadError',
      code: 'image-not-decodable',
    });
  });

  it('rejects with canceled when the signal has already aborted', async () => {
    await expect(shrinkImageToFit(photo(), { maxBytes: 2 * 1024 * 1024, signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'UploadError',
      code: 'canceled',
    });
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects maxBytes %s with a RangeError', async (maxBytes) => {
    await expect(shrinkImageToFit(photo(), { maxBytes })).rejects.toThrow(RangeError);
  });
});
