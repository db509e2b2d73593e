// Bundles every Lambda function with esbuild, with the stack's own settings (infra/bundling.ts), and prints each
// bundle's size from esbuild's metafile with the packages that weigh most. Exits 1 when a bundle is over its budget
// (API, planner, status and authorizer 500 KiB; applier 2 MiB).
// Run: npx node bench/bundle-size.ts   (bundles go to .flotilla/bench/bundles/<function>/index.mjs)
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions, flotillaFunctions, functionNames, repoRoot, type FunctionName } from '../infra/bundling.ts';

export const bundlesDir = join(repoRoot, '.flotilla', 'bench', 'bundles');

export interface BundleSize {
  name: FunctionName;
  file: string;
  bytes: number;
  maxKiB: number;
  /** Bytes in the output per npm package (`(project)` for Flotilla's own code), largest first. */
  packages: [string, number][];
}

export async function bundleAll(outdir: string = bundlesDir): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const name of functionNames) {
    const options = esbuildOptions(name, join(outdir, name));
    const { metafile } = await build({ ...options, absWorkingDir: repoRoot });
    sizes.push({ name, file: options.outfile!, ...measure(metafile), maxKiB: flotillaFunctions[name].maxKiB });
  }
  return sizes;
}

function measure(metafile: Metafile): { bytes: number; packages: [string, number][] } {
  const [output] = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.mjs'));
  if (output === undefined) throw new Error('esbuild wrote no .mjs output');
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output[1].inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? '(project)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return { bytes: output[1].bytes, packages: [...byPackage].sort((a, b) => b[1] - a[1]) };
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

async function main(): Promise<number> {
  const sizes = await bundleAll();
  const over = sizes.filter((size) => size.bytes > size.maxKiB * 1024);
  console.log('function    KiB      budget  status  largest packages (KiB)');
  for (const size of sizes) {
    const status = size.bytes > size.maxKiB * 1024 ? 'OVER' : 'ok';
    const top = size.packages
      .slice(0, 6)
      .map(([name, bytes]) => `${name} ${kib(bytes)}`)
      .join(', ');
    console.log(`${size.name.padEnd(10)}  ${kib(size.bytes).padStart(7)}  ${String(size.maxKiB).padStart(6)}  ${status.padEnd(6)}  ${top}`);
  }
  if (over.length > 0) console.error(`over budget: ${over.map((size) => `${size.name} ${kib(size.bytes)} KiB > ${size.maxKiB} KiB`).join('; ')}`);
  return over.length > 0 ? 1 : 0;
}

if (import.meta.main) process.exitCode = await main();
