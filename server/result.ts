/**
 * The outcome of a step that can fail in an expected way (bad input, a refused request): the
 * caller must look at `ok` before it can reach the value. Unexpected failures still throw.
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
