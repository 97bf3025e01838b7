/** Hands files to the drop zone the way a browser does, and reads them back, for the dom tests. */
import { fireEvent } from '@testing-library/react';

export async function bytesOf(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/** A DataTransfer-like object as a browser hands it to a `drop` (react-dropzone reads `types`, `items` and `files`). */
export function createDataTransfer(files: readonly File[]) {
  return {
    files,
    items: files.map((file) => ({ kind: 'file', type: file.type, getAsFile: () => file })),
    types: ['Files'],
    dropEffect: 'copy',
    effectAllowed: 'all',
  };
}

/** Drags files over an element and drops them, as a person would. */
export function dropFiles(target: Element, files: readonly File[]): void {
  const dataTransfer = createDataTransfer(files);
  fireEvent.dragEnter(target, { dataTransfer });
  fireEvent.dragOver(target, { dataTransfer });
  fireEvent.drop(target, { dataTransfer });
}
