import type { UploadStrategy } from './UploadStrategy.js';
import type { UploadErrorCode } from './UploadError.js';

/** A strategy whose code arrives later; `load()` starts fetching it (or returns the fetch under way). */
export interface DeferredUploadStrategy extends UploadStrategy {
  load(): Promise<UploadStrategy>;
}

/**
 * An upload strategy loaded on first use, through a dynamic `import()` in `load`: the upload modes an
 * app does not use stay out of its main bundle. Call `load()` early (the React layer does it on mount,
 * for the mode the options pick) so the first file does not wait for it. Until it has arrived,
 * `prepare` waits for it, and `prefetch` and `release` are applied in the order they were called. A
 * failed load (offline, a deploy that removed the chunk) fails that file's attempt with
 * `prepareErrorCode` and is forgotten, so the next attempt loads again.
 */
export function createDeferredUploadStrategy(
  load: () => Promise<UploadStrategy>,
  prepareErrorCode: UploadErrorCode,
): DeferredUploadStrategy {
  let strategy: UploadStrategy | undefined;
  let loading: Promise<UploadStrategy> | undefined;
  const ensureLoaded = () =>
    (loading ??= load().then(
      (loaded) => (strategy = loaded),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
  const ignore = () => undefined;
  return {
    prepareErrorCode,
    load: ensureLoaded,
    prepare: (request) => (strategy ? strategy.prepare(request) : ensureLoaded().then((loaded) => loaded.prepare(request))),
    prefetch(entry) {
      if (strategy) strategy.prefetch?.(entry);
      else ensureLoaded().then((loaded) => loaded.prefetch?.(entry), ignore);
    },
    release(id) {
      if (strategy) strategy.release?.(id);
      else loading?.then((loaded) => loaded.release?.(id), ignore);
    },
  };
}
