import type { ShrinkImage, ShrunkImage } from './ShrinkImage.js';
import type { FittedAttempt, ShrinkAttempt, ShrinkSearch } from './shrinkSearch.js';
import type { ShrunkImageType } from './shrunkImageName.js';
import { UploadError, UploadErrorCode } from './UploadError.js';
import { advanceShrinkSearch, startShrinkSearch, targetBytesFor } from './shrinkSearch.js';
import { shrunkImageName } from './shrunkImageName.js';

/**
 * The lazy image-shrinking chunk: only ever reached through `loadImageShrinker` (a dynamic `import()`), so the
 * main bundle does not carry it. Everything here runs on the main thread but hands the heavy work to the browser's
 * asynchronous primitives (docs/image-shrinking.md §4 "Where the work runs"): decoding and resizing in
 * `createImageBitmap` (off the main thread in Chromium), encoding in `convertToBlob` / `toBlob`. What stays on the
 * main thread is one `drawImage` per tried size.
 */

/** Inputs that may carry transparency: they also try WebP, which keeps it. */
const ALPHA_CAPABLE_TYPES = new Set(['image/png', 'image/apng', 'image/webp', 'image/gif', 'image/avif']);

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;

interface TypeOutcome {
  type: ShrunkImageType;
  search: ShrinkSearch;
  /** The encoded bytes of `search.best` when it fitted. */
  blob: Blob | undefined;
}

const canceled = (signal: AbortSignal) =>
  new UploadError(UploadErrorCode.Canceled, 'Shrinking the image was canceled.', { cause: signal.reason });

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw canceled(signal);
}

/**
 * `promise`, or `canceled` as soon as `signal` aborts. A value that arrives after the abort is handed to
 * `dispose` (an ImageBitmap holds its decoded pixels until closed: tens of MB for a phone photo).
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, dispose?: (value: T) => void): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(canceled(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) dispose?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? canceled(signal) : error);
      },
    );
  });
}

/**
 * Decodes `file` with its EXIF orientation applied (docs/image-shrinking.md §1 "EXIF orientation"): the default
 * `imageOrientation` was `none` in older Chromium and is `from-image` now, so it is always asked for explicitly.
 * With `size`, the browser resizes while decoding (`resizeQuality: 'high'`), off the main thread in Chromium.
 */
async function decode(
  file: File,
  size: { width: number; height: number } | undefined,
  signal: AbortSignal | undefined,
): Promise<ImageBitmap> {
  if (typeof createImageBitmap !== 'function') {
    throw new UploadError(
      UploadErrorCode.ImageNotDecodable,
      'This browser has no createImageBitmap, so it cannot decode images to shrink them.',
    );
  }
  const options: ImageBitmapOptions = { imageOrientation: 'from-image' };
  if (size) Object.assign(options, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' });
  try {
    return await untilAborted(createImageBitmap(file, options), signal, (bitmap) => bitmap.close());
  } catch (error) {
    if (error instanceof UploadError) throw error;
    throw new UploadError(
      UploadErrorCode.ImageNotDecodable,
      `This browser cannot decode "${file.name}" (${file.type || 'no type'}), so it cannot be shrunk.`,
      { cause: error },
    );
  }
}

function createCanvas(width: number, height: number): AnyCanvas {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** Lets the browser free a canvas's pixels now rather than at garbage collection (Safari caps total canvas memory). */
function releaseCanvas(canvas: AnyCanvas): void {
  canvas.width = 0;
  canvas.height = 0;
}

/** The image at `attempt`'s dimensions on a canvas; JPEG has no alpha, so transparent pixels become white, not black. */
async function renderAt(
  file: File,
  attempt: ShrinkAttempt,
  original: { width: number; height: number },
  type: ShrunkImageType,
  signal: AbortSignal | undefined,
): Promise<AnyCanvas> {
  const resize = attempt.width === original.width && attempt.height === original.height ? undefined : attempt;
  const bitmap = await decode(file, resize, signal);
  try {
    const canvas = createCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { alpha: type !== 'image/jpeg' }) as
      OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!context) throw new UploadError(UploadErrorCode.ImageCannotShrink, 'This browser gave no 2D canvas to re-encode the image on.');
    if (type === 'image/jpeg') {
      context.fillStyle = '#fff';
      context.fillRect(0, 0, canvas.width, canvas.height);
    }
    context.drawImage(bitmap, 0, 0);
    return canvas;
  } finally {
    bitmap.close();
  }
}

/**
 * Encodes the canvas asynchronously. The browser may not support `type` and silently answer PNG instead
 * (docs/image-shrinking.md §3 "Type fallback"): the caller checks `blob.type`.
 */
