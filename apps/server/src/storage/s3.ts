import { createHash, randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config.js';
import { isStorageKey, type FileStorage } from './storage.js';

/**
 * Evidence files in an S3-protocol object store (Aliyun OSS, Tencent COS, MinIO, AWS S3), shared by
 * every server node. Objects are named by the same keys as on local disk (`ab/<uuid>`), flat in the
 * bucket; the database holds each file's key, sha256 and size, so the store needs no index of its own.
 */
export class S3Storage implements FileStorage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(
    config: Pick<Config, 'S3_ENDPOINT' | 'S3_REGION' | 'S3_BUCKET' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY' | 'S3_FORCE_PATH_STYLE'>,
  ) {
    if (!config.S3_BUCKET) throw new Error('S3Storage needs S3_BUCKET');
    this.bucket = config.S3_BUCKET;
    this.client = new S3Client({
      region: config.S3_REGION,
      ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? { credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY } }
        : {}),
      // the SDK's newer default adds CRC32 trailers (aws-chunked uploads) that OSS, COS and older
      // MinIO / s3rver refuse; integrity is ours anyway (sha256 in the database, checked by backup)
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  private key(key: string): string {
    if (!isStorageKey(key)) throw new Error(`bad storage key ${key}`);
    return key;
  }

  async put(data: Buffer) {
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}`;
    // a PUT is atomic: the object appears whole or not at all, like the local write-then-rename
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: data,
        ContentLength: data.length,
        ContentType: 'application/octet-stream',
      }),
    );
    return { key, sha256: createHash('sha256').update(data).digest('hex'), size: data.length };
  }

  async get(key: string): Promise<Buffer> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
    if (!res.Body) throw new Error(`object ${key} has no body`);
    return Buffer.from(await res.Body.transformToByteArray());
  }

  /** The interface is synchronous (like fs.createReadStream): the object's bytes flow in once the store answers; a failure is the stream's error. */
  stream(key: string): NodeJS.ReadableStream {
    const out = new PassThrough();
    let k: string;
    try {
      k = this.key(key);
    } catch (e) {
      process.nextTick(() => out.destroy(e as Error));
      return out;
    }
    this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: k })).then(
      (res) => {
        if (!(res.Body instanceof Readable)) return out.destroy(new Error(`object ${key} is not a stream`));
        res.Body.on('error', (err) => out.destroy(err));
        res.Body.pipe(out);
      },
      (err: Error) => out.destroy(err),
    );
    return out;
  }

  async delete(key: string) {
    // deleting a missing object is not an error in S3, as `rm -f` on disk
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
  }

  /** Lets go of the HTTP connections (tests, shutdown). */
  close() {
    this.client.destroy();
  }
}
