import { setTimeout as sleep } from 'node:timers/promises';
import { err, ok, type Result } from '../result.js';
import { createSeededRandom } from './createSeededRandom.js';

/** Fault knobs of the emulator (`GET/POST /__control/faults`); all off by default. */
export interface OssFaults {
  /** Added before a PostObject/GET is handled. */
  latencyMs: number;
  /** Latency varies uniformly within ±latencyJitterMs (never below 0). */
  latencyJitterMs: number;
  /** Cap on reading a PostObject body; 0 = unlimited. Lets a browser show real upload progress. */
  bandwidthBytesPerSecond: number;
  /** Share (0..1) of PostObject requests that read the whole body, store nothing, answer failureStatus. */
  failureRate: number;
  /** Status of injected failures, e.g. 500 or 503. */
  failureStatus: number;
  /** Share (0..1) of PostObject requests whose socket is destroyed mid-body. */
  dropRate: number;
  /** The next N PostObject requests answer 403 AccessDenied "Policy expired." */
  forcePolicyExpired: number;
  /** Added to the emulator clock (policy expiry, V4 dates, request log timestamps). */
  clockOffsetMs: number;
  /**
   * At most this many injected 5xx and drops, and at most one forced "Policy expired", for the
   * requests of one object name (the key's last segment, whatever its folder) until the next reset;
   * 0 = no cap. A soak with random faults can then require that a client with a few attempts
   * finishes every file, instead of failing now and then on a long unlucky streak.
   */
  maxFaultsPerName: number;
}

/** A partial update; `seed` re-seeds the RNG so fault sequences are reproducible. */
export type OssFaultsPatch = Partial<OssFaults> & { seed?: number };

/** What the faults decide for one PostObject request, drawn once when it arrives. */
export interface PostObjectFaultPlan {
  latencyMs: number;
  drop: boolean;
  failure: boolean;
  forcePolicyExpired: boolean;
}

export const DEFAULT_FAULTS: Readonly<OssFaults> = Object.freeze({
  latencyMs: 0,
  latencyJitterMs: 0,
  bandwidthBytesPerSecond: 0,
  failureRate: 0,
  failureStatus: 500,
  dropRate: 0,
  forcePolicyExpired: 0,
  clockOffsetMs: 0,
  maxFaultsPerName: 0,
});

export const DEFAULT_FAULT_SEED = 20_240_601;

type FieldRule = (value: number) => boolean;

const FIELD_RULES: Record<keyof OssFaults | 'seed', { rule: FieldRule; description: string }> = {
  latencyMs: { rule: (v) => v >= 0, description: 'a number >= 0' },
  latencyJitterMs: { rule: (v) => v >= 0, description: 'a number >= 0' },
  bandwidthBytesPerSecond: { rule: (v) => v >= 0, description: 'a number >= 0 (0 = unlimited)' },
  failureRate: { rule: (v) => v >= 0 && v <= 1, description: 'a number in 0..1' },
  failureStatus: { rule: (v) => Number.isInteger(v) && v >= 400 && v <= 599, description: 'an HTTP status 400..599' },
  dropRate: { rule: (v) => v >= 0 && v <= 1, description: 'a number in 0..1' },
  forcePolicyExpired: { rule: (v) => Number.isInteger(v) && v >= 0, description: 'an integer >= 0' },
  clockOffsetMs: { rule: () => true, description: 'a number' },
  maxFaultsPerName: { rule: (v) => Number.isInteger(v) && v >= 0, description: 'an integer >= 0 (0 = no cap)' },
  seed: { rule: (v) => Number.isInteger(v), description: 'an integer' },
};

function isFaultField(name: string): name is keyof typeof FIELD_RULES {
  return Object.hasOwn(FIELD_RULES, name);
}

/** Validates a `POST /__control/faults` body. */
export function parseFaultsPatch(body: unknown): Result<OssFaultsPatch, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return err('The body must be a JSON object.');
  }
  const patch: OssFaultsPatch = {};
  for (const [name, value] of Object.entries(body)) {
    if (!isFaultField(name)) return err(`Unknown fault "${name}".`);
    const { rule, description } = FIELD_RULES[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || !rule(value)) {
      return err(`"${name}" must be ${description}.`);
    }
    patch[name] = value;
  }
  return ok(patch);
}

/** Holds the current faults and draws per-request decisions from a seeded RNG. */
export class FaultInjector {
  #faults: OssFaults = { ...DEFAULT_FAULTS };
  #seed = DEFAULT_FAULT_SEED;
  #random = createSeededRandom(DEFAULT_FAULT_SEED);
  /** What `maxFaultsPerName` let through so far, per object name. */
  readonly #faultsByName = new Map<string, { faults: number; expiries: number }>();