function encode(canvas: AnyCanvas, type: ShrunkImageType, quality: number, signal: AbortSignal | undefined): Promise<Blob> {
  const encoding =
    'convertToBlob' in canvas
      ? canvas.convertToBlob({ type, quality })
      : new Promise<Blob>((resolve, reject) => {
          canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toBlob answered null'))), type, quality);
        });
  return untilAborted(encoding, signal).catch((error: unknown) => {
    if (error instanceof UploadError) throw error;
    throw new UploadError(UploadErrorCode.ImageCannotShrink, `The browser could not encode the image as ${type}.`, { cause: error });
  });
}

/** Runs the size search (docs/image-shrinking.md §5 "The size search") for one output type. */
async function searchType(
  file: File,
  original: { width: number; height: number },
  type: ShrunkImageType,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<TypeOutcome | undefined> {
  let search = startShrinkSearch({ ...original, originalBytes: file.size, maxBytes });
  const targetBytes = targetBytesFor(maxBytes);
  const fittingBlobs = new Map<string, Blob>();
  const key = (attempt: ShrinkAttempt) => `${attempt.width}x${attempt.height}@${attempt.quality}`;
  let canvas: AnyCanvas | undefined;
  try {
    while (search.status === 'encode') {
      const { attempt } = search;
      if (!canvas || canvas.width !== attempt.width || canvas.height !== attempt.height) {
        if (canvas) releaseCanvas(canvas);
        canvas = undefined;
        canvas = await renderAt(file, attempt, original, type, signal);
      }
      const blob = await encode(canvas, type, attempt.quality, signal);
      // Not the type asked for: this browser cannot encode it (Safari answers PNG for WebP). Skip the type.
      if (blob.type !== type) return undefined;
      if (blob.size <= targetBytes) fittingBlobs.set(key(attempt), blob);
      search = advanceShrinkSearch(search, blob.size);
    }
  } finally {
    if (canvas) releaseCanvas(canvas);
  }
  return { type, search, blob: search.status === 'fitted' ? fittingBlobs.get(key(search.best)) : undefined };
}

const pixels = (fit: FittedAttempt) => fit.width * fit.height;

/** The larger image wins, then the higher quality; on a tie the earlier type (WebP, which keeps alpha). */
function preferred(a: TypeOutcome | undefined, b: TypeOutcome): TypeOutcome {
  if (a?.search.status !== 'fitted') return b;
  if (b.search.status !== 'fitted') return a;
  const [fitA, fitB] = [a.search.best, b.search.best];
  if (pixels(fitA) !== pixels(fitB)) return pixels(fitA) > pixels(fitB) ? a : b;
  return fitB.quality > fitA.quality ? b : a;
}

function describeFailure(outcome: TypeOutcome | undefined, maxBytes: number): string {
  const limit = `${maxBytes} bytes`;
  if (outcome?.search.status !== 'cannot-shrink') return `The image cannot be re-encoded to fit ${limit} in this browser.`;
  const { smallest, reason } = outcome.search;
  const tried = `${smallest.width}×${smallest.height} at quality ${smallest.quality} is still ${smallest.bytes} bytes`;
  return reason === 'below-floor'
    ? `The image only fits ${limit} below the smallest dimensions we accept: ${tried}.`
    : `The image did not fit ${limit} within the encode budget: ${tried}.`;
}

/**
 * Re-encodes an image so that it fits `maxBytes` (with margin): EXIF orientation applied, metadata dropped
 * (docs/image-shrinking.md §2 "Metadata"), JPEG for photos, JPEG or WebP for images that may have alpha.
 */
export const shrinkImageToFit: ShrinkImage = async (file, { maxBytes, signal }): Promise<ShrunkImage> => {
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw new RangeError(`maxBytes must be a positive number of bytes, got ${maxBytes}.`);
  throwIfAborted(signal);
  const probe = await decode(file, undefined, signal);
  const original = { width: probe.width, height: probe.height };
  probe.close();

  const types: ShrunkImageType[] = ALPHA_CAPABLE_TYPES.has(file.type) ? ['image/webp', 'image/jpeg'] : ['image/jpeg'];
  let chosen: TypeOutcome | undefined;
  let lastFailure: TypeOutcome | undefined;
  for (const type of types) {
    const outcome = await searchType(file, original, type, maxBytes, signal);
    if (outcome === undefined) continue;
    if (outcome.search.status === 'fitted') chosen = preferred(chosen, outcome);
    else lastFailure = outcome;
  }
  throwIfAborted(signal);
  if (chosen?.search.status !== 'fitted' || chosen.blob === undefined) {
    throw new UploadError(UploadErrorCode.ImageCannotShrink, describeFailure(lastFailure, maxBytes));
  }
  const { best } = chosen.search;
  return {
    file: new File([chosen.blob], shrunkImageName(file.name, chosen.type), { type: chosen.type, lastModified: file.lastModified }),
    originalSize: file.size,
    width: best.width,
    height: best.height,
  };
};
