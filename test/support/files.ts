import { fireEvent } from '@testing-library/react';

/** Deterministic, position-dependent bytes, so a truncated or shifted upload cannot pass for the original. */
export function patternBytes(size: number, seed = 7): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index += 1) bytes[index] = (index * 31 + seed) & 0xff;
  return bytes;
}

export function createFile(name: string, size = 1024, type = 'application/pdf', seed = name.length): File {
  return new File([patternBytes(size, seed)], name, { type });
}

export function createTextFile(name: string, text: string, type = 'text/plain'): File {
  return new File([text], name, { type });
}

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
