import { err, ok, type Result } from '../result.js';
import type { OssSignatureVersion } from '../signer/ossPostPolicySigner.js';

/** `GET/POST /api/__control/authorization` answer: how the local Work Order API signs getOSSTempAuthor. */
export interface LocalAuthorizationSettings {
  lifetimeSeconds: number;
  signatureVersion: OssSignatureVersion;
  maxSize: number;
  /** getOSSTempAuthor authorizations issued so far (read-only). */
  requests: number;
}

export type SigningSettings = Omit<LocalAuthorizationSettings, 'requests'>;

/** docs/work-order-api.md §1: the service's authorizations last 2 minutes and allow 2 MB. */
export const DEFAULT_SIGNING_SETTINGS: Readonly<SigningSettings> = Object.freeze({
  lifetimeSeconds: 120,
  signatureVersion: 'v1',
  maxSize: 2 * 1024 * 1024,
});

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * How the local Work Order API signs its getOSSTempAuthor answers (tests, the bench and the demo's
 * panel shorten the lifetime at run time), and how many it issued.
 */
export class AuthorizationSettings {
  #settings: SigningSettings;
  #requests = 0;

  constructor(private readonly initial: SigningSettings) {
    this.#settings = { ...initial };
  }

  /** The settings for one more authorization, counted. */
  forNextRequest(): SigningSettings {
    this.#requests += 1;
    return { ...this.#settings };
  }

  /** The settings without counting a request (presigned URLs use the lifetime). */
  get signing(): SigningSettings {
    return { ...this.#settings };
  }

  get current(): LocalAuthorizationSettings {
    return { ...this.#settings, requests: this.#requests };
  }

  /** Applies a `POST /api/__control/authorization` body; nothing changes unless every entry is valid. */
  update(body: unknown): Result<LocalAuthorizationSettings, string> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return err('The body must be a JSON object.');
    const next = { ...this.#settings };
    for (const [name, value] of Object.entries(body)) {
      // `requests` is read-only; a client echoing the whole settings object back is fine.
      if (name === 'requests') continue;
      if (name === 'lifetimeSeconds' && isPositiveInteger(value)) next.lifetimeSeconds = value;
      else if (name === 'maxSize' && isPositiveInteger(value)) next.maxSize = value;
      else if (name === 'signatureVersion' && (value === 'v1' || value === 'v4')) next.signatureVersion = value;
      else return err(`Invalid authorization setting ${name}=${JSON.stringify(value)}.`);
    }
    this.#settings = next;
    return ok(this.current);
  }

  reset(): void {
    this.#settings = { ...this.initial };
    this.#requests = 0;
  }
}
