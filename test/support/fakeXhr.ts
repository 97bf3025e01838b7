/**
 * A minimal, synchronous stand-in for `XMLHttpRequest`, passed to `postObject` through its
 * `createXhr` seam. It records what the code under test did (method, URL, headers, the FormData
 * sent, `withCredentials` at send time, abort calls) and lets a test play the network's part with
 * `progress()`, `respond()`, `failNetwork()` and `fireTimeout()`, firing events in the order a
 * browser does (XHR spec: readystatechange → load/error/abort → loadend).
 *
 * jsdom never fires step-wise `xhr.upload` progress (docs/testing-notes.md §2), so progress logic is tested here.
 */

type Handler = ((this: unknown, event: FakeProgressEvent) => void) | null;

/** The fields of a `ProgressEvent` the library reads (Node has no `ProgressEvent`). */
export interface FakeProgressEvent {
  type: string;
  target: unknown;
  lengthComputable: boolean;
  loaded: number;
  total: number;
}

/** The EventTarget-like part shared by the XHR and its `upload` object. */
class FakeEventSource {
  private readonly listeners = new Map<string, Set<(event: FakeProgressEvent) => void>>();

  addEventListener(type: string, listener: (event: FakeProgressEvent) => void): void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
  }

  removeEventListener(type: string, listener: (event: FakeProgressEvent) => void): void {
    this.listeners.get(type)?.delete(listener);
  }

  /** Fires `on<type>` first, then listeners, like a browser with one handler property and added listeners. */
  protected fire(type: string, init: Partial<Pick<FakeProgressEvent, 'lengthComputable' | 'loaded' | 'total'>> = {}): void {
    const event: FakeProgressEvent = { type, target: this, lengthComputable: false, loaded: 0, total: 0, ...init };
    const handler = (this as unknown as Record<string, Handler>)[`on${type}`];
    if (typeof handler === 'function') handler.call(this, event);
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
}

export class FakeXhrUpload extends FakeEventSource {
  onloadstart: Handler = null;
  onprogress: Handler = null;
  onload: Handler = null;
  onerror: Handler = null;
  onabort: Handler = null;
  ontimeout: Handler = null;
  onloadend: Handler = null;

  /** Test helper side: fires an upload event. */
  emit(type: string, init?: Partial<Pick<FakeProgressEvent, 'lengthComputable' | 'loaded' | 'total'>>): void {
    this.fire(type, init);
  }
}

export interface FakeXhrOptions {
  /** Initial `withCredentials` (a real XHR starts at false; true here proves the code under test turns it off). */
  withCredentials?: boolean;
  /**
   * Cross-origin response: only CORS-safelisted headers and these (the bucket rule's
   * `ExposeHeader`, docs/oss-protocol.md §5) are readable; others read as null and are recorded in
   * `unsafeHeaderReads` (Chrome logs "Refused to get unsafe header"). Default: every header is readable.
   */
  exposedHeaders?: readonly string[];
}

/** Response headers a cross-origin page may always read (Fetch spec "CORS-safelisted response-header name"). */
const SAFELISTED_RESPONSE_HEADERS = [
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
];

export class FakeXhr extends FakeEventSource {
  static readonly UNSENT = 0;
  static readonly OPENED = 1;
  static readonly HEADERS_RECEIVED = 2;
  static readonly LOADING = 3;
  static readonly DONE = 4;

  readyState = FakeXhr.UNSENT;
  status = 0;
  statusText = '';
  responseText = '';
  responseType = '';
  timeout = 0;
  readonly upload = new FakeXhrUpload();

  onreadystatechange: Handler = null;
  onloadstart: Handler = null;
  onprogress: Handler = null;
  onload: Handler = null;
  onerror: Handler = null;
  onabort: Handler = null;
  ontimeout: Handler = null;
  onloadend: Handler = null;

  // What the code under test did.
  method: string | null = null;
  url: string | null = null;
  async: boolean | null = null;
  readonly requestHeaders: Record<string, string> = {};
  body: unknown = undefined;
  sent = false;
  abortCalls = 0;
  /** `withCredentials` as it was when `send()` ran. */
  withCredentialsAtSend: boolean | null = null;

  /** Names the code asked `getResponseHeader` for that CORS does not let it read. */
  readonly unsafeHeaderReads: string[] = [];

  private credentials: boolean;
  private responseHeaders: Record<string, string> = {};
  private readonly exposed: ReadonlySet<string> | null;

  constructor(options: FakeXhrOptions = {}) {
    super();
    this.credentials = options.withCredentials ?? false;
    this.exposed = options.exposedHeaders
      ? new Set([...SAFELISTED_RESPONSE_HEADERS, ...options.exposedHeaders.map((name) => name.toLowerCase())])
      : null;
  }

  private isReadable(name: string): boolean {
    return this.exposed === null || this.exposed.has(name.toLowerCase());
  }

  get withCredentials(): boolean {
    return this.credentials;
  }

  set withCredentials(value: boolean) {
    if (this.sent) throw new Error('FakeXhr: withCredentials set after send() (a browser throws InvalidStateError).');
    this.credentials = value;
  }

  open(method: string, url: string | URL, async = true): void {
    this.method = method;
    this.url = String(url);
    this.async = async;
    this.readyState = FakeXhr.OPENED;
    this.fire('readystatechange');
  }

