import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** The file passed the policy's largest size (docs/oss-protocol.md §2 content-length-range). */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
}

/** Counts, hashes and size-limits the file while it streams to disk (docs/oss-protocol.md §2 content-length-range). */
export class FileMeter extends Transform {
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
