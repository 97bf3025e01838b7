/**
 * The pure part of `shrinkImageToFit` (docs/image-shrinking.md §5 "The size search"): which dimensions and quality
 * to encode next, given the sizes the encoder answered so far. No browser API here, so the search is tested on its
 * own (test/core/shrinkSearch.test.ts).
 *
 * Per level of dimensions it tries the top quality, then the bottom one, then bisects between the highest
 * quality that fitted and the lowest that did not. When even the bottom quality is too big it steps the
 * dimensions down (by the area the measured size says is needed, at most ×0.8 per side) and starts again,
 * never below the long-edge floor; when the top quality fits with room to spare it steps them up instead. Every
 * step counts against a fixed encode budget.
 */

/** Encoder quality range (`toBlob`/`convertToBlob` take 0..1). Below 0.6 JPEG blocking shows on text and edges. */
export const MIN_QUALITY = 0.6;
/** Above 0.92 the bytes grow fast for no visible gain (0.92 is also the browsers' default JPEG quality). */
export const MAX_QUALITY = 0.92;
/** Bisection stops when the fitting and the failing quality are this close. */
export const QUALITY_PRECISION = 0.04;
/** At most this many encodes per output type: each one re-encodes a multi-megapixel image (hundreds of ms). */
export const MAX_ENCODES = 8;
/**
 * The result must come in under `maxBytes × TARGET_RATIO`: the upload policy's `content-length-range` compares
 * exact bytes of the file part (docs/oss-protocol.md §2 "content-length-range"), and a margin keeps a file that
 * fits from being refused on a rounding of the limit.
 */
export const TARGET_RATIO = 0.97;
/**
 * The smallest long edge we produce. A phone screenshot or a photo of an error message becomes unreadable much
 * below 1280 px (720p's long edge); an image that only fits smaller is rejected (`image-cannot-shrink`) rather than
 * uploaded ruined. An image that is smaller than this to begin with keeps its own size as the floor.
 */
export const MIN_LONG_EDGE = 1280;
/** Each dimension step keeps at most this fraction of each side (×0.64 of the pixels). */
export const DIMENSION_STEP = 0.8;
/**
 * First guess of the encoded size per pixel at the bottom quality, as a fraction of the original's bytes per pixel:
 * re-encoding at quality 0.6 takes about half the bytes of a camera's ~0.9 JPEG. Only the starting point depends on
 * it.
 */
const MIN_QUALITY_SIZE_RATIO = 0.5;
/** When stepping from a measured size, aim this far under the target (sizes do not scale exactly with area). */
const STEP_SAFETY = 0.9;
/**
 * A top-quality result under this fraction of the target leaves room for more pixels: the first guess was too
 * small (it is for lossless inputs such as PNG, whose bytes per pixel say little about a lossy encode), so the
 * search steps the dimensions up instead of stopping there.
 */
const ROOM_TO_GROW = 0.75;

export interface Dimensions {
  width: number;
  height: number;
}

export interface ShrinkAttempt extends Dimensions {
  /** Encoder quality, 0..1, two decimals. */
  quality: number;
}

export interface FittedAttempt extends ShrinkAttempt {
  bytes: number;
}

interface Searching {
  status: 'encode';
  /** What to encode next. */
  attempt: ShrinkAttempt;
  targetBytes: number;
  floorLongEdge: number;
  /** The original dimensions: never upscaled past. */
  original: Dimensions;
  /** Set once a level was too big even at the bottom quality: from then on the dimensions only go down. */
  steppedDown: boolean;
  encodes: number;
  /** Highest quality that fitted at the current dimensions. */
  fittedQuality: number | undefined;
  /** Lowest quality that did not fit at the current dimensions. */
  failedQuality: number | undefined;
  best: FittedAttempt | undefined;
}

export type ShrinkSearch =
  | Searching
  | { status: 'fitted'; best: FittedAttempt; encodes: number }
  | { status: 'cannot-shrink'; reason: 'below-floor' | 'out-of-encodes'; encodes: number; smallest: FittedAttempt };

export interface ShrinkSearchInput extends Dimensions {
  /** Size of the original file, for the first guess of the dimensions. */
  originalBytes: number;
  /** The size limit; the search aims under `maxBytes × TARGET_RATIO`. */
  maxBytes: number;
}

const roundQuality = (quality: number) => Math.round(quality * 100) / 100;
const longEdge = (size: Dimensions) => Math.max(size.width, size.height);

/** `size` scaled by `scale` (≤ 1), aspect kept, long edge not below `floorLongEdge`, whole pixels, at least 1. */
export function scaleDimensions(size: Dimensions, scale: number, floorLongEdge = 0): Dimensions {
  const floorScale = Math.min(1, floorLongEdge / longEdge(size));
  const applied = Math.min(1, Math.max(scale, floorScale));
  return {
    width: Math.max(1, Math.round(size.width * applied)),
    height: Math.max(1, Math.round(size.height * applied)),
  };
}

