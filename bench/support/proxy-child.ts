// The benchmarks' proxies in a process of their own, so their forwarding neither competes with the measured control
// plane for its event loop (which would delay Flotilla's traffic more than kubectl's) nor counts in its CPU time.
// Reads {targets, rttMs} as JSON from argv[2], prints the proxies' ports as one JSON line, runs until stdin closes.
import { startLatencyProxies } from './latency-proxy.ts';

const { targets, rttMs } = JSON.parse(process.argv[2] ?? '{}') as { targets: { host: string; port: number }[]; rttMs: number };
const proxies = await startLatencyProxies(targets, rttMs);
process.stdout.write(`${JSON.stringify(proxies.map((proxy) => proxy.port))}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void Promise.all(proxies.map((proxy) => proxy.close())).then(() => process.exit(0));
});
