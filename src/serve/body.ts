/**
 * Reads a request body up to a byte limit, undoing `Content-Encoding: gzip`/`deflate`. The limit
 * applies to the decoded bytes, and decoding stops as soon as it is passed (no zip bomb).
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

/** A body that cannot be read: the status to answer and why. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The decoded body, at most `limit` bytes. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  let stream: Readable = request;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = request.pipe(createGunzip());
  else if (encoding === 'deflate') stream = request.pipe(createInflate());
  else if (encoding !== 'identity')
    throw new BodyError(415, `Content-Encoding ${encoding} is not supported (use gzip, deflate or none)`);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error?: BodyError) => {
      if (done) return;
      done = true;
      if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    stream.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      if (stream !== request) {
        request.unpipe();
        stream.destroy();
      }
      // Drop the rest of the upload, so the client reads the answer rather than a reset.
      request.on('data', () => undefined);
      finish(
        new BodyError(
          413,
          `the request body is over the ${limit}-byte (${Math.round(limit / 1024)} KB) limit`,
        ),
      );
    });
    stream.on('end', () => finish());
    stream.on('error', (error) =>
      finish(new BodyError(400, `the request body could not be read (${error.message})`)),
    );
  });
}
