/** Which injected fault decided a request's outcome. */
export type PostObjectFault = 'failure' | 'drop' | 'forced-policy-expired';

/**
 * One upload request as listed by `GET /__control/requests` (times from the emulator clock): a
 * PostObject, or a presigned PUT (its URL's `Expires` standing for the policy's expiration).
 */
export interface PostObjectLogEntry {
  requestId: string;
  method: 'POST' | 'PUT';
  /** Object key after `${filename}` expansion, once the form passed its checks; else the raw `key` field. */
  key?: string;
  /** HTTP status answered; 0 when no answer was sent (client abort, dropped connection). */
  status: number;
  /** OSS error Code of an error answer. */
  code?: string;
  receivedAt: number;
  firstFileByteAt?: number;
  finishedAt: number;
  /** Body bytes read before the outcome was decided. */
  bytesReceived: number;
  /** The policy's `expiration` text, when the policy field could be decoded. */
  policyExpiration?: string;
  /** The policy (a PUT: its URL's `Expires`) had already passed (emulator clock) when the request arrived. */
  policyExpiredAtReceipt: boolean;
  fault?: PostObjectFault;
}

const MAX_ENTRIES = 10_000;

/** Bounded log of upload requests (PostObject and presigned PUT), oldest first. */
export class RequestLog {
  #entries: PostObjectLogEntry[] = [];

  add(entry: PostObjectLogEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
  }

  list(): PostObjectLogEntry[] {
    return [...this.#entries];
  }

  clear(): void {
    this.#entries = [];
  }
}
