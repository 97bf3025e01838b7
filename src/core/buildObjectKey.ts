/** docs/oss-protocol.md §8 "Chinese or non-ASCII names" (S26): object names are 1–1023 bytes of UTF-8. */
export const MAX_OBJECT_KEY_BYTES = 1023;

const MAX_EXTENSION_LENGTH = 16;
const FALLBACK_NAME = 'file';

const encoder = new TextEncoder();
const utf8Length = (text: string) => encoder.encode(text).length;

// C0/C1 controls and the bidirectional overrides that can disguise an extension ("gpj.exe").
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Characters with a meaning in URLs, paths or shells: `%` so no decoder can turn "%2e%2e%2f" into "../",
// and `,` because the ticket API's `attachments` parameter is comma-separated (docs/oss-protocol.md §6).
const RESERVED_CHARACTERS = /[%#?<>:"|*,\\/]/g;

/** Drops path parts: only the last segment of "a/b\\c.txt" or "../../etc/passwd" is a file name. */
function baseName(fileName: string): string {
  const segments = fileName.split(/[/\\]/);
  return segments[segments.length - 1] ?? '';
}

/**
 * A readable, safe form of a file's name: no path, no control or bidi characters, no characters
 * reserved in URLs, no leading dots or spaces. CJK, emoji and other Unicode stay as they are.
 */
export function sanitizeFileName(fileName: string): string {
  const cleaned = baseName(fileName.normalize('NFC'))
    .replace(UNSAFE_CHARACTERS, '')
    .replace(RESERVED_CHARACTERS, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  return cleaned === '' ? FALLBACK_NAME : cleaned;
}

function splitExtension(name: string): [stem: string, extension: string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > MAX_EXTENSION_LENGTH + 1) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character (code point). */
function truncateUtf8(text: string, maxBytes: number): string {
  let result = '';
  let bytes = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (bytes + size > maxBytes) break;
    result += char;
    bytes += size;
  }
  return result;
}

/** The prefix with exactly one `/` before what follows, unless it is empty (docs/oss-protocol.md §8 "dir slash"). */
export function joinKeyPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^[/\\]+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/**
 * Builds the object key for one file: `<prefix>/<id>/<sanitised name>`.
 *
 * The id folder makes keys unique per file even when a batch holds two "scan.pdf", and keeps the
 * last segment equal to the readable name, so a download gets a sensible file name. The key is cut
 * to 1023 UTF-8 bytes by shortening the name, never the prefix, id or extension.
 */
export function buildObjectKey(prefix: string, fileName: string, id: string): string {
  const head = `${joinKeyPrefix(prefix)}${sanitizeFileName(id)}/`;
  const name = sanitizeFileName(fileName);
  const budget = MAX_OBJECT_KEY_BYTES - utf8Length(head);
  if (utf8Length(name) <= budget) return head + name;
  const [stem, extension] = splitExtension(name);
  const stemBudget = budget - utf8Length(extension);
  const shortStem = truncateUtf8(stem, stemBudget).replace(/[\s.]+$/, '');
  return head + (shortStem === '' ? FALLBACK_NAME : shortStem) + extension;
}
