/**
 * `GET /v1/tail[?source=S]`: the events of a running `weft serve` as they become durable, one
 * JSON object per line (what `weft events tail` reads). A slow reader misses events rather than
 * growing the server's memory. Readers must present the `serve.viewer_key` or `serve.admin_key`
 * as a Bearer token; without either configured, only loopback clients may read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CollectedEvent } from '../events/types.js';
import { sendError } from './respond.js';

interface Reader {
  response: ServerResponse;
  source?: string;
}

/** Fans durable events out to tail readers. */
export class TailHub {
  private readonly readers = new Set<Reader>();
  dropped = 0;

  constructor(private readonly keys: string[]) {}

  /** Serves one tail request until the client goes away. */
  handle(request: IncomingMessage, response: ServerResponse, url: URL): void {
    if (!this.authorized(request)) {
      sendError(response, 401, 'the tail needs the serve.viewer_key or serve.admin_key as a Bearer token');
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
    });
    response.write('\n');
    const reader: Reader = { response, source: url.searchParams.get('source') ?? undefined };
    this.readers.add(reader);
    // The response's close, not the request's: a GET request 'closes' as soon as it is read.
    response.on('close', () => this.readers.delete(reader));
  }

  /** Sends events to every reader that is keeping up. */
  publish(events: CollectedEvent[]): void {
    for (const reader of this.readers) {
      for (const event of events) {
        if (reader.source && event.source !== reader.source) continue;
        if (reader.response.writableNeedDrain) {
          this.dropped++;
          continue;
        }
        reader.response.write(`${JSON.stringify(event)}\n`);
      }
    }
  }

  /** Ends every tail. */
  close(): void {
    for (const reader of this.readers) reader.response.end();
    this.readers.clear();
  }

  private authorized(request: IncomingMessage): boolean {
    if (this.keys.length === 0) {
      const address = request.socket.remoteAddress ?? '';
      return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
    }
    const header = request.headers.authorization ?? '';
    return header.toLowerCase().startsWith('bearer ') && this.keys.includes(header.slice(7).trim());
  }
}
