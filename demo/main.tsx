import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
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
