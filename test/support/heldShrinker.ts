import { vi } from 'vitest';
import type { ShrinkImage, ShrinkImageOptions } from '../../src/core/ShrinkImage';

export interface HeldShrink {
  file: File;
  options: ShrinkImageOptions;
  /** Answers the shrink with `file` (2048 × 1536). */
  succeed: (file: File) => void;
  fail: (error: unknown) => void;
}

/**
 * A fake image shrinker that holds every call until the test settles it, and records what it was asked:
 * the real one is a lazy chunk with its own browser tests.
 */
export function createHeldShrinker() {
  const calls: HeldShrink[] = [];
  const shrinkImage = vi.fn<ShrinkImage>(
    (file, options) =>
      new Promise((resolve, reject) => {
        calls.push({
          file,
          options,
          succeed: (shrunk) => resolve({ file: shrunk, originalSize: file.size, width: 2048, height: 1536 }),
          fail: reject,
        });
      }),
  );
  return { shrinkImage, calls };
}
