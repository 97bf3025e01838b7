import type { ImageCodec } from './ImageCodec.js';
import type { Dimensions } from './shrinkSearch.js';
import type { UploadError as UploadErrorClass } from './UploadError.js';

/**
 * The worker's whole program, as plain JavaScript text started from a `blob:` URL (docs/image-shrinking.md §4
 * "Where the work runs", "Shipping the worker"): a library cannot ship a worker *file* that survives both its own
 * Vite library build and the app's bundler, but a string survives any bundler untouched. Keep it self-contained and
 * in plain ES2017: no bundler transpiles it. It decodes (EXIF orientation applied, §1), resizes, draws and encodes
 * on an OffscreenCanvas, so none of that work touches the page's main thread.
 */
const WORKER_SOURCE = `'use strict';
let canvas = null;
const reply = (id, message) => postMessage(Object.assign({ id: id }, message));
const decode = async (id, file, size) => {
  const options = { imageOrientation: 'from-image' };
  if (size) Object.assign(options, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' });
  try {
    return await createImageBitmap(file, options);
  } catch (error) {
    reply(id, { ok: false, kind: 'decode', message: String((error && error.message) || error) });
    return null;
  }
};
onmessage = async (event) => {
  const request = event.data;
  const id = request.id;
  try {
    if (request.op === 'hello') {
      let ready = typeof OffscreenCanvas === 'function' && typeof createImageBitmap === 'function';
      if (ready) ready = new OffscreenCanvas(1, 1).getContext('2d') !== null && 'convertToBlob' in OffscreenCanvas.prototype;
      reply(id, { ok: true, value: ready });
    } else if (request.op === 'probe') {
      const bitmap = await decode(id, request.file, null);
      if (!bitmap) return;
      const size = { width: bitmap.width, height: bitmap.height };
      bitmap.close();
      reply(id, { ok: true, value: size });
    } else if (request.op === 'render') {
      if (canvas) canvas.width = canvas.height = 0;
      canvas = null;
      const bitmap = await decode(id, request.file, request.resize ? request.size : null);
      if (!bitmap) return;
      canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d', { alpha: !request.opaque });
      if (request.opaque) {
        context.fillStyle = '#fff';
        context.fillRect(0, 0, canvas.width, canvas.height);
      }
      context.drawImage(bitmap, 0, 0);
      bitmap.close();
      reply(id, { ok: true });
    } else if (request.op === 'encode') {
      reply(id, { ok: true, value: await canvas.convertToBlob({ type: request.type, quality: request.quality }) });
    }
  } catch (error) {
    reply(id, { ok: false, kind: 'other', message: String((error && error.message) || error) });
  }
};
`;

type WorkerAnswer = { id: number; ok: true; value?: unknown } | { id: number; ok: false; kind: 'decode' | 'other'; message: string };

let workerUrl: string | undefined;

/**
 * A codec whose work runs in a dedicated worker, or undefined when this page cannot start one that works
 * (no Worker, a Content-Security-Policy without `blob:` in `worker-src`, no OffscreenCanvas 2D in workers as in
 * Safari before 16.4): the caller then falls back to the main thread.
 */
export async function createWorkerImageCodec(UploadError: typeof UploadErrorClass): Promise<ImageCodec | undefined> {
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || typeof URL.createObjectURL !== 'function') return undefined;
  let worker: Worker;
  try {
    workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    worker = new Worker(workerUrl);
  } catch {
    return undefined;
  }

  let nextId = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void; file?: File }>();
  let broken: Error | undefined;
  worker.onmessage = (event: MessageEvent<WorkerAnswer>) => {
    const answer = event.data;
    const waiting = pending.get(answer.id);
    if (!waiting) return;
    pending.delete(answer.id);
    if (answer.ok) waiting.resolve(answer.value);
    else if (answer.kind === 'decode') {
      const name = waiting.file?.name ?? 'the image';
      const type = waiting.file?.type || 'no type';
      waiting.reject(
        new UploadError('image-not-decodable', `This browser cannot decode "${name}" (${type}), so it cannot be shrunk.`, {
          cause: new Error(answer.message),
        }),
      );
    } else waiting.reject(new Error(answer.message));
  };
  // A worker blocked by CSP, or one that fails to load, reports here instead of answering.
  worker.onerror = (event) => {
    event.preventDefault();
    broken = new Error(`The image worker failed: ${event.message || 'it could not start'}`);
    for (const waiting of pending.values()) waiting.reject(broken);
    pending.clear();
  };
  const call = <T>(message: Record<string, unknown>, file?: File): Promise<T> => {
    if (broken) return Promise.reject(broken);
    const id = (nextId += 1);
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, file });
      worker.postMessage({ ...message, id });
    });
  };

  const ready = await call<boolean>({ op: 'hello' }).catch(() => false);
  if (!ready) {
    worker.terminate();
    return undefined;
  }
  return {
    probe: (file) => call<Dimensions>({ op: 'probe', file }, file),
    render: (file, size, resize, opaque) => call<void>({ op: 'render', file, size, resize, opaque }, file),
    encode: (type, quality) => call<Blob>({ op: 'encode', type, quality }),
    // Ending the worker frees its bitmaps and canvas at once, and stops work a canceled shrink left running.
    dispose: () => {
      worker.terminate();
      for (const waiting of pending.values()) waiting.reject(new Error('The image worker was stopped.'));
      pending.clear();
    },
  };
}
