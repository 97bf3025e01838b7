import type { Dimensions } from './shrinkSearch.js';
import type { ShrunkImageType } from './shrunkImageName.js';

/**
 * What `shrinkImageToFit` needs from the browser, in one place so it can run in a worker or on the main thread
 * (docs/image-shrinking.md §4 "Where the work runs"). One codec serves one shrink, then is disposed.
 */
export interface ImageCodec {
  /** The image's dimensions with its EXIF orientation applied; `image-not-decodable` when the browser cannot decode it. */
  probe(file: File): Promise<Dimensions>;
  /** Decodes `file` at `size` (resized while decoding) onto the codec's canvas; white under transparency when `opaque`. */
  render(file: File, size: Dimensions, resize: boolean, opaque: boolean): Promise<void>;
  /** Encodes the canvas. The blob's type may differ from `type` when the browser cannot encode it (§3 "Type fallback"). */
  encode(type: ShrunkImageType, quality: number): Promise<Blob>;
  /** Frees the canvas (and ends the worker). */
  dispose(): void;
}
