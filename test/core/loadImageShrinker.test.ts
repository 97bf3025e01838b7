import { describe, expect, it } from 'vitest';
import { loadImageShrinker } from '../../src/core/loadImageShrinker';
import { shrinkImageToFit } from '../../src/core/shrinkImageToFit';

describe('loadImageShrinker', () => {
  it('loads the lazy chunk once and answers shrinkImageToFit', async () => {
    const first = loadImageShrinker();
    const second = loadImageShrinker();
    expect(second).toBe(first);
    expect(await first).toBe(shrinkImageToFit);
  });
});
