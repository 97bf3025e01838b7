/**
 * An in-browser stand-in for the lazy image shrinker, injected through the uploader's `shrinkImage`
 * prop: the stories show the offer, "Shrinking…" and before → after without decoding anything.
 */
import { makeFile } from '../../fixtures';
import type { ShrinkImage } from '../../src/core/ShrinkImage';
import { UploadError, UploadErrorCode } from '../../src/core/UploadError';

/** Takes `durationMs` (abortable, like the real one), then answers a JPEG of about 95 % of the limit under the same name. */
export function createFakeShrinkImage({ durationMs = 1_200 }: { durationMs?: number } = {}): ShrinkImage {
  return (file, { maxBytes, signal }) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const name = file.name.replace(/\.[^.]*$/, '') + '.jpg';
        resolve({ file: makeFile(name, Math.floor(maxBytes * 0.95), 'image/jpeg'), originalSize: file.size, width: 2048, height: 1536 });
      }, durationMs);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(new UploadError(UploadErrorCode.Canceled, 'The shrink was canceled.'));
        },
        { once: true },
      );
    });
}
