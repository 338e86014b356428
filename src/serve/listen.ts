/** Starts an HTTP server listening and says where. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on `port` at `bind` (rejecting on EADDRINUSE and the like); resolves with the server's URL. */
export async function listenAt(server: Server, port: number, bind: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bind, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
