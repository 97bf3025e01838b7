/**
 * The contract of the lazy image-shrinking chunk (`shrinkImageToFit.ts`, loaded on first use through
 * `loadImageShrinker`): the main bundle only carries these types and the dynamic `import()`.
 */
export interface ShrinkImageOptions {
  /** The effective size limit in bytes; the result is at most this, with margin. */
  maxBytes: number;
  /** Aborts decoding/encoding (the promise rejects with an `UploadError` of code `canceled`). */
  signal?: AbortSignal;
}

export interface ShrunkImage {
  /** The re-encoded image: EXIF orientation applied, all metadata (GPS, camera) dropped; the name's extension matches `type`. */
  file: File;
  /** Size in bytes of the file the user picked. */
  originalSize: number;
  /** Pixel dimensions of the result. */
  width: number;
  height: number;
}

/**
 * Re-encodes `file` to fit `maxBytes`. Rejects with an `UploadError`: `image-not-decodable` (the browser cannot
 * decode it), `image-cannot-shrink` (it would only fit below the dimension floor) or `canceled`.
 */
export type ShrinkImage = (file: File, options: ShrinkImageOptions) => Promise<ShrunkImage>;
