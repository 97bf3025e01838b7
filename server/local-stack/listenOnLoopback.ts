import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

function listenOnce(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // Loopback only: nothing here may be reachable from another machine.
    server.listen(port, '127.0.0.1');
  });
}

/**
 * Listens on 127.0.0.1:`port` (0 = any free port). With `fallback`, a taken port falls back to a
 * free one instead of failing. Returns the port actually bound.
 */
export async function listenOnLoopback(server: Server, port: number, options: { fallback: boolean }): Promise<number> {
  try {
    await listenOnce(server, port);
  } catch (error) {
    const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
    if (!inUse || !options.fallback || port === 0) throw error;
    await listenOnce(server, 0);
  }
  return (server.address() as AddressInfo).port;
}
