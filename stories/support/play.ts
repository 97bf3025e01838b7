import { userEvent } from 'storybook/test';

/** The uploader's hidden file input inside a story's canvas. */
export function getFileInput(canvasElement: HTMLElement): HTMLInputElement {
  const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error('The story has no file input.');
  return input;
}

/** Picks files with the file chooser, ignoring its `accept` filter as a user choosing "All files" would. */
export async function chooseFiles(canvasElement: HTMLElement, files: File[]): Promise<void> {
  await userEvent.setup({ applyAccept: false }).upload(getFileInput(canvasElement), files);
}
