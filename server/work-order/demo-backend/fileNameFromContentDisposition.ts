/** The original file name carried by `Content-Disposition` (RFC 6266 `filename*` first). */
export function fileNameFromContentDisposition(disposition: string): string | undefined {
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;\s]+)/i.exec(disposition);
  if (extended !== null) {
    try {
      return decodeURIComponent(extended[2] as string);
    } catch {
      // Fall through to the plain parameter.
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(disposition);
  if (quoted !== null) return (quoted[1] as string).replace(/\\(.)/g, '$1');
  const bare = /filename\s*=\s*([^;\s]+)/i.exec(disposition);
  return bare?.[1];
}
