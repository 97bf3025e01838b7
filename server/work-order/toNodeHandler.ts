import type { IncomingMessage, ServerResponse } from 'node:http';

/** A web-standard request handler, the shape Next.js route handlers and `fetch` servers use. */
export type WebRequestHandler = (request: Request) => Promise<Response>;

/** A `node:http` request listener; also usable as an Express route handler. */
export type NodeRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface ToNodeHandlerOptions {
  /** Larger request bodies are answered 413 without calling the handler. Default: 1 MiB. */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit keep reading (discarding) so the client gets to read the answer.
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLargeError()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

function sendPlain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

/**
 * Runs a web-standard handler under `node:http` (or Express): the request becomes a `Request`
 * whose `signal` aborts when the client goes away, and the `Response` is written back as is. A
 * handler that throws gets a bare 500, never the error's message or stack.
 */
export function toNodeHandler(handler: WebRequestHandler, options: ToNodeHandlerOptions = {}): NodeRequestHandler {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return (req, res) => {
    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    const method = req.method ?? 'GET';
    const run = async (): Promise<void> => {
      let body: Buffer | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        try {
          body = await readBody(req, maxBodyBytes);
        } catch (error) {
          if (error instanceof BodyTooLargeError) return sendPlain(res, 413, 'Request body too large.');
          throw error;
        }
      }
      // Express mounts routers under a prefix and rewrites req.url; originalUrl is the one sent.
      const path = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
      const request = new Request(new URL(path, `http://${req.headers.host ?? '127.0.0.1'}`), {
        method,
        headers: toHeaders(req),
        signal: aborted.signal,
        ...(body === undefined ? {} : { body: new Uint8Array(body) }),
      });
      const response = await handler(request);
      const headers: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') headers[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) headers['set-cookie'] = cookies;
      const payload = method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer());
      if (payload !== undefined) headers['content-length'] = String(payload.length);
      if (res.destroyed) return;
      res.writeHead(response.status, headers);
      res.end(payload);
    };
    run().catch(() => {
      if (res.destroyed) return;
      if (res.headersSent) res.destroy();
      else sendPlain(res, 500, 'Internal Server Error');
    });
  };
}
