import { describe, expect, it } from 'vitest';
import { isAcceptedType, type AcceptMap } from '../../src/core/AcceptMap';
import { decodeOssPolicy, type OssPostPolicy } from '../../src/core/decodeOssPolicy';
import {
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_MAX_FILES,
  getEffectiveSizeRange,
  isShrinkableImage,
  validateFile,
  validateFiles,
  type FileDescription,
} from '../../src/core/validateFile';
import { makeFile, makePolicy } from '../../fixtures';

const policyWithRange = (min: number, max: number): OssPostPolicy => decodeOssPolicy(makePolicy({ range: [min, max] }));
const codes = (file: FileDescription, limits: Parameters<typeof validateFile>[1] = {}) =>
  validateFile(file, limits)?.errors.map((error) => error.code) ?? [];

describe('validateFile: size (docs/oss-protocol.md §6: 2 MB per attachment)', () => {
  it('uses 2 MB = 2,097,152 bytes as the default, never 2,000,000', () => {
    expect(DEFAULT_MAX_FILE_SIZE).toBe(2 * 1024 * 1024);
    expect(getEffectiveSizeRange({})).toEqual({ min: 0, max: 2_097_152 });
  });

  it('accepts a real File of exactly 2,097,152 bytes', () => {
    const file = makeFile('exact.bin', 2_097_152);
    expect(file.size).toBe(2_097_152);
    expect(validateFile(file)).toBeNull();
  });

  it('rejects a real File of 2,097,153 bytes with file-too-large', () => {
    const file = makeFile('over.bin', 2_097_153);
    const rejection = validateFile(file);
    expect(rejection?.file).toBe(file);
    expect(rejection?.errors.map((error) => error.code)).toEqual(['file-too-large']);
    expect(rejection?.errors[0]?.message).toContain('2097153 bytes; the limit is 2097152');
  });

  it.each([
    ['accepts 2,000,001 bytes (the limit is not 2,000,000)', 2_000_001, {}, []],
    ['accepts an empty file by default', 0, {}, []],
    ['lets a smaller policy max win over the default', 1_048_577, { policy: policyWithRange(0, 1_048_576) }, ['file-too-large']],
    ['accepts exactly the policy max', 1_048_576, { policy: policyWithRange(0, 1_048_576) }, []],
    [
      'lets a smaller policy max win over a larger caller max',
      600,
      { maxFileSize: 10_000_000, policy: policyWithRange(0, 500) },
      ['file-too-large'],
    ],
    [
      'lets a smaller caller max win over the policy max',
      600,
      { maxFileSize: 500, policy: policyWithRange(0, 10_000) },
      ['file-too-large'],
    ],
    ['caps a larger policy max at the caller max (the default)', 2_097_153, { policy: policyWithRange(0, 5_000_000) }, ['file-too-large']],
    ['rejects below the policy min with file-too-small', 9, { policy: policyWithRange(10, 1_000) }, ['file-too-small']],
    ['accepts exactly the policy min', 10, { policy: policyWithRange(10, 1_000) }, []],
    ['rejects an empty file when the policy min is 1', 0, { policy: policyWithRange(1, 1_000) }, ['file-too-small']],
    ['rejects below the caller min', 99, { minFileSize: 100 }, ['file-too-small']],
    ['lets the larger of caller and policy min win', 50, { minFileSize: 10, policy: policyWithRange(100, 1_000) }, ['file-too-small']],
    ['ignores a policy without a range', 2_097_152, { policy: decodeOssPolicy(makePolicy({ range: null })) }, []],
  ])('%s', (_label, size, limits, expected) => {
    expect(codes({ name: 'x.bin', size, type: 'application/octet-stream' }, limits)).toEqual(expected);
  });
});

describe('validateFile: type (react-dropzone accept map)', () => {
  const accept: AcceptMap = { 'image/*': [], 'application/pdf': ['.pdf'], 'text/plain': ['.txt', '.LOG'] };

  it.each<[string, FileDescription, AcceptMap | undefined, boolean]>([
    ['any type when there is no accept map', { name: 'a.exe', size: 1, type: 'application/x-msdownload' }, undefined, true],
    ['any type when the accept map is empty', { name: 'a.exe', size: 1, type: 'application/x-msdownload' }, {}, true],
    ['a wildcard MIME type', { name: 'shot.png', size: 1, type: 'image/png' }, accept, true],
    ['a wildcard MIME type in upper case', { name: 'shot', size: 1, type: 'IMAGE/JPEG' }, accept, true],
    ['an exact MIME type', { name: 'doc', size: 1, type: 'application/pdf' }, accept, true],
    ['an extension when the browser gives no type', { name: 'Report.PDF', size: 1, type: '' }, accept, true],
    ['an upper-case listed extension', { name: 'server.log', size: 1, type: '' }, accept, true],
    ['"*/*"', { name: 'a.bin', size: 1, type: 'application/octet-stream' }, { '*/*': [] }, true],
    ['not a mismatching MIME type and extension', { name: 'setup.exe', size: 1, type: 'application/x-msdownload' }, accept, false],
    ['not a type that only shares a prefix with a wildcard', { name: 'imagex', size: 1, type: 'imagex/png' }, accept, false],
    ['not an extension that only appears mid-name', { name: 'a.pdf.exe', size: 1, type: '' }, accept, false],
  ])('accepts %s: %s', (_label, file, acceptMap, accepted) => {
    expect(isAcceptedType(file, acceptMap)).toBe(accepted);
    expect(codes(file, acceptMap ? { accept: acceptMap } : {})).toEqual(accepted ? [] : ['file-invalid-type']);
  });

  it('reports size and type problems of one file together', () => {
    expect(codes({ name: 'big.exe', size: 3_000_000, type: 'application/x-msdownload' }, { accept })).toEqual([
      'file-too-large',
      'file-invalid-type',
    ]);
  });
});

