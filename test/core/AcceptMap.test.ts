import { describe, expect, it } from 'vitest';
import { toAcceptAttribute, type AcceptMap } from '../../src/core/AcceptMap';

// isAcceptedType is table-tested with validateFile (test/core/validateFile.test.ts), which applies it.
describe('toAcceptAttribute: the file dialog filter for an accept map', () => {
  it.each<[string, AcceptMap | undefined, string | undefined]>([
    ['no attribute without an accept map (every type)', undefined, undefined],
    ['no attribute for an empty accept map', {}, undefined],
    ['a wildcard MIME type alone', { 'image/*': [] }, 'image/*'],
    [
      'MIME types followed by their extensions, in map order',
      { 'application/pdf': ['.pdf'], 'text/plain': ['.txt', '.log'] },
      'application/pdf,.pdf,text/plain,.txt,.log',
    ],
    ['each part once', { 'image/jpeg': ['.jpg', '.jpeg'], 'image/pjpeg': ['.jpg'] }, 'image/jpeg,.jpg,.jpeg,image/pjpeg'],
  ])('%s', (_label, accept, expected) => {
    expect(toAcceptAttribute(accept)).toBe(expected);
  });
});
