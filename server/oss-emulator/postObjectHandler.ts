import busboy, { type Busboy, type FileInfo, type FieldInfo } from 'busboy';
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeObjectKey } from './encodeObjectKey.js';
import type { FaultInjector, PostObjectFaultPlan } from './faults.js';
import { ReadThrottle } from './faults.js';
import type { ObjectStore, StoredObject } from './objectStore.js';
import { ossErrors, renderPostResponseXml, type OssError } from './ossErrorXml.js';
import type { PostObjectCredentials } from './postObjectAuth.js';
import { validatePostObjectForm, type AcceptedPostObjectForm } from './postObjectForm.js';
import { PostFormFields } from './postFormFields.js';
import { decodePostPolicy } from './postPolicy.js';
import type { PostObjectFault, PostObjectLogEntry, RequestLog } from './requestLog.js';

/** What the PostObject handler needs from the emulator. */
export interface PostObjectDeps {
  bucket: string;
  credentials: PostObjectCredentials;
  store: ObjectStore;
  faults: FaultInjector;
  log: RequestLog;
  /** Emulator clock (ms), including the clockOffsetMs fault. */
  clock: () => number;
  /** Base URL of the emulator, for `Location` in the 201 answer. */
  baseUrl: string;
  /** Writes an OSS error XML answer (request id and host filled in). */
  sendError: (res: ServerResponse, error: OssError) => void;
}

// ref §1 limits.
const MAX_FIELD_VALUE_BYTES = 2 * 1024 * 1024;
const MAX_FIELD_NAME_BYTES = 8 * 1024;
const MAX_PRE_FILE_BYTES = 8 * 1024 * 1024;
/** After an early answer, keep discarding the body this long so the client can read the answer. */
const DRAIN_GRACE_MS = 5_000;

type Outcome =
  | { kind: 'error'; error: OssError; fault?: PostObjectFault }
  | { kind: 'stored'; object: StoredObject; form: AcceptedPostObjectForm }
  | { kind: 'aborted' }
  | { kind: 'dropped' };

class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
}

/** Counts, hashes and size-limits the file while it streams to disk (ref §2 content-length-range). */
class FileMeter extends Transform {
  size = 0;
  readonly md5: Hash = createHash('md5');

  constructor(
    private readonly maxSize: number,
    private readonly onFirstByte: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.size === 0 && chunk.length > 0) this.onFirstByte();
    this.size += chunk.length;
    // Stop as soon as the limit is passed, not at the end of the body (issue 3).
    if (this.size > this.maxSize) {
      callback(new FileTooLargeError());
      return;
    }
    this.md5.update(chunk);
    callback(null, chunk);
  }
}

function waitForDrain(stream: Writable, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // The request may have been settled synchronously inside write() (a parser error).
    if (signal.aborted || stream.destroyed) {
      resolve();
      return;
    }
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
    signal.addEventListener('abort', done);
  });
}

