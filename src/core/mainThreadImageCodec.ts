import type { ImageCodec } from './ImageCodec.js';
import type { UploadError as UploadErrorClass } from './UploadError.js';

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;
type AnyContext = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/**
 * Decodes `file` with its EXIF orientation applied (docs/image-shrinking.md §1 "EXIF orientation"): the default
 * of `imageOrientation` changed across browsers and versions, so it is always asked for explicitly. Resizing while
 * decoding (`resizeQuality: 'high'`) saves a full-size bitmap.
 */
export async function decodeOriented(
  UploadError: typeof UploadErrorClass,
  file: File,
  size?: { width: number; height: number },
): Promise<ImageBitmap> {
  if (typeof createImageBitmap !== 'function') {
    throw new UploadError('image-not-decodable', 'This browser has no createImageBitmap, so it cannot decode images to shrink them.');
  }
  const options: ImageBitmapOptions = { imageOrientation: 'from-image' };
  if (size) Object.assign(options, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' });
  try {
    return await createImageBitmap(file, options);
  } catch (error) {
    throw new UploadError(
      'image-not-decodable',
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

/**
 * The fallback codec (no module-free worker possible, e.g. a CSP without `blob:` workers, or no OffscreenCanvas in
 * workers): the same steps on the main thread. Decoding and encoding stay asynchronous, but some of the decode and
 * resize work lands on the main thread (docs/image-shrinking.md §4 "Where the work runs").
 */
export function createMainThreadImageCodec(UploadError: typeof UploadErrorClass): ImageCodec {
  let canvas: AnyCanvas | undefined;
  const release = () => {
    // Frees the pixels now rather than at garbage collection (Safari caps the total canvas memory).
    if (canvas) canvas.width = canvas.height = 0;
    canvas = undefined;
  };
  return {
    async probe(file) {
      const bitmap = await decodeOriented(UploadError, file);
      const size = { width: bitmap.width, height: bitmap.height };
      bitmap.close();
      return size;
    },
    async render(file, size, resize, opaque) {
      release();
      const bitmap = await decodeOriented(UploadError, file, resize ? size : undefined);
      try {
        canvas = createCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d', { alpha: !opaque }) as AnyContext | null;
        if (!context) throw new UploadError('image-cannot-shrink', 'This browser gave no 2D canvas to re-encode the image on.');
        if (opaque) {
          // JPEG has no alpha: transparent pixels would come out black.
          context.fillStyle = '#fff';
          context.fillRect(0, 0, canvas.width, canvas.height);
        }
        context.drawImage(bitmap, 0, 0);
      } finally {
        bitmap.close();
      }
    },
    encode(type, quality) {
      const target = canvas;
      if (!target) return Promise.reject(new Error('encode() before render()'));
      if ('convertToBlob' in target) return target.convertToBlob({ type, quality });
      return new Promise<Blob>((resolve, reject) => {
        target.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`toBlob answered null for ${type}`))), type, quality);
      });
    },
    dispose: release,
  };
}
