/** The output types `shrinkImageToFit` encodes, with the extension a re-encoded file gets. */
export const SHRUNK_IMAGE_EXTENSIONS = {
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
} as const;

export type ShrunkImageType = keyof typeof SHRUNK_IMAGE_EXTENSIONS;

/** Extensions of image files that a browser may decode; only these are replaced, anything else is kept as part of the name. */
const IMAGE_EXTENSION = /\.(?:jpe?g|jfif|pjpeg|pjp|png|apng|webp|gif|bmp|avif|heic|heif|tiff?)$/i;

/**
 * The name of the re-encoded file: the original base name with the extension of the new type, so the stored
 * object and the `Content-Type` agree (`IMG_1234.HEIC` → `IMG_1234.jpg`, `scan.final.png` → `scan.final.webp`,
 * `photo` → `photo.jpg`). A non-image extension stays in the name (`report.v2` → `report.v2.jpg`).
 */
export function shrunkImageName(originalName: string, type: ShrunkImageType): string {
  const extension = SHRUNK_IMAGE_EXTENSIONS[type];
  const stem = originalName.replace(IMAGE_EXTENSION, '');
  return `${stem === '' ? 'image' : stem}${extension}`;
}
