import type { IncomingMessage, ServerResponse } from 'node:http';
import { err, ok, type Result } from '../result.js';

export type RequestBodyResult = Result<string, 'too-large' | 'aborted'>;

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Reads a small request body as UTF-8 text, refusing bodies over `limitBytes`. */
export function readRequestText(req: IncomingMessage, limitBytes: number): Promise<RequestBodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: RequestBodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit keep reading (discarding) so the client gets to read the answer.
      if (size > limitBytes) settle(err('too-large'));
      else if (!settled) chunks.push(chunk);
    });
    req.on('end', () => settle(ok(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', () => settle(err('aborted')));
    req.on('close', () => settle(err('aborted')));
  });
}
