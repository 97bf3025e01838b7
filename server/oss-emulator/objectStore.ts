import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** An object as stored by the emulator and listed by `GET /__control/objects`. */
export interface StoredObject {
  key: string;
  size: number;
  /** Lower-case hex MD5 of the content. */
  md5: string;
  /** docs/oss-protocol.md §1/§4: quoted upper-case MD5 hex, as OSS answers for a PostObject. */
  etag: string;
  contentType: string;
  /** The `Content-Disposition` form field, served back on GET (docs/oss-protocol.md §1). */
  contentDisposition?: string;
  /** Emulator clock (ms) when the object became visible. */
  storedAt: number;
  /** Every stored HTTP header of the object (Cache-Control, x-oss-meta-*, …). */
  headers: Record<string, string>;
}

function isStoredObject(value: unknown): value is StoredObject {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.key === 'string' &&
    typeof record.size === 'number' &&
    typeof record.md5 === 'string' &&
    typeof record.etag === 'string' &&
    typeof record.contentType === 'string' &&
    typeof record.storedAt === 'number' &&
    typeof record.headers === 'object' &&
    record.headers !== null
  );
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/**
 * Objects on disk under `<dataDir>/objects`, named by a hash of the key so no key (`..`, `/`,
 * non-ASCII) can escape the folder. Uploads are written under `<dataDir>/tmp` and renamed into
 * place only when complete, so a rejected or aborted upload leaves no object (issue 3).
 */
export class ObjectStore {
  readonly #objectsDir: string;
  readonly #tmpDir: string;
  readonly #objects = new Map<string, StoredObject>();

  private constructor(readonly dataDir: string) {
    this.#objectsDir = path.join(dataDir, 'objects');
    this.#tmpDir = path.join(dataDir, 'tmp');
  }

  /** Opens (and creates) the store, loading objects a previous run left in `dataDir`. */
  static async open(dataDir: string): Promise<ObjectStore> {
    const store = new ObjectStore(dataDir);
    await mkdir(store.#objectsDir, { recursive: true });
    // Leftover partial uploads of a crashed run are never objects.
    await rm(store.#tmpDir, { recursive: true, force: true });
    await mkdir(store.#tmpDir, { recursive: true });
    const loaded: StoredObject[] = [];
    for (const name of await readdir(store.#objectsDir)) {
      if (!name.endsWith('.json')) continue;
      try {
        const parsed: unknown = JSON.parse(await readFile(path.join(store.#objectsDir, name), 'utf8'));
        if (isStoredObject(parsed)) loaded.push(parsed);
      } catch {
        // A half-written sidecar from a crash: the object never became visible.
      }
    }
    loaded.sort((a, b) => a.storedAt - b.storedAt);
    for (const object of loaded) store.#objects.set(object.key, object);
    return store;
  }

  #baseName(key: string): string {
    return createHash('sha256').update(key).digest('hex');
  }

  /** Path of the temporary file for one upload. */
  tempPath(requestId: string): string {
    return path.join(this.#tmpDir, `${requestId}.part`);
  }

  /** Path of a stored object's bytes. */
  contentPath(key: string): string {
    return path.join(this.#objectsDir, `${this.#baseName(key)}.bin`);
  }

  has(key: string): boolean {
    return this.#objects.has(key);
  }

  get(key: string): StoredObject | undefined {
    return this.#objects.get(key);
  }

  /** Objects in storage order (an overwrite moves the key to the end). */
  list(): StoredObject[] {
    return [...this.#objects.values()];
  }

  /** Moves a finished temporary file into place and makes the object visible. */
  async commit(tempPath: string, object: StoredObject): Promise<void> {
    const base = path.join(this.#objectsDir, this.#baseName(object.key));
    const sidecarTemp = `${tempPath}.json`;
    await writeFile(sidecarTemp, JSON.stringify(object));
    await rename(tempPath, `${base}.bin`);
    await rename(sidecarTemp, `${base}.json`);
    this.#objects.delete(object.key);
    this.#objects.set(object.key, object);
  }

  /** Deletes a stored object (what OSS DeleteObject does); false when there was none. */
  async remove(key: string): Promise<boolean> {
    if (!this.#objects.delete(key)) return false;
    const base = path.join(this.#objectsDir, this.#baseName(key));
    await this.discard(`${base}.bin`);
    await this.discard(`${base}.json`);
    return true;
  }

  /** Deletes a temporary file if it exists. */
  async discard(tempPath: string): Promise<void> {
    for (const file of [tempPath, `${tempPath}.json`]) {
      try {
        await unlink(file);
      } catch (error) {
        if (!isMissingFile(error)) throw error;
      }
    }
  }

  /** Removes every object (the control API's reset). */
  async clear(): Promise<void> {
    this.#objects.clear();
    // An upload still committing (rename into the objects folder) can race the removal and make
    // rm fail with ENOTEMPTY; retrying lets that last rename land and then removes it too.
    await rm(this.#objectsDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    await mkdir(this.#objectsDir, { recursive: true });
  }

  /** Names of files in the temporary folder (tests use it to prove nothing is left behind). */
  async pendingTempFiles(): Promise<string[]> {
    return readdir(this.#tmpDir);
  }
}
