import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import type { ReadThrottle } from './faults.js';

export interface PumpRequestBodyOptions {
  /** Paces the reading (bandwidth fault). */
  throttle: ReadThrottle;
  /** Body bytes after which the connection is dropped (drop fault); Infinity for never. */
  dropAt: number;
  /** Drops the connection; called the moment `dropAt` is reached, before the body is let go. */
  onDrop: () => void;
  /** Aborted once the request has an outcome: the rest of the body is then read and discarded. */
  settled: AbortSignal;
  /** Sees every piece of the body that is read before the outcome (byte count, Content-MD5). */
  onPiece: (piece: Buffer) => void;
  /** The multipart parser; undefined when an injected failure only reads the body. */
  parser: Writable | undefined;
}

/** How reading the body ended: all of it, cut at `dropAt`, or the client went away. */
export type BodyEnd = 'complete' | 'dropped' | 'aborted';

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

/** Reads a PostObject body (throttled) into the parser, with backpressure, until it ends or is dropped. */
export async function pumpRequestBody(req: IncomingMessage, options: PumpRequestBodyOptions): Promise<BodyEnd> {
  const { throttle, dropAt, onDrop, settled, onPiece, parser } = options;
  let received = 0;
  // Once the answer is out, Node no longer ties the request to its socket: if the socket then
  // closes mid-body, the request would neither end nor fail, so end it ourselves.
  const socket = req.socket;
  const onSocketClose = (): void => {
    if (!req.complete) req.destroy(new Error('connection closed mid-body'));
  };
  socket.once('close', onSocketClose);
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      // After an early answer: discard the rest so the client gets to read the answer.
      if (settled.aborted) continue;
      for (const piece of throttle.split(chunk)) {
        await throttle.pace(piece.length);
        if (settled.aborted) break;
        received += piece.length;
        onPiece(piece);
        if (received >= dropAt) {
          onDrop();
          return 'dropped';
        }
        if (parser !== undefined && !parser.write(piece)) await waitForDrain(parser, settled);
      }
    }
    return 'complete';
  } catch {
    // The client went away mid-body (or the grace timer cut a drain short).
    return 'aborted';
  } finally {
    socket.off('close', onSocketClose);
  }
}
