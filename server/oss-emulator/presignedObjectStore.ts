import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ReadThrottle, type FaultInjector } from './faults.js';
import type { ObjectStore } from './objectStore.js';
import type { PresignedObjectStore } from './putObjectHandler.js';

/** What the emulator's fault plan decides for one presigned PUT's body. */
export interface PutBodyFaults {
  faults: FaultInjector;
  /** Cut the connection half-way through the body (the drop fault). */
  drop: boolean;
  req: IncomingMessage;
}

/**
 * Paces the body to the bandwidth fault and cuts the connection for the drop fault. It sits after
 * the handler's size meter, so backpressure reaches the socket and the browser sees paced progress.
 */
class PutFaultStream extends Transform {
  readonly #throttle: ReadThrottle;
  readonly #dropAt: number;
  #received = 0;

  constructor(private readonly plan: PutBodyFaults) {
    super();
    this.#throttle = new ReadThrottle(() => plan.faults.bandwidthBytesPerSecond);
    const length = Number(plan.req.headers['content-length']);
    this.#dropAt = !plan.drop ? Number.POSITIVE_INFINITY : Number.isFinite(length) && length > 1 ? Math.floor(length / 2) : 1;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    void (async () => {
      for (const piece of this.#throttle.split(chunk)) {
        await this.#throttle.pace(piece.length);
        this.#received += piece.length;
        if (this.#received >= this.#dropAt) {
          // The handler sees the client go away and stores nothing.
          this.plan.req.socket.destroy();
          return;
        }
        this.push(piece);
      }
      callback();
    })().catch(callback);
  }
}

/**
 * The emulator's {@link ObjectStore} as the presigned PUT/GET handlers' store: a PUT streams into a
 * temporary file and is renamed into place only when the body ended cleanly (issue 3's atomic
 * storage, the same as PostObject's), with the PUT's faults applied on the way.
 */
export function createPresignedObjectStore(store: ObjectStore, clock: () => number, plan?: PutBodyFaults): PresignedObjectStore {
  return {
    async put(key, body, meta) {
      const tempPath = store.tempPath(`put-${randomBytes(8).toString('hex')}`);
      const stages: Array<Readable | Transform> = plan === undefined ? [body] : [body, new PutFaultStream(plan)];
      try {
        await pipeline([...stages, createWriteStream(tempPath)]);
        const { size, md5, etag } = meta.measured();
        const disposition = meta.headers['content-disposition'];
        await store.commit(tempPath, {
          key,
          size,
          md5,
          etag,
          contentType: meta.contentType,
          ...(disposition === undefined ? {} : { contentDisposition: disposition }),
          storedAt: clock(),
          headers: meta.headers,
        });
      } catch (error) {
        await store.discard(tempPath);
        throw error;
      }
    },
    get(key) {
      const object = store.get(key);
      if (object === undefined) return undefined;
      return {
        size: object.size,
        etag: object.etag,
        contentType: object.contentType,
        headers: object.headers,
        open: () => createReadStream(store.contentPath(key)),
      };
    },
  };
}