export function targetBytesFor(maxBytes: number): number {
  return Math.floor(maxBytes * TARGET_RATIO);
}

/** The first attempt: the dimensions whose pixel count should fit at the bottom quality, at the top quality. */
export function startShrinkSearch(input: ShrinkSearchInput): ShrinkSearch {
  const targetBytes = targetBytesFor(input.maxBytes);
  const pixels = input.width * input.height;
  const estimatedBytes = input.originalBytes * MIN_QUALITY_SIZE_RATIO;
  const scale = estimatedBytes <= targetBytes ? 1 : Math.sqrt(targetBytes / estimatedBytes);
  const floorLongEdge = Math.min(MIN_LONG_EDGE, longEdge(input));
  const start = pixels === 0 ? input : scaleDimensions(input, scale, floorLongEdge);
  return {
    status: 'encode',
    attempt: { ...start, quality: MAX_QUALITY },
    targetBytes,
    floorLongEdge,
    original: { width: input.width, height: input.height },
    steppedDown: false,
    encodes: 0,
    fittedQuality: undefined,
    failedQuality: undefined,
    best: undefined,
  };
}

function better(a: FittedAttempt | undefined, b: FittedAttempt): FittedAttempt {
  if (a === undefined) return b;
  const pixelsA = a.width * a.height;
  const pixelsB = b.width * b.height;
  if (pixelsA !== pixelsB) return pixelsA > pixelsB ? a : b;
  return a.quality >= b.quality ? a : b;
}

/** The next step after encoding `search.attempt` gave `bytes`. */
export function advanceShrinkSearch(search: ShrinkSearch, bytes: number): ShrinkSearch {
  if (search.status !== 'encode') return search;
  const { attempt, targetBytes } = search;
  const encodes = search.encodes + 1;
  const outOfEncodes = encodes >= MAX_ENCODES;

  if (bytes <= targetBytes) {
    const best = better(search.best, { ...attempt, bytes });
    const failedQuality = search.failedQuality;
    const roomToGrow =
      attempt.quality >= MAX_QUALITY &&
      !search.steppedDown &&
      bytes < targetBytes * ROOM_TO_GROW &&
      longEdge(attempt) < longEdge(search.original);
    if (roomToGrow && !outOfEncodes) {
      // Scale relative to the original so the aspect ratio never drifts through rounding.
      const grow = Math.sqrt((targetBytes * STEP_SAFETY) / bytes) * (longEdge(attempt) / longEdge(search.original));
      const next = scaleDimensions(search.original, grow);
      return { ...search, encodes, best, fittedQuality: undefined, failedQuality: undefined, attempt: { ...next, quality: MAX_QUALITY } };
    }
    if (
      attempt.quality >= MAX_QUALITY ||
      failedQuality === undefined ||
      failedQuality - attempt.quality <= QUALITY_PRECISION ||
      outOfEncodes
    ) {
      return { status: 'fitted', best, encodes };
    }
    return {
      ...search,
      encodes,
      best,
      fittedQuality: attempt.quality,
      attempt: { ...attempt, quality: roundQuality((attempt.quality + failedQuality) / 2) },
    };
  }

  const fittedQuality = search.fittedQuality;
  if (fittedQuality !== undefined) {
    // Something fitted at these dimensions: bisect further down, or settle for it.
    const best = search.best as FittedAttempt;
    if (attempt.quality - fittedQuality <= QUALITY_PRECISION || outOfEncodes) return { status: 'fitted', best, encodes };
    return {
      ...search,
      encodes,
      failedQuality: attempt.quality,
      attempt: { ...attempt, quality: roundQuality((attempt.quality + fittedQuality) / 2) },
    };
  }

  if (outOfEncodes) {
    if (search.best) return { status: 'fitted', best: search.best, encodes };
    return { status: 'cannot-shrink', reason: 'out-of-encodes', encodes, smallest: { ...attempt, bytes } };
  }
  if (attempt.quality > MIN_QUALITY) {
    return { ...search, encodes, failedQuality: attempt.quality, attempt: { ...attempt, quality: MIN_QUALITY } };
  }

  // Even the bottom quality is too big. After growing from a level that fitted, that level is the answer.
  if (search.best) return { status: 'fitted', best: search.best, encodes };
  // Otherwise fewer pixels, in proportion to how far over the target it was.
  if (longEdge(attempt) <= search.floorLongEdge) {
    return { status: 'cannot-shrink', reason: 'below-floor', encodes, smallest: { ...attempt, bytes } };
  }
  const scale = Math.min(DIMENSION_STEP, Math.sqrt((targetBytes * STEP_SAFETY) / bytes));
  const next = scaleDimensions(attempt, scale, search.floorLongEdge);
  return {
    ...search,
    encodes,
    steppedDown: true,
    fittedQuality: undefined,
    failedQuality: undefined,
    attempt: { ...next, quality: MAX_QUALITY },
  };
}
