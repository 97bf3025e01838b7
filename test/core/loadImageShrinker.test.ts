import { describe, expect, it } from 'vitest';
import { loadImageShrinker } from '../../src/core/loadImageShrinker';
import { UploadError } from '../../src/core/UploadError';

describe('loadImageShrinker', () => {
  it("loads the lazy chunk once and answers a shrinker that rejects with the main bundle's UploadError class", async () => {
    const first = loadImageShrinker();
    const second = loadImageShrinker();
    expect(second).toBe(first);
    const shrinkImage = await first;
    // Node cannot decode images: the failure must be the class the queue and isUploadError know.
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], 'IMG_0001.JPG', { type: 'image/jpeg' });
    const error: unknown = await shrinkImage(photo, { maxBytes: 1000 }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(UploadError);
    expect(error).toMatchObject({ code: 'image-not-decodable' });
  });
});
