import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_ENCODES,
  MAX_QUALITY,
  MIN_LONG_EDGE,
  MIN_QUALITY,
  advanceShrinkSearch,
  scaleDimensions,
  startShrinkSearch,
  targetBytesFor,
  type ShrinkAttempt,
  type ShrinkSearch,
  type ShrinkSearchInput,
} from '../../src/core/shrinkSearch';

/** A stand-in encoder: bytes grow with the pixels and, faster than linearly, with the quality (as JPEG's do). */
const encoderModel =
  (bytesPerPixelAtTop: number) =>
  ({ width, height, quality }: ShrinkAttempt): number =>
    Math.round(width * height * bytesPerPixelAtTop * (0.25 + 0.75 * quality ** 3));

function run(input: ShrinkSearchInput, encode: (attempt: ShrinkAttempt) => number) {
  const attempts: ShrinkAttempt[] = [];
  let search: ShrinkSearch = startShrinkSearch(input);
  while (search.status === 'encode') {
    attempts.push(search.attempt);
    search = advanceShrinkSearch(search, encode(search.attempt));
    if (attempts.length > 100) throw new Error('the search does not end');
  }
  return { search, attempts };
}

const MAX_BYTES = 2 * 1024 * 1024;
const PHOTO = { width: 4032, height: 3024, maxBytes: MAX_BYTES };

describe('shrinkSearch', () => {
  it('keeps the original dimensions and the top quality when that already fits: one encode', () => {
    const { search, attempts } = run({ ...PHOTO, originalBytes: 1_500_000 }, () => 1_400_000);
    expect(attempts).toEqual([{ width: 4032, height: 3024, quality: MAX_QUALITY }]);
    expect(search).toMatchObject({ status: 'fitted', best: { width: 4032, height: 3024, quality: MAX_QUALITY, bytes: 1_400_000 } });
  });

  it('shrinks a 5 MB phone photo under 97 % of the limit, bisecting the quality between the bounds', () => {
    const { search, attempts } = run({ ...PHOTO, originalBytes: 5_000_000 }, encoderModel(0.4));
    expect(search.status).toBe('fitted');
    if (search.status !== 'fitted') return;
    expect(search.best.bytes).toBeLessThanOrEqual(targetBytesFor(MAX_BYTES));
    expect(targetBytesFor(MAX_BYTES)).toBe(Math.floor(MAX_BYTES * 0.97));
    expect(attempts.length).toBeLessThanOrEqual(MAX_ENCODES);
    expect(attempts[0]?.quality).toBe(MAX_QUALITY);
    expect(attempts[1]?.quality).toBe(MIN_QUALITY);
    // The answer is strictly between the bounds: neither bound was simply taken.
    expect(search.best.quality).toBeGreaterThan(MIN_QUALITY);
    expect(search.best.quality).toBeLessThan(MAX_QUALITY);
  });

  it('steps the dimensions down when even the bottom quality is too big, keeping the aspect ratio', () => {
    const { search, attempts } = run({ width: 6000, height: 4000, originalBytes: 6_000_000, maxBytes: MAX_BYTES }, encoderModel(1.2));
    expect(search.status).toBe('fitted');
    if (search.status !== 'fitted') return;
    const sizes = new Set(attempts.map((attempt) => `${attempt.width}x${attempt.height}`));
    expect(sizes.size).toBeGreaterThanOrEqual(2);
    expect(Math.abs(search.best.width / search.best.height - 1.5)).toBeLessThan(0.01);
    expect(search.best.bytes).toBeLessThanOrEqual(targetBytesFor(MAX_BYTES));
  });

  it('grows from a too small first guess (a lossless PNG says little about a lossy encode)', () => {
    const { search, attempts } = run({ width: 4000, height: 3000, originalBytes: 35_000_000, maxBytes: MAX_BYTES }, encoderModel(0.3));
    expect(search.status).toBe('fitted');
    if (search.status !== 'fitted') return;
    const first = attempts[0] as ShrinkAttempt;
    expect(search.best.width).toBeGreaterThan(first.width);
  });

  it('rejects below the long-edge floor instead of producing a thumbnail', () => {
    const { search, attempts } = run({ width: 4000, height: 3000, originalBytes: 30_000_000, maxBytes: 50_000 }, encoderModel(2));
    expect(search).toMatchObject({ status: 'cannot-shrink', reason: 'below-floor' });
    const last = attempts.at(-1) as ShrinkAttempt;
    expect(Math.max(last.width, last.height)).toBe(MIN_LONG_EDGE);
    expect(last.quality).toBe(MIN_QUALITY);
  });

  it('uses an image smaller than the floor as its own floor', () => {
    const { search, attempts } = run({ width: 900, height: 600, originalBytes: 3_000_000, maxBytes: 10_000 }, encoderModel(3));
    expect(search).toMatchObject({ status: 'cannot-shrink', reason: 'below-floor' });
    expect(attempts.every((attempt) => attempt.width === 900 && attempt.height === 600)).toBe(true);
  });

  it('scaleDimensions keeps whole pixels, never upscales and honours the floor', () => {
    expect(scaleDimensions({ width: 4000, height: 3000 }, 0.5)).toEqual({ width: 2000, height: 1500 });
    expect(scaleDimensions({ width: 4000, height: 3000 }, 2)).toEqual({ width: 4000, height: 3000 });
    expect(scaleDimensions({ width: 3000, height: 4000 }, 0.1, MIN_LONG_EDGE)).toEqual({ width: 960, height: 1280 });
    expect(scaleDimensions({ width: 10_000, height: 1 }, 0.01)).toEqual({ width: 100, height: 1 });
  });

  it('property: ends within the encode budget; a fit is under the target, at or above the floor, within the quality range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 8000 }),
        fc.integer({ min: 200, max: 8000 }),
        fc.double({ min: 0.02, max: 4, noNaN: true }),
        fc.double({ min: 0.05, max: 4, noNaN: true }),
        fc.integer({ min: 20_000, max: 20_000_000 }),
        (width, height, originalBpp, encodedBpp, maxBytes) => {
          const { search, attempts } = run(
            { width, height, originalBytes: Math.round(width * height * originalBpp), maxBytes },
            encoderModel(encodedBpp),
          );
          expect(attempts.length).toBeLessThanOrEqual(MAX_ENCODES);
          for (const attempt of attempts) {
            expect(attempt.quality).toBeGreaterThanOrEqual(MIN_QUALITY);
            expect(attempt.quality).toBeLessThanOrEqual(MAX_QUALITY);
            expect(attempt.width).toBeLessThanOrEqual(width);
            expect(attempt.height).toBeLessThanOrEqual(height);
            expect(Math.max(attempt.width, attempt.height)).toBeGreaterThanOrEqual(Math.min(MIN_LONG_EDGE, Math.max(width, height)) - 1);
          }
          if (search.status === 'fitted') {
            expect(search.best.bytes).toBeLessThanOrEqual(targetBytesFor(maxBytes));
            expect(encoderModel(encodedBpp)(search.best)).toBe(search.best.bytes);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
