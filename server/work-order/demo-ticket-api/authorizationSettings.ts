import { ok } from '../../result.js';
import type { OssSignatureVersion } from '../../signer/ossPostPolicySigner.js';
import { ticketApiFailure, type TicketApiResult } from './ticketApiResponses.js';
import type { TicketForm } from './ticketRequestValidation.js';

/** `GET/POST /api/__control/authorization` answer. */
export interface TicketApiAuthorizationSettings {
  lifetimeSeconds: number;
  signatureVersion: OssSignatureVersion;
  maxSize: number;
  /** getOSSTempAuthor calls served so far (read-only). */
  requests: number;
}

type SigningSettings = Omit<TicketApiAuthorizationSettings, 'requests'>;

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** How getOSSTempAuthor signs (tests and the demo's panel change it at run time), and how often it was called. */
export class AuthorizationSettings {
  #settings: SigningSettings;
  #requests = 0;

  constructor(private readonly initial: SigningSettings) {
    this.#settings = { ...initial };
  }

  /** The settings for one more getOSSTempAuthor call, counted. */
  forNextRequest(): SigningSettings {
    this.#requests += 1;
    return { ...this.#settings };
  }

  get current(): TicketApiAuthorizationSettings {
    return { ...this.#settings, requests: this.#requests };
  }

  /** Applies a `POST /api/__control/authorization` body; nothing changes unless every entry is valid. */
  update(form: TicketForm): TicketApiResult<TicketApiAuthorizationSettings> {
    const next = { ...this.#settings };
    for (const [name, value] of Object.entries(form)) {
      // `requests` is read-only; a client echoing the whole settings object back is fine.
      if (name === 'requests') continue;
      if (name === 'lifetimeSeconds' && isPositiveInteger(value)) next.lifetimeSeconds = value;
      else if (name === 'maxSize' && isPositiveInteger(value)) next.maxSize = value;
      else if (name === 'signatureVersion' && (value === 'v1' || value === 'v4')) next.signatureVersion = value;
      else return ticketApiFailure(400, 'ILLEGAL_PARAM', `Invalid authorization setting ${name}=${JSON.stringify(value)}.`);
    }
    this.#settings = next;
    return ok(this.current);
  }

  reset(): void {
    this.#settings = { ...this.initial };
    this.#requests = 0;
  }
}
