import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';

/**
 * A fresh client per test, `retry: false` unless the query sets its own (TanStack's `__tests__/utils.tsx`).
 * The authorization query does set its own (one more try after a 5xx or a timeout); a short
 * `retryDelay` keeps those tests quick without changing what happens.
 */
export function createTestQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, retryDelay: 10 }, mutations: { retry: false } } });
}

export function renderWithClient(
  ui: ReactElement,
  { queryClient = createTestQueryClient(), ...options }: RenderOptions & { queryClient?: QueryClient } = {},
) {
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
  const result = render(ui, { wrapper, ...options });
  return { ...result, queryClient };
}
