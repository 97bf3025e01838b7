import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/react-vite';

const config: StorybookConfig = {
  framework: {
    name: '@storybook/react-vite',
    options: { builder: { viteConfigPath: '.storybook/vite.config.ts' } },
  },
  stories: ['../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-docs'],
  // Props tables (Controls and the autodocs pages) read the component's
  // TypeScript types, including the options it inherits from the hook, with their doc comments.
  typescript: {
    reactDocgen: 'react-docgen-typescript',
    reactDocgenTypescriptOptions: {
      tsconfigPath: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
      // The hook's options live in .ts files; unless they are root files of the docgen program, the
      // props the component inherits from them are left out of the table.
      include: ['src/**/*.ts', 'src/**/*.tsx'],
      shouldExtractLiteralValuesFromEnum: true,
      // Own props and the hook's options; not every attribute of React's DOM types.
      propFilter: (prop) => !prop.parent || !prop.parent.fileName.includes('node_modules'),
    },
  },
  // Storybook's own "Get started" checklist is for people new to Storybook, not to this component.
  features: { sidebarOnboardingChecklist: false, menuOnboardingChecklist: false },
  // The preview bundles React, react-query and storybook/test into one ~1 MB chunk; that is expected.
  viteFinal: (viteConfig) => ({ ...viteConfig, build: { ...viteConfig.build, chunkSizeWarningLimit: 2_048 } }),
  core: {
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
    enableCrashReports: false,
  },
};

export default config;