describe('validateFiles: count (docs/oss-protocol.md §6: at most 3 attachments)', () => {
  const files = (count: number, prefix = 'f') =>
    Array.from({ length: count }, (_, index) => makeFile(`${prefix}${index + 1}.txt`, 10, 'text/plain'));

  it('defaults maxFiles to 3', () => {
    expect(DEFAULT_MAX_FILES).toBe(3);
  });

  it.each([
    ['accepts 3 files', 3, 0, {}, 3],
    ['rejects the 4th file with too-many-files', 4, 0, {}, 3],
    ['counts files already in the list', 2, 2, {}, 1],
    ['rejects everything when the list is full', 2, 3, {}, 0],
    ['honours a larger maxFiles', 6, 0, { maxFiles: 5 }, 5],
    ['honours maxFiles of 1 with one existing file', 1, 1, { maxFiles: 1 }, 0],
  ])('%s', (_label, count, existing, limits, acceptedCount) => {
    const batch = files(count);
    const result = validateFiles(batch, limits, existing);
    expect(result.accepted).toEqual(batch.slice(0, acceptedCount));
    expect(result.rejected.map((rejection) => rejection.file)).toEqual(batch.slice(acceptedCount));
    for (const rejection of result.rejected) expect(rejection.errors.map((error) => error.code)).toEqual(['too-many-files']);
  });

  it('does not let an invalid file use up a slot', () => {
    const big = makeFile('big.bin', 2_097_153);
    const [a, b, c] = files(3);
    const result = validateFiles([a!, big, b!, c!]);
    expect(result.accepted).toEqual([a, b, c]);
    expect(result.rejected).toEqual([{ file: big, errors: [expect.objectContaining({ code: 'file-too-large' })] }]);
  });

  it('keeps the order of the selection in accepted and rejected', () => {
    const batch = files(5);
    const result = validateFiles(batch, { maxFiles: 2 });
    expect(result.accepted.map((file) => file.name)).toEqual(['f1.txt', 'f2.txt']);
    expect(result.rejected.map((rejection) => rejection.file.name)).toEqual(['f3.txt', 'f4.txt', 'f5.txt']);
  });

  it('accepts plain {name, size, type} descriptions', () => {
    const result = validateFiles([
      { name: 'a.pdf', size: 2_097_152, type: 'application/pdf' },
      { name: 'b.pdf', size: 2_097_153, type: 'application/pdf' },
    ]);
    expect(result.accepted.map((file) => file.name)).toEqual(['a.pdf']);
    expect(result.rejected[0]?.errors[0]?.code).toBe('file-too-large');
  });
});

describe('validateFile: images over the limit with shrinkImages (issue 12)', () => {
  const big = (name: string, type: string): FileDescription => ({ name, size: 3_000_000, type });

  it.each(['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/bmp'])('lets a %s over the limit through to be shrunk', (type) => {
    expect(validateFile(big('photo', type), { shrinkImages: true })).toBeNull();
    expect(isShrinkableImage({ name: 'photo', size: 1, type })).toBe(true);
  });

  it.each([
    [
      'a HEIC photo (Chromium cannot decode it): too large, with the hint to save it as JPEG',
      'image/heic',
      ['file-too-large', 'image-not-decodable'],
    ],
    ['an SVG: too large, with the same hint', 'image/svg+xml', ['file-too-large', 'image-not-decodable']],
    ['a PDF: too large, as before', 'application/pdf', ['file-too-large']],
    ['a file of unknown type: too large, as before', '', ['file-too-large']],
  ])('refuses %s', (_label, type, expected) => {
    expect(codes(big('file', type), { shrinkImages: true })).toEqual(expected);
  });

  it('refuses a JPEG over the limit as before without shrinkImages', () => {
    expect(codes(big('photo.jpg', 'image/jpeg'))).toEqual(['file-too-large']);
    expect(codes(big('photo.heic', 'image/heic'))).toEqual(['file-too-large']);
  });

  it('still refuses a shrinkable image whose type is not accepted', () => {
    expect(codes(big('photo.png', 'image/png'), { shrinkImages: true, accept: { 'application/pdf': [] } })).toEqual(['file-invalid-type']);
  });

  it('counts a shrinkable image over the limit towards maxFiles', () => {
    const files = [big('a.jpg', 'image/jpeg'), big('b.jpg', 'image/jpeg')];
    const { accepted, rejected } = validateFiles(files, { shrinkImages: true, maxFiles: 3 }, 2);
    expect(accepted).toEqual([files[0]]);
    expect(rejected[0]?.errors.map((error) => error.code)).toEqual(['too-many-files']);
  });
});
