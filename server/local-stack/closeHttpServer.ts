import type { Server } from 'node:http';

/** Stops accepting, drops keep-alive connections (a browser may hold some), and waits for the close. */
export function closeHttpServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}
