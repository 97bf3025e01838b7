/**
 * Reports an error nobody up the stack can handle, the way the browser reports an uncaught one, so
 * the app's error reporting (`window` 'error' listeners, Sentry and the like) sees it: `reportError`
 * (every browser React 18 supports; it fires the page's 'error' event and logs), else a rethrow (Node,
 * SSR: the process's uncaught-exception handling). Always on a later microtask, so a listener that
 * reacts to the report never re-enters the caller halfway through a state change.
 */
export function reportUncaughtError(error: unknown): void {
  queueMicrotask(() => {
    if (typeof reportError !== 'function') throw error;
    reportError(error);
  });
}

/**
 * Calls an app's callback on the caller's behalf: whatever it throws (or an async callback rejects
 * with) is reported with `reportUncaughtError` and never reaches the caller, so a broken callback
 * cannot turn a stored upload into a failed one, leave the queue half-updated, or be swallowed.
 */
export function callUserCallback<Args extends unknown[]>(callback: ((...args: Args) => unknown) | undefined, ...args: Args): void {
  try {
    const result = callback?.(...args);
    if (result instanceof Promise) result.catch(reportUncaughtError);
  } catch (error) {
    reportUncaughtError(error);
  }
}
