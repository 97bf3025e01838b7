import type { Decorator, Preview } from '@storybook/react-vite';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import '../src/components/styles.css';
import './preview.css';

function FreshQueryClient({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient());
  useEffect(() => () => client.clear(), [client]);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/**
 * Every story gets its own react-query cache, so no authorization leaks from one story to the next,
 * and sits in a `<main>` landmark as it would in a page.
 */
const withQueryClient: Decorator = (Story, context) => (
  <FreshQueryClient key={context.id}>
    <main className="story-frame">
      <Story />
    </main>
  </FreshQueryClient>
);

const preview: Preview = {
  decorators: [withQueryClient],
  globalTypes: {
    locale: {
      description: 'Uploader language',
      toolbar: {
        title: 'Locale',
        icon: 'globe',
        items: [
          { value: 'en', title: 'English' },
          { value: 'zh-CN', title: '简体中文' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { locale: 'en' },
  parameters: { layout: 'padded' },
};

export default preview;
