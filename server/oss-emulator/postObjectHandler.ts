import busboy, { type Busboy, type FieldInfo, type FileInfo } from 'busboy';
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReadThrottle, type FaultInjector, type PostObjectFaultPlan } from './faults.js';
import { FileMeter, FileTooLargeError } from './fileMeter.js';
import type { ObjectStore, StoredObject } from './objectStore.js';
import { ossErrors, type OssError } from './ossErrors.js';
import { postObjectSuccessStatus, sendPostObjectSuccess } from './ossResponses.js';
import type { PostObjectCredentials } from './postObjectAuth.js';
import { checkCompletedUpload, storedObjectFor, validatePostObjectForm, type AcceptedPostObjectForm } from './postObjectForm.js';
import { PARSER_FIELD_SIZE_LIMIT, PostFormFields, readTextPart } from './postFormFields.js';
import { decodePostPolicy } from './postPolicy.js';
import { pumpRequestBody } from './pumpRequestBody.js';
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

/** After an early answer, keep discarding the body this long so the client can read the answer. */
const DRAIN_GRACE_MS = 5_000;

type Outcome =
  | { kind: 'error'; error: OssError; fault?: PostObjectFault }
  | { kind: 'stored'; object: StoredObject; form: AcceptedPostObjectForm }
  | { kind: 'aborted' }
  | { kind: 'dropped' };

/**
 * One PostObject request (docs/oss-protocol.md §1–§4), streamed: fields are checked as they arrive, the form is
 * validated when `file` starts, the file goes to a temporary file through a size-limiting
 * meter, and only a complete, valid upload is renamed into place.
 */
