import type { ShrinkImage } from './ShrinkImage.js';

let loading: Promise<ShrinkImage> | undefined;

/**
 * The image shrinker, loaded on first use: the decoding and re-encoding code is a lazy chunk, so
 * the main bundle only pays for this dynamic `import()`. Memoised; a failed load is tried again next time.
 */
export function loadImageShrinker(): Promise<ShrinkImage> {
  loading ??= import('./shrinkImageToFit.js').then(
    (module) => module.shrinkImageToFit,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
