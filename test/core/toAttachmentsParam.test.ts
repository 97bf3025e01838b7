import { describe, expect, it } from 'vitest';
import { buildObjectKey } from '../../src/core/buildObjectKey';
import { MAX_TICKET_ATTACHMENTS, toAttachmentsParam, toFileNameList } from '../../src/core/toAttachmentsParam';
import { UploadError } from '../../src/core/UploadError';

function paramError(paths: readonly string[]): UploadError {
  try {
    toAttachmentsParam(paths);
  } catch (error) {
    expect(error).toBeInstanceOf(UploadError);
    return error as UploadError;
  }
  throw new Error('expected toAttachmentsParam to throw');
}

describe('toAttachmentsParam (docs/oss-protocol.md §6 "Attachment parameter")', () => {
  it('allows at most 3 attachments, like the ticket API', () => {
    expect(MAX_TICKET_ATTACHMENTS).toBe(3);
  });

  it.each([
    ['no attachments', [], ''],
    ['one key', ['pop_temp26842/k3x9/scan.pdf'], 'pop_temp26842/k3x9/scan.pdf'],
    ['two keys, in order', ['pop_temp26842/a/1.png', 'pop_temp26842/b/2.png'], 'pop_temp26842/a/1.png,pop_temp26842/b/2.png'],
    ['three keys (the maximum)', ['p/a/1.png', 'p/b/2.png', 'p/c/3.png'], 'p/a/1.png,p/b/2.png,p/c/3.png'],
    ['keys with CJK and spaces, unchanged', ['附件/a/季度 报告.pdf'], '附件/a/季度 报告.pdf'],
  ])('joins %s with commas (not a JSON array)', (_label, paths, expected) => {
    expect(toAttachmentsParam(paths)).toBe(expected);
  });

  it.each([
    ['4 keys', ['a', 'b', 'c', 'd']],
    ['10 keys', Array.from({ length: 10 }, (_, index) => `k${index}`)],
  ])('rejects %s with too-many-attachments', (_label, paths) => {
    const error = paramError(paths);
    expect(error.code).toBe('too-many-attachments');
    expect(error.message).toContain(String(paths.length));
  });

  it.each([
    ['an empty key', ['p/a/1.png', '']],
    ['a key containing a comma', ['p/a/a,b.png']],
  ])('rejects %s with invalid-attachment-path', (_label, paths) => {
    expect(paramError(paths).code).toBe('invalid-attachment-path');
  });

  it('accepts every key buildObjectKey makes, even from a name with commas', () => {
    const keys = ['a,b.pdf', ',,,', 'x,y,z.png'].map((name, index) => buildObjectKey('pop_temp26842/', name, `id${index}`));
    expect(toAttachmentsParam(keys).split(',')).toEqual(keys);
  });
});

describe('toFileNameList (the 2021-06-10 FileNameList, docs/work-order-api.md §6)', () => {
  it('joins the ObjectKeys with commas, in order, like the SDK sends the field', () => {
    expect(toFileNameList(['attachments/1/a b.png', 'attachments/2/c.pdf'])).toBe('attachments/1/a b.png,attachments/2/c.pdf');
  });

  it.each([
    ['a key with a comma', ['attachments/1/a,b.png'], 'invalid-attachment-path'],
    ['an empty key', [''], 'invalid-attachment-path'],
    ['a fourth key', ['a', 'b', 'c', 'd'], 'too-many-attachments'],
  ])('refuses %s with %s, as toAttachmentsParam does', (_label, paths, code) => {
    expect(() => toFileNameList(paths)).toThrow(expect.objectContaining({ code }));
  });
});
