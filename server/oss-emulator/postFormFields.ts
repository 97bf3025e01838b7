/**
 * The text fields of a PostObject form, in arrival order.
 *
 * ref §1 [U]: the docs disagree on whether field names are case-sensitive (the API reference
 * says `Signature` is not; official demos send `signature`). We take the tolerant reading and
 * look every name up case-insensitively; a name sent twice (in any case) is rejected so a
 * policy check can never look at a different copy than the one that is used.
 */
export class PostFormFields {
  readonly #fields = new Map<string, { name: string; value: string }>();
  #totalBytes = 0;

  /** Adds a field; returns false when a field of that name (in any case) already exists. */
  add(name: string, value: string): boolean {
    const lower = name.toLowerCase();
    if (this.#fields.has(lower)) return false;
    this.#fields.set(lower, { name, value });
    this.#totalBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
    return true;
  }

  get(name: string): string | undefined {
    return this.#fields.get(name.toLowerCase())?.value;
  }

  has(name: string): boolean {
    return this.#fields.has(name.toLowerCase());
  }

  /** Bytes of names and values so far (ref §1: at most 8 MB before `file`). */
  get totalBytes(): number {
    return this.#totalBytes;
  }

  /** Fields in arrival order, with the names as sent. */
  list(): Array<{ name: string; value: string }> {
    return [...this.#fields.values()];
  }
}
