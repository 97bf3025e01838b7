import { createHash } from 'node:crypto';

export interface TestFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
  md5: string;
}

/** Deterministic pseudo-random bytes (xorshift), so a corrupted or truncated upload changes the MD5. */
export function makeTestFile(name: string, size: number, mimeType = 'application/octet-stream', seed = size + name.length): TestFile {
  const buffer = Buffer.alloc(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let index = 0; index < size; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    buffer[index] = state & 0xff;
  }
  return { name, mimeType, buffer, md5: md5(buffer) };
}

export function md5(buffer: Buffer): string {
  return createHash('md5').update(buffer).digest('hex');
}

/** A valid 1×1 PNG, for image rows with thumbnails. */
export function makePng(name: string): TestFile {
  const buffer = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  return { name, mimeType: 'image/png', buffer, md5: md5(buffer) };
}
