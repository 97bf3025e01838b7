import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildObjectKey, joinKeyPrefix, MAX_OBJECT_KEY_BYTES, sanitizeFileName } from '../../src/core/buildObjectKey';

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const PREFIX = 'pop_temp123/';
const ID = 'k3x9q0a7m2zt';
const HEAD = `${PREFIX}${ID}/`;

describe('buildObjectKey: names (docs/oss-protocol.md §8 "Chinese or non-ASCII names", S26)', () => {
  it.each([
    ['keeps a plain name', 'report.pdf', 'report.pdf'],
    ['keeps CJK', '工单附件-截图.png', '工单附件-截图.png'],
    ['keeps emoji and ZWJ sequences', '😀 photo 👨‍👩‍👧.png', '😀 photo 👨‍👩‍👧.png'],
    ['normalises to NFC', 'cafe\u0301.txt', 'caf\u00e9.txt'],
    ['drops ../ path parts', '../../etc/passwd', 'passwd'],
    ['drops backslash path parts', 'a\\b\\c.txt', 'c.txt'],
    ['drops an absolute path', '/abs/path.pdf', 'path.pdf'],
    ['drops a Windows path', 'C:\\Users\\me\\Desktop\\scan.pdf', 'scan.pdf'],
    ['neutralises percent-encoded traversal', '%2e%2e%2fx', '_2e_2e_2fx'],
    ['removes C0 and C1 control characters', 'a\u0000b\u001f\u007fc\u0085d\tx.txt', 'abcdx.txt'],
    ['removes a right-to-left override that disguises the extension', 'invoice\u202egpj.exe', 'invoicegpj.exe'],
    ['removes bidi isolates and marks', '\u2066x\u2069\u200e\u200f.pdf', 'x.pdf'],
    ['removes a leading dot', '.bashrc', 'bashrc'],
    ['removes several leading dots', '...hidden.txt', 'hidden.txt'],
    ['removes leading spaces and trailing dots and spaces', '  name.pdf. . ', 'name.pdf'],
    ['collapses runs of whitespace', 'quarterly   \n report.pdf', 'quarterly report.pdf'],
    ['replaces commas (the attachments parameter is comma-separated, docs/oss-protocol.md §6)', 'a,b,c.pdf', 'a_b_c.pdf'],
    ['replaces URL and shell characters', 'what?#<>:"|*.txt', 'what________.txt'],
    ['falls back to "file" for an empty name', '', 'file'],
    ['falls back to "file" for a name of dots', '...', 'file'],
    ['falls back to "file" for ".."', '..', 'file'],
    ['falls back to "file" for a path ending in a slash', 'folder/', 'file'],
    ['falls back to "file" for control characters only', '\u0000\u0001\u202e', 'file'],
  ])('%s: %j → %j', (_label, fileName, name) => {
    expect(sanitizeFileName(fileName)).toBe(name);
    expect(buildObjectKey(PREFIX, fileName, ID)).toBe(`${HEAD}${name}`);
  });

  it('gives identical names in one batch distinct keys through distinct ids', () => {
    const ids = ['k3x9q0a7m2zt', 'p8w1c4r6n0yb', 'a0a0a0a0a0a0'];
    const keys = ids.map((id) => buildObjectKey(PREFIX, 'scan.pdf', id));
    expect(new Set(keys).size).toBe(3);
    for (const key of keys) expect(key.endsWith('/scan.pdf')).toBe(true);
  });

  it('sanitises the id folder too', () => {
    expect(buildObjectKey(PREFIX, 'a.txt', '../x')).toBe(`${PREFIX}x/a.txt`);
  });
});

