import { UploadError } from './UploadError.js';

/** `promise`, or a `canceled` UploadError as soon as `signal` aborts (whatever `promise` does later). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new UploadError('canceled', 'The upload was canceled.'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
