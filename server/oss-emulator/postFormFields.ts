import type { Readable } from 'node:stream';
import { err, ok, type Result } from '../result.js';
import { ossErrors, type OssError } from './ossErrors.js';

// docs/oss-protocol.md §1 limits.
const MAX_FIELD_VALUE_BYTES = 2 * 1024 * 1024;
const MAX_FIELD_NAME_BYTES = 8 * 1024;
const MAX_PRE_FILE_BYTES = 8 * 1024 * 1024;

/** The multipart parser's value limit: +1 so "exactly at the limit" is allowed and "over it" shows up as truncated. */
export const PARSER_FIELD_SIZE_LIMIT = MAX_FIELD_VALUE_BYTES + 1;

/**
 * The text fields of a PostObject form, in arrival order.
 *
 * docs/oss-protocol.md §1 [U]: the docs disagree on whether field names are case-sensitive (the API reference
 * says `Signature` is not; official demos send `signature`). We take the tolerant reading and
 * look every name up case-insensitively; a name sent twice (in any case) is rejected so a
 * policy check can never look at a different copy than the one that is used.
 */
export class PostFormFields {
  readonly #fields = new Map<string, { name: string; value: string }>();
  #totalBytes = 0;

  /** Adds a field; returns false when a field of that name (in any case) already exists. */
  #add(name: string, value: string): boolean {
    const lower = name.toLowerCase();
    if (this.#fields.has(lower)) return false;
    this.#fields.set(lower, { name, value });
    this.#totalBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
    return true;
  }

  /**
   * Adds a field that arrived before `file`, within the limits of docs/oss-protocol.md §1; `valueTruncated` says
   * the parser cut the value at {@link PARSER_FIELD_SIZE_LIMIT}.
   */
  accept(name: string, value: string, valueTruncated: boolean): Result<void, OssError> {
    // docs/oss-protocol.md §1: one field name at most 8 KB (EC 0006-00000110), one value at most 2 MB.
    if (Buffer.byteLength(name) > MAX_FIELD_NAME_BYTES) return err(ossErrors.fieldItemTooLong('0006-00000110'));
    if (valueTruncated) return err(ossErrors.fieldItemTooLong());
    if (!this.#add(name, value)) {
      // [U] a field sent twice would let a policy check see another copy than the one used.
      return err(ossErrors.invalidArgument(`The form field "${name}" appears more than once.`));
    }
    // docs/oss-protocol.md §1: all fields before `file` together at most 8 MB (EC 0006-00000112).
    if (this.#totalBytes > MAX_PRE_FILE_BYTES) return err(ossErrors.preDataTooLong());
    return ok(undefined);
  }

  get(name: string): string | undefined {
    return this.#fields.get(name.toLowerCase())?.value;
  }

  has(name: string): boolean {
    return this.#fields.has(name.toLowerCase());
  }

  /** Fields in arrival order, with the names as sent. */
  list(): Array<{ name: string; value: string }> {
    return [...this.#fields.values()];
  }
}

/** Reads a non-`file` part that the parser treats as a file (it has a filename) as a text field. */
export function readTextPart(stream: Readable): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FIELD_VALUE_BYTES) truncated = true;
      else chunks.push(chunk);
    });
    const finish = (): void => resolve({ text: Buffer.concat(chunks).toString('utf8'), truncated });
    stream.on('end', finish);
    stream.on('error', finish);
  });
}
