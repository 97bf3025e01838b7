/** Encodes each `/`-separated segment of an object key for a URL path (the slashes stay). */
export function encodeObjectKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
