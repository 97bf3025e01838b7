import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, Transform, type TransformCallback } from 'node:stream';

/** A web-standard request handler, the shape Next.js route handlers and `fetch` servers use. */
export type WebRequestHandler = (request: Request) => Promise<Response>;

/** A `node:http` request listener; also usable as an Express route handler. */
export type NodeRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface ToNodeHandlerOptions {
  /**
   * Larger request bodies are answered 413: at once when `Content-Length` says so (the handler is
   * not called), else as soon as the streamed body passes the limit. Default: 1 MiB.
   */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

// Connection-level headers describe Node's socket, not the request; a Request must not carry them.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** Fails the body stream once more than `limit` bytes went through. */
class BodyLimit extends Transform {
  #size = 0;
  tripped = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#size += chunk.length;
    if (this.#size > this.limit) {
      this.tripped = true;
      callback(new BodyTooLargeError());
      return;
    }
    callback(null, chunk);
  }
}

/**
 * The request's headers as sent, `host` included: a signature over the host (ACS3, docs/work-order-api.md §3)
 * or an error's HostId needs it.
 */
function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
    const name = (req.rawHeaders[index] as string).toLowerCase();
    if (!HOP_BY_HOP.has(name)) headers.append(name, req.rawHeaders[index + 1] as string);
  }
  return headers;
}

function sendPlain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Writes a Fetch `Response` to a Node response, streaming its body. */
async function writeResponse(response: Response, res: ServerResponse, method: string): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  if (res.destroyed) return;
  res.writeHead(response.status, headers);
  if (response.body === null || method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    return;
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (res.destroyed) break;
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
  }
  res.end();
}

/**
 * Runs a web-standard handler under `node:http` (or Express): the request becomes a `Request`
 * whose body streams from the socket (never buffered here), whose `host` header and URL are the
 * ones sent, and whose `signal` aborts when the client goes away; the `Response` is streamed back
 * as is. A handler that throws gets a bare 500, never the error's message or stack.
 */
export function toNodeHandler(handler: WebRequestHandler, options: ToNodeHandlerOptions = {}): NodeRequestHandler {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return (req, res) => {
    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const declared = Number(req.headers['content-length']);
    if (hasBody && Number.isFinite(declared) && declared > maxBodyBytes) {
      // Keep reading (discarding) so the client gets to read the answer.
      req.resume();
      sendPlain(res, 413, 'Request body too large.');
      return;
    }
    const limit = new BodyLimit(maxBodyBytes);
    const run = async (): Promise<void> => {
      // Express mounts routers under a prefix and rewrites req.url; originalUrl is the one sent.
      const path = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
      const init: RequestInit & { duplex?: 'half' } = { method, headers: toHeaders(req), signal: aborted.signal };
      if (hasBody) {
        req.once('error', (error) => limit.destroy(error));
        init.body = Readable.toWeb(req.pipe(limit)) as ReadableStream<Uint8Array>;
        init.duplex = 'half';
      }
      const request = new Request(new URL(path, `http://${req.headers.host ?? '127.0.0.1'}`), init);
      let response: Response;
      try {
        response = await handler(request);
      } catch (error) {
        if (limit.tripped) {
          req.resume();
          sendPlain(res, 413, 'Request body too large.');
          return;
        }
        throw error;
      }
      await writeResponse(response, res, method);
    };
    run().catch(() => {
      if (res.destroyed) return;
      if (res.headersSent) res.destroy();
      else sendPlain(res, 500, 'Internal Server Error');
    });
  };
}
