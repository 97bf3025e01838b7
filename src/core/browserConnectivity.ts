/** Whether the device has a network connection, and when that changes: what the upload queue waits on. */
export interface Connectivity {
  isOnline(): boolean;
  /** Calls `listener` whenever the connection may have changed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/**
 * The browser's view: `navigator.onLine` and the window's `online`/`offline` events. `onLine` false
 * is reliable (no network interface, airplane mode, DevTools offline); true only means "maybe", so
 * the queue still treats a failed request as a failed request. Without a browser (SSR, Node) it is
 * always online and never changes.
 */
export const browserConnectivity: Connectivity = {
  isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  subscribe(listener) {
    if (typeof window === 'undefined') return () => {};
    window.addEventListener('online', listener);
    window.addEventListener('offline', listener);
    return () => {
      window.removeEventListener('online', listener);
      window.removeEventListener('offline', listener);
    };
  },
};