describe('buildObjectKey: the 1023-byte limit (S26)', () => {
  it('cuts a 2000-character CJK name to 1023 UTF-8 bytes and keeps the extension', () => {
    const key = buildObjectKey(PREFIX, `${'报'.repeat(2000)}.pdf`, ID);
    expect(utf8Bytes(key)).toBeLessThanOrEqual(MAX_OBJECT_KEY_BYTES);
    expect(utf8Bytes(key)).toBeGreaterThan(MAX_OBJECT_KEY_BYTES - 3); // cut at a 3-byte boundary, not earlier
    expect(key.startsWith(HEAD)).toBe(true);
    expect(key.endsWith('报.pdf')).toBe(true);
  });

  it('never splits a surrogate pair when cutting an emoji name', () => {
    const key = buildObjectKey(PREFIX, `${'😀'.repeat(600)}.png`, ID);
    expect(utf8Bytes(key)).toBeLessThanOrEqual(MAX_OBJECT_KEY_BYTES);
    expect(key).not.toMatch(LONE_SURROGATE);
    expect(key.endsWith('😀.png')).toBe(true);
  });

  it('fills the budget exactly with a long ASCII name without an extension', () => {
    const key = buildObjectKey(PREFIX, 'x'.repeat(5000), ID);
    expect(utf8Bytes(key)).toBe(MAX_OBJECT_KEY_BYTES);
  });

  it('treats an over-long "extension" as part of the name', () => {
    const key = buildObjectKey(PREFIX, `${'a'.repeat(2000)}.${'b'.repeat(40)}`, ID);
    expect(utf8Bytes(key)).toBe(MAX_OBJECT_KEY_BYTES);
    expect(key.endsWith('a')).toBe(true);
  });

  it('does not leave a trailing dot or space where the name was cut', () => {
    const key = buildObjectKey(PREFIX, `${'a'.repeat(1000 - HEAD.length)} . . . . . . . . . . .txt`, ID);
    expect(utf8Bytes(key)).toBeLessThanOrEqual(MAX_OBJECT_KEY_BYTES);
    expect(key).toMatch(/[^ .]\.txt$/);
  });

  it('leaves a name that fits untouched', () => {
    const name = `${'a'.repeat(MAX_OBJECT_KEY_BYTES - utf8Bytes(HEAD) - 4)}.txt`;
    expect(buildObjectKey(PREFIX, name, ID)).toBe(HEAD + name);
  });
});

describe('buildObjectKey: prefix (docs/oss-protocol.md §8 "dir slash")', () => {
  it.each([
    ['with a trailing slash', 'pop_temp123/', 'pop_temp123/'],
    ['without a trailing slash', 'pop_temp123', 'pop_temp123/'],
    ['empty', '', ''],
    ['nested', 'pop_temp123/ticket-9', 'pop_temp123/ticket-9/'],
    ['with a leading slash (object names cannot start with "/", S26)', '/pop_temp123/', 'pop_temp123/'],
    ['with a leading backslash', '\\pop_temp123', 'pop_temp123/'],
    ['Chinese', '附件/', '附件/'],
  ])('joins a prefix %s with exactly one slash', (_label, prefix, joined) => {
    expect(joinKeyPrefix(prefix)).toBe(joined);
    expect(buildObjectKey(prefix, 'a.png', ID)).toBe(`${joined}${ID}/a.png`);
  });
});

