import type { ShrinkImage } from './ShrinkImage.js';
import { UploadError } from './UploadError.js';

let loading: Promise<ShrinkImage> | undefined;

/**
 * The image shrinker, loaded on first use: `shrinkImageToFit` is a separate chunk behind this dynamic `import()`,
 * so apps that never shrink an image never download it. One load per page; a failed load (offline, a deploy that
 * removed the chunk) is forgotten so the next call tries again. The chunk gets `UploadError` from here, so that it
 * shares no module with the main bundle.
 */
export function loadImageShrinker(): Promise<ShrinkImage> {
  loading ??= import('./shrinkImageToFit.js').then(
    (module) => module.createImageShrinker({ codec: 'auto', UploadError }),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
