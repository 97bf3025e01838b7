/** Longest accepted file name, in characters (code points): what common file systems allow. */
export const MAX_ATTACHMENT_FILE_NAME_LENGTH = 255;

// C0 and C1 control characters, and the bidirectional overrides that make "gpj.exe" read as "exe.jpg".
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Why `name` is not an acceptable attachment file name, or undefined when it is: a bare name (the
 * service puts it into the ObjectKey), never a path, never empty, at most 255 characters.
 */
export function validateAttachmentFileName(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'fileName must be a string.';
  if (name.trim() === '') return 'fileName must not be empty.';
  if ([...name].length > MAX_ATTACHMENT_FILE_NAME_LENGTH) {
    return `fileName must be at most ${MAX_ATTACHMENT_FILE_NAME_LENGTH} characters.`;
  }
  // With "/" and "\" refused, "." and ".." are the only names that still point at a directory.
  if (/[/\\]/.test(name) || name === '.' || name === '..') return 'fileName must be a file name, not a path.';
  if (FORBIDDEN_CHARACTERS.test(name)) return 'fileName must not contain control characters.';
  return undefined;
}