  setRequestHeader(name: string, value: string): void {
    if (this.readyState !== FakeXhr.OPENED || this.sent) throw new Error('FakeXhr: setRequestHeader outside OPENED.');
    this.requestHeaders[name.toLowerCase()] = value;
  }

  getResponseHeader(name: string): string | null {
    if (this.readyState < FakeXhr.HEADERS_RECEIVED) return null;
    if (!this.isReadable(name)) {
      this.unsafeHeaderReads.push(name);
      return null;
    }
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }

  getAllResponseHeaders(): string {
    if (this.readyState < FakeXhr.HEADERS_RECEIVED) return '';
    return Object.entries(this.responseHeaders)
      .filter(([name]) => this.isReadable(name))
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
  }

  send(body?: unknown): void {
    if (this.readyState !== FakeXhr.OPENED || this.sent) throw new Error('FakeXhr: send() before open() or twice.');
    this.sent = true;
    this.body = body;
    this.withCredentialsAtSend = this.credentials;
    this.fire('loadstart');
    this.upload.emit('loadstart');
  }

  abort(): void {
    this.abortCalls += 1;
    const inFlight = this.sent && this.readyState !== FakeXhr.DONE && this.readyState !== FakeXhr.UNSENT;
    if (inFlight) {
      this.readyState = FakeXhr.DONE;
      this.status = 0;
      this.responseText = '';
      this.fire('readystatechange');
      this.upload.emit('abort');
      this.upload.emit('loadend');
      this.fire('abort');
      this.fire('loadend');
    }
    // XHR spec: a request that is done (answered, failed or just aborted) goes back to UNSENT silently.
    if (this.readyState === FakeXhr.DONE) {
      this.readyState = FakeXhr.UNSENT;
      this.sent = false;
    }
  }

  // ---- the network's side -------------------------------------------------------------------

  /** Whether the request is sent and not yet answered: the only time the network helpers make sense. */
  get pending(): boolean {
    return this.sent && this.readyState !== FakeXhr.DONE && this.readyState !== FakeXhr.UNSENT;
  }

  /** Upload progress of the request body, as `xhr.upload` reports it. */
  progress(loaded: number, total: number, lengthComputable = true): void {
    this.assertPending('progress');
    this.upload.emit('progress', { lengthComputable, loaded, total });
  }

  /** Answers the request: headers, body, then load and loadend. Status 0 models a CORS-refused answer. */
  respond(status: number, body = '', headers: Record<string, string> = {}): void {
    this.assertPending('respond');
    this.upload.emit('load');
    this.upload.emit('loadend');
    this.status = status;
    this.responseHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    this.readyState = FakeXhr.HEADERS_RECEIVED;
    this.fire('readystatechange');
    this.readyState = FakeXhr.LOADING;
    this.fire('readystatechange');
    this.responseText = body;
    this.readyState = FakeXhr.DONE;
    this.fire('readystatechange');
    this.fire('load');
    this.fire('loadend');
  }

  /** The connection fails (DNS, reset, CORS preflight refusal): status 0 and an `error` event. */
  failNetwork(): void {
    this.assertPending('failNetwork');
    this.readyState = FakeXhr.DONE;
    this.status = 0;
    this.responseText = '';
    this.fire('readystatechange');
    this.upload.emit('error');
    this.upload.emit('loadend');
    this.fire('error');
    this.fire('loadend');
  }

  /** The XHR's own `timeout` property elapsed. */
  fireTimeout(): void {
    this.assertPending('fireTimeout');
    this.readyState = FakeXhr.DONE;
    this.status = 0;
    this.fire('readystatechange');
    this.fire('timeout');
    this.fire('loadend');
  }

  /** The multipart fields sent, in order (`body` must be a FormData). */
  get formEntries(): Array<[string, FormDataEntryValue]> {
    if (!(this.body instanceof FormData)) throw new Error('FakeXhr: the body sent is not a FormData.');
    return [...this.body.entries()];
  }

  /** The names of the multipart fields sent, in order. */
  get formFieldNames(): string[] {
    return this.formEntries.map(([name]) => name);
  }

  /** One text field's value (throws for a file part or a missing field). */
  formField(name: string): string {
    const entry = this.formEntries.find(([field]) => field === name);
    if (!entry) throw new Error(`FakeXhr: no form field "${name}".`);
    if (typeof entry[1] !== 'string') throw new Error(`FakeXhr: form field "${name}" is a file.`);
    return entry[1];
  }

  private assertPending(helper: string): void {
    if (!this.pending)
      throw new Error(`FakeXhr: ${helper}() while no request is in flight (readyState ${this.readyState}, sent ${this.sent}).`);
  }
}

/** A `createXhr` for `postObject` that remembers every instance it made. */
export function createFakeXhrFactory(options: FakeXhrOptions = {}) {
  const instances: FakeXhr[] = [];
  return {
    instances,
    create: (): XMLHttpRequest => {
      const xhr = new FakeXhr(options);
      instances.push(xhr);
      return xhr as unknown as XMLHttpRequest;
    },
    /** The most recent instance; throws when none was made. */
    last(): FakeXhr {
      const xhr = instances[instances.length - 1];
      if (!xhr) throw new Error('FakeXhr: no XMLHttpRequest was created.');
      return xhr;
    },
  };
}