  get current(): OssFaults {
    return { ...this.#faults };
  }

  get seed(): number {
    return this.#seed;
  }

  get clockOffsetMs(): number {
    return this.#faults.clockOffsetMs;
  }

  get bandwidthBytesPerSecond(): number {
    return this.#faults.bandwidthBytesPerSecond;
  }

  apply(patch: OssFaultsPatch): void {
    const { seed, ...faults } = patch;
    this.#faults = { ...this.#faults, ...faults };
    if (seed !== undefined) {
      this.#seed = seed;
      this.#random = createSeededRandom(seed);
    }
  }

  reset(): void {
    this.#faultsByName.clear();
    this.#faults = { ...DEFAULT_FAULTS };
    this.#seed = DEFAULT_FAULT_SEED;
    this.#random = createSeededRandom(DEFAULT_FAULT_SEED);
  }

  /** Latency for a GET (no other fault applies to reads). */
  drawLatencyMs(): number {
    const { latencyMs, latencyJitterMs } = this.#faults;
    if (latencyJitterMs === 0) return latencyMs;
    return Math.max(0, latencyMs + (this.#random() * 2 - 1) * latencyJitterMs);
  }

  /** Decides every fault of one PostObject request when it arrives. */
  planPostObject(): PostObjectFaultPlan {
    const latencyMs = this.drawLatencyMs();
    // Draw only for knobs that are on, so turning one on does not shift another's sequence.
    const drop = this.#faults.dropRate > 0 && this.#random() < this.#faults.dropRate;
    const failure = !drop && this.#faults.failureRate > 0 && this.#random() < this.#faults.failureRate;
    const forcePolicyExpired = this.#faults.forcePolicyExpired > 0;
    if (forcePolicyExpired) this.#faults.forcePolicyExpired -= 1;
    return { latencyMs, drop, failure, forcePolicyExpired };
  }

  /** Whether `admit` has a cap to apply, so a PostObject must wait for its `key` field before deciding its faults. */
  get capsFaultsPerName(): boolean {
    return this.#faults.maxFaultsPerName > 0;
  }

  /**
   * Holds a request's planned faults to `maxFaultsPerName` once its object key is known, and counts
   * what goes through. A forced expiry held back goes to the next request instead.
   */
  admit(plan: PostObjectFaultPlan, key: string): PostObjectFaultPlan {
    const cap = this.#faults.maxFaultsPerName;
    if (cap === 0) return plan;
    const name = key.slice(key.lastIndexOf('/') + 1);
    const seen = this.#faultsByName.get(name) ?? { faults: 0, expiries: 0 };
    const faultAllowed = seen.faults < cap;
    const admitted: PostObjectFaultPlan = {
      latencyMs: plan.latencyMs,
      drop: plan.drop && faultAllowed,
      failure: plan.failure && faultAllowed,
      forcePolicyExpired: plan.forcePolicyExpired && seen.expiries === 0,
    };
    if (plan.forcePolicyExpired && !admitted.forcePolicyExpired) this.#faults.forcePolicyExpired += 1;
    this.#faultsByName.set(name, {
      faults: seen.faults + (admitted.drop || admitted.failure ? 1 : 0),
      expiries: seen.expiries + (admitted.forcePolicyExpired ? 1 : 0),
    });
    return admitted;
  }
}

/**
 * Paces reading a request body to a byte rate read live from the faults, so the answer comes as
 * late as a slow link would make it. On loopback this does not make the browser's progress bar move
 * step by step: the kernel's socket buffers take a 2 MB body at once and the wait shows as "Saving…"
 * (docs/testing-notes.md §2); throttling inside Chromium does that.
 */
export class ReadThrottle {
  #nextAtMs = 0;

  constructor(private readonly bytesPerSecond: () => number) {}

  /** Splits a chunk into pieces of about 50 ms each at the current rate. */
  split(chunk: Buffer): Buffer[] {
    const rate = this.bytesPerSecond();
    if (rate <= 0) return [chunk];
    const size = Math.max(1, Math.floor(rate / 20));
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < chunk.length; offset += size) pieces.push(chunk.subarray(offset, offset + size));
    return pieces;
  }

  /** Waits until `bytes` more may be read. */
  async pace(bytes: number): Promise<void> {
    const rate = this.bytesPerSecond();
    const now = performance.now();
    if (rate <= 0) {
      this.#nextAtMs = now;
      return;
    }
    this.#nextAtMs = Math.max(this.#nextAtMs, now) + (bytes / rate) * 1000;
    const waitMs = this.#nextAtMs - now;
    if (waitMs >= 1) await sleep(waitMs);
  }
}
