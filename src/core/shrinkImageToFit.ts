import type { ImageCodec } from './ImageCodec.js';
import type { ShrinkImage, ShrunkImage } from './ShrinkImage.js';
import type { Dimensions, FittedAttempt, ShrinkAttempt, ShrinkSearch } from './shrinkSearch.js';
import type { ShrunkImageType } from './shrunkImageName.js';
import { createMainThreadImageCodec } from './mainThreadImageCodec.js';
import { advanceShrinkSearch, startShrinkSearch, targetBytesFor } from './shrinkSearch.js';
import { shrunkImageName } from './shrunkImageName.js';
import type { UploadError as UploadErrorClass } from './UploadError.js';
import { createWorkerImageCodec } from './workerImageCodec.js';

/**
 * The lazy image-shrinking chunk: only ever reached through `loadImageShrinker` (a dynamic `import()`), so the
 * main bundle does not carry it. The decoding, resizing and encoding run in a worker on an OffscreenCanvas where
 * the page allows it, else on the main thread through the same asynchronous browser calls
 * (docs/image-shrinking.md §4 "Where the work runs"). The search for the size runs here: it is arithmetic.
 * `UploadError` is handed in by the loader rather than imported: a module that the chunk and the main bundle both
 * imported would become a third chunk that every page loads up front (its import/export glue cost 80 B gzip).
 */

/** Inputs that may carry transparency: they also try WebP, which keeps it. */
const ALPHA_CAPABLE_TYPES = new Set(['image/png', 'image/apng', 'image/webp', 'image/gif', 'image/avif']);

interface TypeOutcome {
  type: ShrunkImageType;
  search: ShrinkSearch;
  /** The encoded bytes of `search.best` when it fitted. */
  blob: Blob | undefined;
}

const canceled = (UploadError: typeof UploadErrorClass, signal: AbortSignal) =>
  new UploadError('canceled', 'Shrinking the image was canceled.', { cause: signal.reason });

/** `promise`, or `canceled` as soon as `signal` aborts (the caller then disposes the codec, which stops the work). */
function untilAborted<T>(UploadError: typeof UploadErrorClass, promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(canceled(UploadError, signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function encodingFailed(UploadError: typeof UploadErrorClass, type: ShrunkImageType) {
  return (error: unknown): never => {
    if (error instanceof UploadError) throw error;
    throw new UploadError('image-cannot-shrink', `The browser could not encode the image as ${type}.`, { cause: error });
  };
}

/** Runs the size search (docs/image-shrinking.md §5 "The size search") for one output type. */
async function searchType(
  codec: ImageCodec,
  file: File,
  original: Dimensions,
  type: ShrunkImageType,
  maxBytes: number,
  signal: AbortSignal | undefined,
  UploadError: typeof UploadErrorClass,
): Promise<TypeOutcome | undefined> {
  let search = startShrinkSearch({ ...original, originalBytes: file.size, maxBytes });
  const targetBytes = targetBytesFor(maxBytes);
  const fittingBlobs = new Map<string, Blob>();
  const key = (attempt: ShrinkAttempt) => `${attempt.width}x${attempt.height}@${attempt.quality}`;
  let rendered: Dimensions | undefined;
  while (search.status === 'encode') {
    const { attempt } = search;
    if (rendered?.width !== attempt.width || rendered.height !== attempt.height) {
      const resize = attempt.width !== original.width || attempt.height !== original.height;
      await untilAborted(UploadError, codec.render(file, attempt, resize, type === 'image/jpeg'), signal);
      rendered = { width: attempt.width, height: attempt.height };
    }
    const blob = await untilAborted(UploadError, codec.encode(type, attempt.quality), signal).catch(encodingFailed(UploadError, type));
    // Not the type asked for: this browser cannot encode it (docs/image-shrinking.md §3 "Type fallback"). Skip the type.
    if (blob.type !== type) return undefined;
    if (blob.size <= targetBytes) fittingBlobs.set(key(attempt), blob);
    search = advanceShrinkSearch(search, blob.size);
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

export interface ImageShrinkerOptions {
  /** Where the work runs: `auto` (a worker when the page allows one, else the main thread) or `main-thread`. */
  codec: 'auto' | 'main-thread';
  /** The class to reject with: the main bundle's, passed in by `loadImageShrinker` (see above). */
  UploadError: typeof UploadErrorClass;
}

/**
 * Re-encodes an image so that it fits `maxBytes` (with margin): EXIF orientation applied, metadata dropped
 * (docs/image-shrinking.md §2 "Metadata"), JPEG for photos, JPEG or WebP for images that may have alpha. The app's
 * shrinker is `createImageShrinker({ codec: 'auto', UploadError })`, built by `loadImageShrinker`; tests and the
 * bench also compare `main-thread`.
 */
export function createImageShrinker({ codec: where, UploadError }: ImageShrinkerOptions): ShrinkImage {
  return async (file, { maxBytes, signal }): Promise<ShrunkImage> => {
    if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw new RangeError(`maxBytes must be a positive number of bytes, got ${maxBytes}.`);
    if (signal?.aborted) throw canceled(UploadError, signal);
    const workerCodec = where === 'auto' ? createWorkerImageCodec(UploadError) : Promise.resolve(undefined);
    // Canceled while the worker starts: end it once it has.
    const endLateWorker = () => void workerCodec.then((late) => late?.dispose());
    signal?.addEventListener('abort', endLateWorker, { once: true });
    let started: ImageCodec | undefined;
    try {
      started = await untilAborted(UploadError, workerCodec, signal);
    } finally {
      signal?.removeEventListener('abort', endLateWorker);
    }
    const codec = started ?? createMainThreadImageCodec(UploadError);
    try {
      const original = await untilAborted(UploadError, codec.probe(file), signal);
      const types: ShrunkImageType[] = ALPHA_CAPABLE_TYPES.has(file.type) ? ['image/webp', 'image/jpeg'] : ['image/jpeg'];
      let chosen: TypeOutcome | undefined;
      let lastFailure: TypeOutcome | undefined;
      for (const type of types) {
        const outcome = await searchType(codec, file, original, type, maxBytes, signal, UploadError);
        if (outcome === undefined) continue;
        if (outcome.search.status === 'fitted') chosen = preferred(chosen, outcome);
        else lastFailure = outcome;
      }
      if (signal?.aborted) throw canceled(UploadError, signal);
      if (chosen?.search.status !== 'fitted' || chosen.blob === undefined) {
        throw new UploadError('image-cannot-shrink', describeFailure(lastFailure, maxBytes));
      }
      const { best } = chosen.search;
      return {
        file: new File([chosen.blob], shrunkImageName(file.name, chosen.type), { type: chosen.type, lastModified: file.lastModified }),
        originalSize: file.size,
        width: best.width,
        height: best.height,
      };
    } catch (error) {
      if (error instanceof UploadError) throw error;
      // The promised codes only: a worker that died (out of memory on a huge image), a canvas the browser refused.
      throw new UploadError('image-cannot-shrink', `Re-encoding the image failed: ${String(error)}`, { cause: error });
    } finally {
      codec.dispose();
    }
  };
}
