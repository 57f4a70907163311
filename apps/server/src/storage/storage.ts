import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * Where evidence files live: local disk by default (DATA_DIR/files), or an S3-protocol object store
 * shared by several server nodes (s3.ts, STORAGE=s3). Handlers see only these four calls.
 */
export interface FileStorage {
  put(data: Buffer): Promise<{ key: string; sha256: string; size: number }>;
  get(key: string): Promise<Buffer>;
  stream(key: string): NodeJS.ReadableStream;
  delete(key: string): Promise<void>;
}

/** Keys are made by put(): two hex digits, a slash, a UUID. Anything else is refused before it reaches a path or an object name. */
export const isStorageKey = (key: string) => /^[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(key);

/** The store the configuration names. The S3 client is loaded only when used, so a laptop's start stays quick. */
export async function createStorage(config: Config): Promise<FileStorage> {
  if (config.STORAGE === 's3') {
    const { S3Storage } = await import('./s3.js');
    return new S3Storage(config);
  }
  return new LocalDiskStorage(path.join(config.DATA_DIR, 'files'));
}

export class LocalDiskStorage implements FileStorage {
  constructor(private readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
  }

  private file(key: string): string {
    if (!isStorageKey(key)) throw new Error(`bad storage key ${key}`);
    return path.join(this.root, key);
  }

  async put(data: Buffer) {
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}`;
    const target = this.file(key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    // write then rename, so a crash never leaves a half file under a real key
    const tmp = `${target}.part`;
    const fh = await fsp.open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, target);
    return { key, sha256: createHash('sha256').update(data).digest('hex'), size: data.length };
  }

  get(key: string) {
    return fsp.readFile(this.file(key));
  }

  stream(key: string) {
    return fs.createReadStream(this.file(key));
  }

  async delete(key: string) {
    await fsp.rm(this.file(key), { force: true });
  }
}
