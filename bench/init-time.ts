// Module initialisation time of each function's bundle: what a cold start spends loading Flotilla's code before the
// first event (reading and validating the environment, building clients, stores and routes). Bundles as the stack
// does (bench/bundle-size.ts), then imports each one in fresh Node processes with the stack's environment; prints the
// median, fastest and slowest of the runs, and the resident memory after loading. The AWS SDK is external, as on
// Lambda, and loads from node_modules here (from the runtime there).
// Run: npx node bench/init-time.ts [--runs 9]
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { sampleFunctionEnvironment } from '../infra/bundling.ts';
import { bundleAll } from './bundle-size.ts';

const run = promisify(execFile);

/** Runs in the child: time around the dynamic import alone, so Node's own start-up is not counted. */
const probe = (file: string) => `
const started = performance.now();
const module = await import(${JSON.stringify(pathToFileURL(file).href)});
const ms = performance.now() - started;
if (typeof module.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify({ ms, rssMiB: process.memoryUsage().rss / 2 ** 20 }));
`;

async function loadOnce(file: string): Promise<{ ms: number; rssMiB: number }> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe(file)], {
    env: { PATH: process.env.PATH, ...sampleFunctionEnvironment },
  });
  return JSON.parse(stdout) as { ms: number; rssMiB: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '9' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number, not ${values.runs}`);
  const bundles = await bundleAll();
  console.log(`module initialisation, ${runs} fresh processes each (Node ${process.versions.node}, ${process.arch})`);
  console.log('function    KiB      median ms  min ms  max ms  RSS MiB');
  for (const bundle of bundles) {
    await loadOnce(bundle.file); // warms the file system cache; not counted
    const samples: { ms: number; rssMiB: number }[] = [];
    for (let i = 0; i < runs; i++) samples.push(await loadOnce(bundle.file));
    const ms = samples.map((sample) => sample.ms);
    const cells = [median(ms), Math.min(...ms), Math.max(...ms)].map((value) => value.toFixed(1));
    console.log(
      `${bundle.name.padEnd(10)}  ${(bundle.bytes / 1024).toFixed(1).padStart(7)}  ${cells[0]!.padStart(9)}  ${cells[1]!.padStart(6)}  ${cells[2]!.padStart(6)}  ${median(samples.map((s) => s.rssMiB)).toFixed(0).padStart(7)}`,
    );
  }
}

if (import.meta.main) await main(process.argv.slice(2));
