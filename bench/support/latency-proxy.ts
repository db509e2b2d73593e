// A TCP proxy that stands for a WAN link: every byte is forwarded after half the round-trip time, in each direction,
// so a request and its answer together take one RTT more than on loopback. RTT 0 pipes the sockets directly (a
// zero-delay proxy gives a registration its own endpoint without changing its timing).
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface LatencyProxyOptions {
  /** Where connections go (a member cluster's API server). */
  targetHost: string;
  targetPort: number;
  /** Round-trip time added to every exchange, in ms; half of it each way. */
  rttMs: number;
  /** Port on 127.0.0.1 to listen on; 0 picks a free one. */
  port?: number;
}

export interface LatencyProxy {
  port: number;
  close(): Promise<void>;
}

export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const oneWayMs = options.rttMs / 2;
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    const upstream = connect({ host: options.targetHost, port: options.targetPort, allowHalfOpen: true, noDelay: true });
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(socket);
      // After what was in flight (set earlier, so delivered first), the peer goes too.
      socket.on('close', () => {
        sockets.delete(socket);
        setTimeout(() => peer.destroy(), oneWayMs);
      });
      // One side failing ends the pair; the peer sees the connection drop as it would on a real link.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    if (oneWayMs <= 0) {
      client.pipe(upstream);
      upstream.pipe(client);
      return;
    }
    forwardDelayed(client, upstream, oneWayMs);
    forwardDelayed(upstream, client, oneWayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Timers of one duration fire in the order they were set, so chunks (and the final end) arrive in order. The payloads
 * here are API requests and answers, small enough that the link's buffering needs no backpressure.
 */
function forwardDelayed(from: Socket, to: Socket, delayMs: number): void {
  from.on('data', (chunk: Buffer) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
  });
  from.on('end', () => {
    setTimeout(() => {
      if (!to.destroyed) to.end();
    }, delayMs);
  });
}

/** One proxy per target, all with the same delay; closes those already started if one fails. */
export async function startLatencyProxies(targets: { host: string; port: number }[], rttMs: number): Promise<LatencyProxy[]> {
  const proxies: LatencyProxy[] = [];
  try {
    for (const target of targets) proxies.push(await startLatencyProxy({ targetHost: target.host, targetPort: target.port, rttMs }));
  } catch (err) {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    throw err;
  }
  return proxies;
}
