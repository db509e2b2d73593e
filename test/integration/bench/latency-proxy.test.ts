// The benchmarks' WAN link: a TCP echo server in another process, reached directly and through the proxy. The proxy
// must add at least the round-trip time to every exchange (upper bounds are left out: this machine is shared).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLatencyProxy, type LatencyProxy } from '../../../bench/support/latency-proxy.ts';

const echoServer = `
const server = require('node:net').createServer({ allowHalfOpen: true }, (socket) => socket.pipe(socket));
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

let echo: ChildProcess;
let echoPort: number;
const proxies: LatencyProxy[] = [];

beforeAll(async () => {
  echo = spawn(process.execPath, ['-e', echoServer], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(echo.stdout!, 'data')) as [Buffer];
  echoPort = Number(line.toString().trim());
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  echo.kill();
});

async function proxy(rttMs: number): Promise<number> {
  const started = await startLatencyProxy({ targetHost: '127.0.0.1', targetPort: echoPort, rttMs });
  proxies.push(started);
  return started.port;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `text` and resolves with the ms until all of it has come back, and what came back. */
async function exchange(socket: Socket, text: string): Promise<{ ms: number; echoed: string }> {
  const started = performance.now();
  let echoed = '';
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      echoed += chunk.toString();
      if (echoed.length >= text.length) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.write(text);
  });
  return { ms: performance.now() - started, echoed };
}

describe('latency proxy', () => {
  test('every exchange through it takes at least the round-trip time, and the bytes arrive unchanged and in order', async () => {
    const socket = await open(await proxy(120));
    for (const text of ['first', 'second message', 'x'.repeat(100_000)]) {
      const { ms, echoed } = await exchange(socket, text);
      expect(echoed).toBe(text);
      expect(ms).toBeGreaterThanOrEqual(120);
    }
    socket.destroy();
  });

  test('a fresh connection takes the round-trip time on its first exchange too', async () => {
    const started = performance.now();
    const socket = await open(await proxy(80));
    const { echoed } = await exchange(socket, 'hello');
    expect(echoed).toBe('hello');
    expect(performance.now() - started).toBeGreaterThanOrEqual(80);
    socket.destroy();
  });

  test('RTT 0 forwards without delay; closing the client closes the far side', async () => {
    const socket = await open(await proxy(0));
    expect((await exchange(socket, 'plain')).echoed).toBe('plain');
    socket.end();
    await once(socket, 'close');
  });
});
