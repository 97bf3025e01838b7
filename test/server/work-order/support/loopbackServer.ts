import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** `127.0.0.1:<port>`, the form the SDK's `endpoint` takes. */
  host: string;
  url: string;
  close(): Promise<void>;
}

/** Serves `listener` on a free loopback port. */
export async function startLoopbackServer(listener: RequestListener): Promise<LoopbackServer> {
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: `http://${host}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One request exactly as it arrived. */
export interface CapturedRequest {
  method: string;
  url: string;
  /** Header names as sent, in order, with their values. */
  rawHeaders: Array<[string, string]>;
  body: Buffer;
}

/**
 * A logging server: records every request and answers with `answer(request)` (JSON 200 by default),
 * to see what a client really sends.
 */
export async function startCapturingServer(
  answer: (request: CapturedRequest, res: ServerResponse) => void,
): Promise<LoopbackServer & { requests: CapturedRequest[] }> {
  const requests: CapturedRequest[] = [];
  const server = await startLoopbackServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawHeaders: Array<[string, string]> = [];
      for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
        rawHeaders.push([req.rawHeaders[index] as string, req.rawHeaders[index + 1] as string]);
      }
      const captured = { method: req.method ?? '', url: req.url ?? '', rawHeaders, body: Buffer.concat(chunks) };
      requests.push(captured);
      answer(captured, res);
    });
  });
  return { ...server, requests };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

/** The captured request's headers as Fetch Headers, minus the connection-level ones. */
export function capturedHeaders(request: CapturedRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of request.rawHeaders) {
    if (!['connection', 'transfer-encoding', 'content-length'].includes(name.toLowerCase())) headers.append(name, value);
  }
  return headers;
}