describe('buildObjectKey properties', () => {
  const segment = fc.oneof(fc.stringMatching(/^[a-z0-9_-]{1,20}$/), fc.constantFrom('附件', 'pop_temp26842', 'ticket'));
  const prefix = fc
    .tuple(fc.array(segment, { maxLength: 5 }), fc.boolean(), fc.boolean())
    .map(([segments, trailing, leading]) => `${leading ? '/' : ''}${segments.join('/')}${trailing && segments.length > 0 ? '/' : ''}`);
  const id = fc.stringMatching(/^[a-z0-9]{1,12}$/);
  const nastyPiece = fc.constantFrom(
    '/',
    '\\',
    '.',
    '..',
    '../',
    '..\\',
    ' ',
    '\t',
    '\u0000',
    '\u007f',
    '\u202e',
    '\u2066',
    ',',
    '%2e%2e%2f',
    '报告',
    '😀',
    '👨‍👩‍👧',
    '.pdf',
    'e\u0301',
  );
  const name = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({ unit: 'binary-ascii', maxLength: 200 }),
    fc.array(fc.oneof(nastyPiece, fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 40 }).map((parts) => parts.join('')),
  );
  const longName = fc.oneof(
    fc.string({ unit: 'binary', minLength: 300, maxLength: 1500 }),
    fc.string({ unit: fc.constantFrom('报', '😀', 'a', '.', '/', ' '), minLength: 300, maxLength: 3000 }),
  );

  function assertWellFormed(key: string, prefixValue: string, idValue: string) {
    const head = `${joinKeyPrefix(prefixValue)}${idValue}/`;
    expect(key.startsWith(head)).toBe(true);
    expect(utf8Bytes(key)).toBeLessThanOrEqual(MAX_OBJECT_KEY_BYTES);
    expect(key).not.toMatch(CONTROL);
    expect(key).not.toMatch(BIDI);
    expect(key).not.toMatch(LONE_SURROGATE);
    expect(key.startsWith('/')).toBe(false);
    const segments = key.split('/');
    expect(segments).not.toContain('..');
    expect(segments).not.toContain('.');
    const rest = key.slice(head.length);
    expect(rest).not.toBe('');
    expect(rest).not.toMatch(/[/\\]/);
  }

  it('builds a well-formed key under the prefix for any name', () => {
    fc.assert(
      fc.property(prefix, name, id, (prefixValue, nameValue, idValue) => {
        assertWellFormed(buildObjectKey(prefixValue, nameValue, idValue), prefixValue, idValue);
      }),
      { numRuns: 2000 },
    );
  });

  it('stays within 1023 bytes for long names', () => {
    fc.assert(
      fc.property(prefix, longName, id, (prefixValue, nameValue, idValue) => {
        assertWellFormed(buildObjectKey(prefixValue, nameValue, idValue), prefixValue, idValue);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a short extension of the sanitised name, even when the name is cut', () => {
    const extension = fc.stringMatching(/^[A-Za-z0-9]{1,10}$/);
    const stem = fc.oneof(fc.string({ unit: 'binary', maxLength: 50 }), fc.string({ unit: 'binary', minLength: 300, maxLength: 1200 }));
    fc.assert(
      fc.property(prefix, stem, extension, id, (prefixValue, stemValue, extensionValue, idValue) => {
        const fileName = `${stemValue}.${extensionValue}`;
        const sanitized = sanitizeFileName(fileName);
        const shortExtension = /\.[A-Za-z0-9]{1,10}$/.exec(sanitized)?.[0];
        fc.pre(shortExtension !== undefined);
        const key = buildObjectKey(prefixValue, fileName, idValue);
        expect(key.endsWith(shortExtension!)).toBe(true);
        expect(utf8Bytes(key)).toBeLessThanOrEqual(MAX_OBJECT_KEY_BYTES);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives every file of a batch its own key when the ids differ', () => {
    fc.assert(
      fc.property(
        prefix,
        fc.uniqueArray(id, { minLength: 2, maxLength: 20 }),
        fc.array(name, { minLength: 1, maxLength: 3 }),
        (prefixValue, ids, names) => {
          // Identical and different names mixed in one batch.
          const keys = ids.map((idValue, index) => buildObjectKey(prefixValue, names[index % names.length]!, idValue));
          expect(new Set(keys).size).toBe(ids.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is deterministic: the same inputs give the same key', () => {
    fc.assert(
      fc.property(prefix, name, id, (prefixValue, nameValue, idValue) => {
        expect(buildObjectKey(prefixValue, nameValue, idValue)).toBe(buildObjectKey(prefixValue, nameValue, idValue));
      }),
      { numRuns: 500 },
    );
  });
});
