import { resolveMessages, type UploaderLocale, type UploaderMessages } from '../../src/components/uploaderMessages';

/** The locale a story renders in: its own `locale` arg, else the toolbar's global. */
export function storyLocale(args: { locale?: UploaderLocale }, globals: Record<string, unknown>): UploaderLocale {
  return args.locale ?? (globals.locale === 'zh-CN' ? 'zh-CN' : 'en');
}

export function storyMessages(args: { locale?: UploaderLocale }, globals: Record<string, unknown>): UploaderMessages {
  return resolveMessages(storyLocale(args, globals));
}
