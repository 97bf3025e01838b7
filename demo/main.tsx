import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// A web font for Chinese when the system has none (a bare Linux or CI machine): its unicode-range subsets are only
// fetched for the characters a page shows, so an English page downloads none of it.
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/600.css';
import '../src/components/styles.css';
import './demo.css';
import { App } from './App';

const queryClient = new QueryClient();
const root = document.getElementById('root');
if (!root) throw new Error('The demo page has no #root element.');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
