/**
 * docs/testing-notes.md §1: vitest 4.1's jsdom environment replaces the
 * global `Request` with a wrapper that converts jsdom `FormData`/`Blob` bodies by reading a private
 * jsdom field (`_buffer`) that jsdom 28 renamed, so every file part reaches an msw handler as the
 * 9-byte string "undefined" named "blob".
 *
 * This setup file runs before msw is imported (msw's interceptors subclass the global `Request` when
 * they load) and installs a subclass of Node's own `Request` that encodes a jsdom `FormData` or `Blob`
 * body itself, through public APIs only (`FormData#entries`, `Blob#arrayBuffer`): a
 * `multipart/form-data` stream in the HTML form encoding, with each part's bytes, file name and type.
 * Handlers then read it with `await request.formData()` as they would in a browser.
 *
 * `test/react/jsdomRequestFix.test.tsx` asserts what a handler receives, so an upgrade that makes
 * this file unnecessary (or breaks it) shows up.
 */
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { ReadableStream } from 'node:stream/web';

type RequestClass = typeof globalThis.Request;

const FIXED = Symbol.for('ticket-attachment-uploader.jsdomRequestFix');
const REPLACED = Symbol.for('ticket-attachment-uploader.jsdomRequestFix.replaced');

/** The `Request` this file replaced (vitest's jsdom wrapper), kept so a test can tell when the fix is no longer needed. */
export function getReplacedRequest(): RequestClass | undefined {
  return (globalThis as Record<symbol, unknown>)[REPLACED] as RequestClass | undefined;
}

interface BlobLike {
  readonly size: number;
  readonly type: string;
  readonly name?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

interface FormDataLike {
  forEach(callback: (value: unknown, key: string) => void): void;
}

function tagOf(value: unknown): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

function isBlobLike(value: unknown): value is BlobLike {
  const tag = tagOf(value);
  return (tag === 'Blob' || tag === 'File') && typeof (value as BlobLike).arrayBuffer === 'function';
}

function isFormDataLike(value: unknown): value is FormDataLike {
  return tagOf(value) === 'FormData' && typeof (value as FormDataLike).forEach === 'function';
}

/** Node's `Request`: vitest's wrapper (and this file's, when the setup runs again) sits on top of it with its own `Symbol.hasInstance`. */
function findNodeRequest(): RequestClass {
  let candidate = globalThis.Request as RequestClass;
  while (Object.prototype.hasOwnProperty.call(candidate, Symbol.hasInstance) || Object.prototype.hasOwnProperty.call(candidate, FIXED)) {
    candidate = Object.getPrototypeOf(candidate) as RequestClass;
  }
  return candidate;
}

/** The HTML spec's multipart/form-data escaping of names and file names. */
function escapeQuoted(value: string): string {
  return value.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

function normalizeNewlines(value: string): string {
  return value.replace(/\r\n|\r|\n/g, '\r\n');
}

/** Encodes the entries now (their order and values are fixed at construction, as in a browser); reads file bytes lazily. */
function encodeMultipart(form: FormDataLike, boundary: string): ReadableStream<Uint8Array> {
  const parts: Array<Buffer | BlobLike> = [];
  form.forEach((value, name) => {
    if (isBlobLike(value)) {
      const fileName = value.name ?? 'blob';
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(name)}"; filename="${escapeQuoted(fileName)}"\r\n` +
            `Content-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`,
        ),
        value,
        Buffer.from('\r\n'),
      );
    } else {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(name)}"\r\n\r\n${normalizeNewlines(String(value))}\r\n`,
        ),
      );
    }
  });
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return blobStream(parts);
}

function blobStream(parts: ReadonlyArray<Buffer | BlobLike>): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const part = parts[index];
      index += 1;
      if (part === undefined) {
        controller.close();
        return;
      }
      controller.enqueue(Buffer.isBuffer(part) ? new Uint8Array(part) : new Uint8Array(await part.arrayBuffer()));
    },
  });
}

function installRequestFix(): void {
  const current = globalThis.Request as RequestClass;
  if (!Object.prototype.hasOwnProperty.call(current, FIXED)) (globalThis as Record<symbol, unknown>)[REPLACED] = current;
  const NodeRequest = findNodeRequest();

  class Request extends NodeRequest {
    static readonly [FIXED] = true;

    constructor(input: RequestInfo | URL, init?: RequestInit) {
      const body: unknown = init?.body;
      if (init && body != null && (isFormDataLike(body) || isBlobLike(body))) {
        const headers = new Headers(init.headers);
        let stream: ReadableStream<Uint8Array>;
        if (isFormDataLike(body)) {
          const boundary = `----jsdomRequestFix${randomUUID().replace(/-/g, '')}`;
          headers.set('content-type', `multipart/form-data; boundary=${boundary}`);
          stream = encodeMultipart(body, boundary);
        } else {
          if (!headers.has('content-type') && body.type) headers.set('content-type', body.type);
          stream = blobStream([body]);
        }
        super(input, { ...init, headers, body: stream as unknown as BodyInit, duplex: 'half' } as RequestInit);
      } else {
        super(input, init);
      }
    }

    static override [Symbol.hasInstance](instance: unknown): boolean {
      return instance instanceof NodeRequest;
    }
  }

  globalThis.Request = Request as RequestClass;
}

installRequestFix();