/** Reads a non-`file` part that busboy treats as a file (it has a filename) as a text field. */
function collectText(stream: Readable): Promise<{ text: string; truncated: boolean }> {
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

/**
 * One PostObject request (ref §1–§4), streamed: fields are checked as they arrive, the form is
 * validated when `file` starts, the file goes to a temporary file through a size-limiting
 * meter, and only a complete, valid upload is renamed into place.
 */
class PostObjectUpload {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #requestId: string;
  readonly #deps: PostObjectDeps;
  readonly #plan: PostObjectFaultPlan;
  readonly #receivedAt: number;
  readonly #fields = new PostFormFields();
  readonly #settled = new AbortController();
  readonly #bodyMd5: Hash | undefined;
  #queue: Promise<void> = Promise.resolve();
  #bytesReceived = 0;
  #fileSeen = false;
  #fileWrite: Promise<{ size: number; md5: string } | undefined> | undefined;
  #fileMimeType: string | undefined;
  #form: AcceptedPostObjectForm | undefined;
  #tempPath: string | undefined;
  #fileStream: Readable | undefined;
  #cleanup: Promise<void> = Promise.resolve();
  #firstFileByteAt: number | undefined;
  #policyExpiration: string | undefined;
  #policyExpiredAtReceipt = false;
  #outcomeLogged = false;

  constructor(req: IncomingMessage, res: ServerResponse, requestId: string, deps: PostObjectDeps) {
    this.#req = req;
    this.#res = res;
    this.#requestId = requestId;
    this.#deps = deps;
    this.#receivedAt = deps.clock();
    this.#plan = deps.faults.planPostObject();
    this.#bodyMd5 = typeof req.headers['content-md5'] === 'string' ? createHash('md5') : undefined;
  }

  get #isSettled(): boolean {
    return this.#settled.signal.aborted;
  }

  async run(): Promise<void> {
    try {
      await this.#process();
    } finally {
      // The answer may already be out; the temporary file must be gone before we report done.
      await this.#cleanup;
    }
  }

  async #process(): Promise<void> {
    if (this.#plan.latencyMs > 0) await sleep(this.#plan.latencyMs);
    let parser: Busboy | undefined;
    if (this.#plan.failure) {
      // An injected failure still reads the whole body (the client sees progress), then fails.
      parser = undefined;
    } else {
      try {
        parser = busboy({
          headers: this.#req.headers,
          // +1 so "exactly at the limit" is allowed and "over it" shows up as truncated.
          limits: { fieldSize: MAX_FIELD_VALUE_BYTES + 1 },
          defParamCharset: 'utf8',
        });
      } catch {
        // Not multipart/form-data, or no boundary.
        this.#settle({ kind: 'error', error: ossErrors.malformedPost() });
      }
      if (parser !== undefined) this.#wireParser(parser);
    }
    const bodyComplete = await this.#pump(parser);
    if (this.#isSettled || !bodyComplete) return;
    if (parser === undefined) {
      this.#settle({ kind: 'error', error: ossErrors.injectedFailure(this.#deps.faults.current.failureStatus), fault: 'failure' });
      return;
    }
    parser.end();
    await new Promise<void>((resolve) => {
      // Not `closed`/`destroyed`: a parser that fails in end() is destroyed at once but emits its
      // 'error' (which settles the request) and 'close' only on the next tick.
      if (this.#isSettled) {
        resolve();
        return;
      }
      parser.once('close', resolve);
      this.#settled.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await this.#queue;
    if (this.#isSettled) return;
    await this.#finish();
  }

  /** Reads the body (throttled), feeds the parser, applies the drop fault. Returns true at body end. */
  async #pump(parser: Busboy | undefined): Promise<boolean> {
    const throttle = new ReadThrottle(() => this.#deps.faults.bandwidthBytesPerSecond);
    const contentLength = Number(this.#req.headers['content-length']);
    const dropAt = this.#plan.drop
      ? Number.isFinite(contentLength) && contentLength > 1
        ? Math.floor(contentLength / 2)
        : 1
      : Number.POSITIVE_INFINITY;
    // Once the answer is out, Node no longer ties the request to its socket: if the socket then
    // closes mid-body, the request would neither end nor fail, so end it ourselves.
    const socket = this.#req.socket;
    const onSocketClose = (): void => {
      if (!this.#req.complete) this.#req.destroy(new Error('connection closed mid-body'));
    };
    socket.once('close', onSocketClose);
    try {
      for await (const chunk of this.#req as AsyncIterable<Buffer>) {
        // After an early answer: discard the rest so the client gets to read the answer.
        if (this.#isSettled) continue;
        for (const piece of throttle.split(chunk)) {
          await throttle.pace(piece.length);
          if (this.#isSettled) break;
          this.#bytesReceived += piece.length;
          this.#bodyMd5?.update(piece);
          if (this.#bytesReceived >= dropAt) {
            this.#settle({ kind: 'dropped' });
            return false;
          }
          if (parser !== undefined && !parser.write(piece)) await waitForDrain(parser, this.#settled.signal);
        }
      }
      return true;
    } catch {
      // The client went away mid-body (or the grace timer cut a drain short).
      this.#settle({ kind: 'aborted' });
      return false;
    } finally {
      socket.off('close', onSocketClose);
    }
  }

  #enqueue(step: () => void | Promise<void>): void {
    this.#queue = this.#queue.then(step).catch(() => {
      this.#settle({ kind: 'error', error: ossErrors.internalError() });
    });
  }

  #wireParser(parser: Busboy): void {
    parser.on('field', (name: string, value: string, info: FieldInfo) => {
      this.#enqueue(() => this.#onField(name, value, info.valueTruncated));
    });
    parser.on('file', (name: string, stream: Readable, info: FileInfo) => {
      if (this.#isSettled) {
        stream.resume();
        return;
      }
      if (name.toLowerCase() === 'file') {
        this.#enqueue(() => this.#onFile(stream, info.filename, info.mimeType));
        return;
      }
      // Only the part named `file` is the file (ref §1); any other part is a text field.
      const collected = collectText(stream);
      this.#enqueue(async () => {
        const { text, truncated } = await collected;
        this.#onField(name, text, truncated);
      });
    });
    parser.on('error', (error: Error) => {
      // ref §1: a body truncated in transit is EC 0006-00000104; other garbage is plain malformed.
      const truncated = /Unexpected end of/.test(error.message);
      this.#settle({ kind: 'error', error: truncated ? ossErrors.missingFile() : ossErrors.malformedPost() });
    });
  }

  #onField(name: string, value: string, valueTruncated: boolean): void {
    if (this.#isSettled) return;
    // ref §1 (EC 0006-00000103): `file` must be the last field.
    if (this.#fileSeen) {
      this.#settle({ kind: 'error', error: ossErrors.malformedPost('0006-00000103') });
      return;
    }
    // Official samples append `file` as a plain string (ali-oss README); it is still the file.
    if (name.toLowerCase() === 'file') {
      if (valueTruncated) {
        this.#settle({ kind: 'error', error: ossErrors.fieldItemTooLong() });
        return;
      }
      this.#onFile(Readable.from([Buffer.from(value, 'utf8')]), undefined, undefined);
      return;
    }
    // ref §1: one field name at most 8 KB (EC 0006-00000110), one value at most 2 MB.
    if (Buffer.byteLength(name) > MAX_FIELD_NAME_BYTES) {
      this.#settle({ kind: 'error', error: ossErrors.fieldItemTooLong('0006-00000110') });
      return;
    }
    if (valueTruncated) {
      this.#settle({ kind: 'error', error: ossErrors.fieldItemTooLong() });
      return;
    }
    if (!this.#fields.add(name, value)) {
      // [U] a field sent twice would let a policy check see another copy than the one used.
      this.#settle({ kind: 'error', error: ossErrors.invalidArgument(`The form field "${name}" appears more than once.`) });
      return;
    }
    // ref §1: all fields before `file` together at most 8 MB (EC 0006-00000112).
    if (this.#fields.totalBytes > MAX_PRE_FILE_BYTES) {
      this.#settle({ kind: 'error', error: ossErrors.preDataTooLong() });
      return;
    }
    if (name.toLowerCase() === 'policy') {
      const policy = decodePostPolicy(value);
      if (policy.ok) {
        this.#policyExpiration = policy.value.expiration;
        this.#policyExpiredAtReceipt = policy.value.expiresAtMs < this.#receivedAt;
      }
    }
  }

  #onFile(stream: Readable, fileName: string | undefined, mimeType: string | undefined): void {
    if (this.#isSettled) {
      stream.resume();
      return;
    }
    if (this.#fileSeen) {
      // ref §1 (S4): exactly one `file` part.
      stream.resume();
      this.#settle({ kind: 'error', error: ossErrors.incorrectNumberOfFiles() });
      return;
    }
    this.#fileSeen = true;
    const validation = validatePostObjectForm(this.#fields, {
      bucket: this.#deps.bucket,
      credentials: this.#deps.credentials,
      nowMs: this.#deps.clock(),
      forcePolicyExpired: this.#plan.forcePolicyExpired,
      fileName,
    });
    if (!validation.ok) {
      stream.resume();
      const forced =
        this.#plan.forcePolicyExpired && validation.error.message === ossErrors.policyExpired().message;
      this.#settle({ kind: 'error', error: validation.error, ...(forced ? { fault: 'forced-policy-expired' as const } : {}) });
      return;
    }
    const form = validation.value;
    this.#form = form;
    this.#fileMimeType = mimeType;
    const tempPath = this.#deps.store.tempPath(this.#requestId);
    this.#tempPath = tempPath;
    this.#fileStream = stream;
    const meter = new FileMeter(form.maxSize, () => {
      this.#firstFileByteAt = this.#deps.clock();
    });
    this.#fileWrite = pipeline(stream, meter, createWriteStream(tempPath)).then(
      () => ({ size: meter.size, md5: meter.md5.digest('hex') }),
      (error: unknown) => {
        if (error instanceof FileTooLargeError) this.#settle({ kind: 'error', error: ossErrors.entityTooLarge() });
        else this.#settle({ kind: 'error', error: ossErrors.missingFile() });
        return undefined;
      },
    );
  }

  /** The body is complete and parsed: check what only the end can tell, then commit. */
  async #finish(): Promise<void> {
    if (!this.#fileSeen || this.#fileWrite === undefined || this.#form === undefined) {
      // ref §1: without `file` (or with `key` missing) the request is rejected.
      this.#settle({ kind: 'error', error: this.#fields.has('key') ? ossErrors.missingFile() : ossErrors.missingKey() });
      return;
    }
    const written = await this.#fileWrite;
    if (this.#isSettled || written === undefined) return;
    const form = this.#form;
    if (written.size < form.minSize) {
      this.#settle({ kind: 'error', error: ossErrors.entityTooSmall() });
      return;
    }
    const declaredMd5 = this.#req.headers['content-md5'];
    // ref §1: an optional Content-MD5 header covers the whole body.
    if (this.#bodyMd5 !== undefined && declaredMd5 !== this.#bodyMd5.digest('base64')) {
      this.#settle({ kind: 'error', error: ossErrors.invalidDigest() });
      return;
    }
    if (form.forbidOverwrite && this.#deps.store.has(form.key)) {
      this.#settle({ kind: 'error', error: ossErrors.fileAlreadyExists() });
      return;
    }
    const object: StoredObject = {
      key: form.key,
      size: written.size,
      md5: written.md5,
      etag: `"${written.md5.toUpperCase()}"`,
      // ref §1: x-oss-content-type > the file part's Content-Type > the Content-Type field.
      contentType: form.ossContentType ?? this.#fileMimeType ?? form.contentTypeField ?? 'application/octet-stream',
      storedAt: this.#deps.clock(),
      headers: form.storedHeaders,
    };
    const disposition = form.storedHeaders['Content-Disposition'];
    if (disposition !== undefined) object.contentDisposition = disposition;
    if (this.#tempPath === undefined) return;
    await this.#deps.store.commit(this.#tempPath, object);
    this.#tempPath = undefined;
    this.#settle({ kind: 'stored', object, form });
  }

  #settle(outcome: Outcome): void {
    if (this.#isSettled) return;
    this.#settled.abort();
    // An abandoned file part would never end on its own: fail it so the writer closes. (Node 20's
    // pipeline never settles when a source is destroyed without an error after push(null).)
    this.#fileStream?.destroy(new Error('PostObject request settled'));
    if (this.#tempPath !== undefined) {
      const tempPath = this.#tempPath;
      this.#tempPath = undefined;
      // Wait for the writer to close before unlinking, so nothing is recreated afterwards.
      this.#cleanup = (this.#fileWrite ?? Promise.resolve())
        .then(() => this.#deps.store.discard(tempPath))
        .catch(() => undefined);
    }
    switch (outcome.kind) {
      case 'error':
        // Clean up first, so a client that sees the error never sees a leftover temporary file.
        void this.#cleanup.then(() => this.#respondError(outcome.error, outcome.fault));
        break;
      case 'stored':
        this.#respondStored(outcome.object, outcome.form);
        break;
      case 'dropped':
        this.#log(0, undefined, 'drop');
        this.#req.socket.destroy();
        break;
      case 'aborted':
        this.#log(0, undefined, undefined);
        break;
    }
  }

  #respondError(error: OssError, fault: PostObjectFault | undefined): void {
    this.#log(error.status, error.code, fault);
    if (this.#res.headersSent || this.#res.destroyed) return;
    this.#deps.sendError(this.#res, error);
    if (!this.#req.complete) {
      // Answered before the body ended: let the client finish sending for a while, then cut it.
      const timer = setTimeout(() => {
        if (!this.#req.complete) this.#req.socket.destroy();
      }, DRAIN_GRACE_MS);
      timer.unref();
    }
  }

  #respondStored(object: StoredObject, form: AcceptedPostObjectForm): void {
    const res = this.#res;
    res.setHeader('ETag', object.etag);
    const sse = form.storedHeaders['x-oss-server-side-encryption'];
    if (sse !== undefined) res.setHeader('x-oss-server-side-encryption', sse);
    const location = `${this.#deps.baseUrl}/${encodeObjectKey(object.key)}`;
    if (form.successActionRedirect !== undefined) {
      // ref §1: on success, redirect the client (with bucket, key and etag as S3-style query). [U]
      const target = new URL(form.successActionRedirect);
      target.searchParams.set('bucket', this.#deps.bucket);
      target.searchParams.set('key', object.key);
      target.searchParams.set('etag', object.etag);
      this.#log(303, undefined, undefined);
      res.writeHead(303, { Location: target.toString(), 'Content-Length': '0' }).end();
      return;
    }
    this.#log(form.successActionStatus, undefined, undefined);
    if (form.successActionStatus === 201) {
      const body = renderPostResponseXml({ bucket: this.#deps.bucket, location, key: object.key, etag: object.etag });
      res.writeHead(201, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) }).end(body);
      return;
    }
    if (form.successActionStatus === 200) {
      res.writeHead(200, { 'Content-Length': '0' }).end();
      return;
    }
    res.writeHead(204).end();
  }

  #log(status: number, code: string | undefined, fault: PostObjectFault | undefined): void {
    if (this.#outcomeLogged) return;
    this.#outcomeLogged = true;
    const entry: PostObjectLogEntry = {
      requestId: this.#requestId,
      method: 'POST',
      status,
      receivedAt: this.#receivedAt,
      finishedAt: this.#deps.clock(),
      bytesReceived: this.#bytesReceived,
      policyExpiredAtReceipt: this.#policyExpiredAtReceipt,
    };
    const key = this.#form?.key ?? this.#fields.get('key');
    if (key !== undefined) entry.key = key;
    if (code !== undefined) entry.code = code;
    if (this.#firstFileByteAt !== undefined) entry.firstFileByteAt = this.#firstFileByteAt;
    if (this.#policyExpiration !== undefined) entry.policyExpiration = this.#policyExpiration;
    if (fault !== undefined) entry.fault = fault;
    this.#deps.log.add(entry);
  }
}

/** Handles `POST /` (PostObject); resolves once the request is answered and cleaned up. */
export function handlePostObject(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  deps: PostObjectDeps,
): Promise<void> {
  return new PostObjectUpload(req, res, requestId, deps).run();
}
