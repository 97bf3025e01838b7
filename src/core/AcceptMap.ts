/** Accepted types in react-dropzone's format: MIME type (wildcards allowed) → extensions. */
export type AcceptMap = Record<string, readonly string[]>;

/** The part of a file the type check looks at. */
interface NamedAndTyped {
  name: string;
  type: string;
}

function mimeMatches(pattern: string, type: string): boolean {
  const wanted = pattern.trim().toLowerCase();
  const actual = type.trim().toLowerCase();
  if (wanted === '*' || wanted === '*/*') return true;
  if (wanted.endsWith('/*')) return actual.startsWith(wanted.slice(0, -1));
  return wanted === actual;
}

/** react-dropzone's rule: a file is accepted when its MIME type matches a key or its name ends with a listed extension. */
export function isAcceptedType(file: NamedAndTyped, accept: AcceptMap | undefined): boolean {
  if (!accept || Object.keys(accept).length === 0) return true;
  const name = file.name.toLowerCase();
  return Object.entries(accept).some(
    ([mime, extensions]) => mimeMatches(mime, file.type) || extensions.some((extension) => name.endsWith(extension.toLowerCase())),
  );
}

/** The `accept` attribute for the file dialog: MIME types and extensions from the accept map. */
export function toAcceptAttribute(accept: AcceptMap | undefined): string | undefined {
  if (!accept) return undefined;
  const parts = Object.entries(accept).flatMap(([mime, extensions]) => [mime, ...extensions]);
  return parts.length > 0 ? [...new Set(parts)].join(',') : undefined;
}