class PostObjectUpload {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #requestId: string;
  readonly #deps: PostObjectDeps;
  #plan: PostObjectFaultPlan;
  /** `maxFaultsPerName` is on: the faults are settled once the `key` field is known, when `file` starts. */
  readonly #faultsAtFile: boolean;
  readonly #receivedAt: number;
  readonly #fields = new PostFormFields();
  readonly #settled = new AbortController();
  readonly #bodyMd5: Hash | undefined;
  #queue: Promise<void> = Promise.resolve();
  #bytesReceived = 0;
  #fileSeen = false;
  #fileWrite: Promise<{ size: number; md5: string } | undefined> | undefined;
  /** Resolves when the temporary file's writer has closed its descriptor. */
  #fileClosed: Promise<void> | undefined;
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
    this.#faultsAtFile = deps.faults.capsFaultsPerName;
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
    if (this.#plan.failure && !this.#faultsAtFile) {
      // An injected failure still reads the whole body (the client sees progress), then fails.
      parser = undefined;
    } else {
      try {
        parser = busboy({
          headers: this.#req.headers,
          limits: { fieldSize: PARSER_FIELD_SIZE_LIMIT },
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
    if (this.#faultsAtFile && this.#fileSeen && this.#plan.failure) {
      this.#settle({ kind: 'error', error: ossErrors.injectedFailure(this.#deps.faults.current.failureStatus), fault: 'failure' });
      return;
    }
    await this.#finish();
  }

  /** Reads the body (throttled), feeds the parser, applies the drop fault. Returns true at body end. */
  async #pump(parser: Busboy | undefined): Promise<boolean> {
    const contentLength = Number(this.#req.headers['content-length']);
    const dropAt =
      this.#plan.drop && !this.#faultsAtFile
        ? Number.isFinite(contentLength) && contentLength > 1
          ? Math.floor(contentLength / 2)
          : 1
        : Number.POSITIVE_INFINITY;
    const end = await pumpRequestBody(this.#req, {
      throttle: new ReadThrottle(() => this.#deps.faults.bandwidthBytesPerSecond),
      dropAt,
      onDrop: () => this.#settle({ kind: 'dropped' }),
      settled: this.#settled.signal,
      onPiece: (piece) => {
        this.#bytesReceived += piece.length;
        this.#bodyMd5?.update(piece);
      },
      parser,
    });
    if (end === 'aborted') this.#settle({ kind: 'aborted' });
    return end === 'complete';
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
      // Only the part named `file` is the file (docs/oss-protocol.md §1); any other part is a text field.
      const collected = readTextPart(stream);
      this.#enqueue(async () => {
        const { text, truncated } = await collected;
        this.#onField(name, text, truncated);
      });
    });
    parser.on('error', (error: Error) => {
      // docs/oss-protocol.md §1: a body truncated in transit is EC 0006-00000104; other garbage is plain malformed.
      const truncated = /Unexpected end of/.test(error.message);
      this.#settle({ kind: 'error', error: truncated ? ossErrors.missingFile() : ossErrors.malformedPost() });
    });
  }

  #onField(name: string, value: string, valueTruncated: boolean): void {
    if (this.#isSettled) return;
    // docs/oss-protocol.md §1 (EC 0006-00000103): `file` must be the last field.
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
    const accepted = this.#fields.accept(name, value, valueTruncated);
    if (!accepted.ok) {
      this.#settle({ kind: 'error', error: accepted.error });
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
      // docs/oss-protocol.md §1 (S4): exactly one `file` part.
      stream.resume();
      this.#settle({ kind: 'error', error: ossErrors.incorrectNumberOfFiles() });
      return;
    }
    this.#fileSeen = true;
    if (this.#faultsAtFile) {
      this.#plan = this.#deps.faults.admit(this.#plan, this.#fields.get('key') ?? '');
      // A drop cuts the connection as the file starts (the fields before it are small); a failure
      // reads the rest and answers at the end, as without the cap.
      if (this.#plan.drop || this.#plan.failure) stream.resume();
      if (this.#plan.drop) this.#settle({ kind: 'dropped' });
      if (this.#plan.drop || this.#plan.failure) return;
    }
    const validation = validatePostObjectForm(this.#fields, {
      bucket: this.#deps.bucket,
      credentials: this.#deps.credentials,
      nowMs: this.#deps.clock(),
      forcePolicyExpired: this.#plan.forcePolicyExpired,
      fileName,
    });
    if (!validation.ok) {
      stream.resume();
      const forced = this.#plan.forcePolicyExpired && validation.error.message === ossErrors.policyExpired().message;
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
    const writer = createWriteStream(tempPath);
    // The file's descriptor is closed only at 'close', which can come after pipeline() rejects: a writer
    // destroyed while still opening its file creates it afterwards. Cleanup waits for it (see #settle).
    this.#fileClosed = new Promise<void>((resolve) => writer.once('close', () => resolve()));
    this.#fileWrite = pipeline(stream, meter, writer).then(
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
      // docs/oss-protocol.md §1: without `file` (or with `key` missing) the request is rejected.
      this.#settle({ kind: 'error', error: this.#fields.has('key') ? ossErrors.missingFile() : ossErrors.missingKey() });
      return;
    }
    const written = await this.#fileWrite;
    if (this.#isSettled || written === undefined) return;
    const form = this.#form;
    const declaredMd5 = this.#req.headers['content-md5'];
    const upload = {
      ...written,
      mimeType: this.#fileMimeType,
      contentMd5:
        this.#bodyMd5 !== undefined && typeof declaredMd5 === 'string'
          ? { declared: declaredMd5, received: this.#bodyMd5.digest('base64') }
          : undefined,
    };
    const checked = checkCompletedUpload(form, upload, (key) => this.#deps.store.has(key));
    if (!checked.ok) {
      this.#settle({ kind: 'error', error: checked.error });
      return;
    }
    const object = storedObjectFor(form, upload, this.#deps.clock());
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
      this.#cleanup = Promise.all([this.#fileWrite, this.#fileClosed])
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
    this.#log(postObjectSuccessStatus(form), undefined, undefined);
    sendPostObjectSuccess(this.#res, { bucket: this.#deps.bucket, baseUrl: this.#deps.baseUrl, object, form });
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
export function handlePostObject(req: IncomingMessage, res: ServerResponse, requestId: string, deps: PostObjectDeps): Promise<void> {
  return new PostObjectUpload(req, res, requestId, deps).run();
}
