// How every Flotilla function is bundled, in one place: the stack hands these settings to NodejsFunction (which runs the
// local esbuild, never Docker) and the benchmarks hand the same settings to esbuild's JS API, so the sizes and
// initialisation times they report are those of the deployed code.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Lambda functions of the stack: handler file and the bundle budget the bundle-size benchmark enforces. */
export const flotillaFunctions = {
  api: { entry: 'functions/api.ts', maxKiB: 500 },
  planner: { entry: 'functions/planner.ts', maxKiB: 500 },
  applier: { entry: 'functions/applier.ts', maxKiB: 2048 },
  refresh: { entry: 'functions/refresh.ts', maxKiB: 500 },
  triggers: { entry: 'functions/triggers.ts', maxKiB: 500 },
  authorizer: { entry: 'infra/gateway-authorizer.ts', maxKiB: 500 },
} as const;
export type FunctionName = keyof typeof flotillaFunctions;
export const functionNames = Object.keys(flotillaFunctions) as FunctionName[];

export function entryPath(name: FunctionName): string {
  return join(repoRoot, flotillaFunctions[name].entry);
}

/**
 * client-node and undici are CommonJS and `require` Node built-ins; in an ESM bundle esbuild turns those into a
 * `__require` that throws ("Dynamic require of node:assert is not supported") unless `require` exists, so every
 * bundle starts by defining it.
 */
export const requireBanner = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * The AWS SDK v3 is part of the nodejs24.x runtime, so it stays out of the bundles (CDK's default for that runtime):
 * it would add about 390 KiB to every bundle. Everything else, client-node included, is bundled and tree-shaken.
 */
export const externalModules = ['@aws-sdk/*'];

export const esbuildTarget = 'node24';

/**
 * The environment the stack gives the control-plane functions, with sample values of the real shapes: for loading
 * bundles outside Lambda (the bundling test and the init-time benchmark). Module load reads it and builds clients;
 * nothing is called.
 */
export const sampleFunctionEnvironment = {
  AWS_REGION: 'eu-west-1',
  TABLE_NAME: 'Flotilla-Table-1A2B3C',
  PLANNER_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/Flotilla-PlannerQueue-1A2B3C',
  APPLIER_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/Flotilla-ApplierQueue-1A2B3C.fifo',
  HEALTH_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/Flotilla-HealthQueue-1A2B3C',
  CREDENTIALS_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000000',
  DRIFT_INTERVAL_SECONDS: '300',
  NODE_OPTIONS: '--enable-source-maps',
} as const;

/** NodejsFunction's bundling props. */
export const cdkBundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: esbuildTarget,
  mainFields: ['module', 'main'],
  banner: requireBanner,
  externalModules,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.EXTERNAL,
  // Stack traces map to file:line without shipping every source file inside the map.
  sourcesContent: false,
};

/** The same bundle through esbuild's JS API, for the benchmarks: `<outdir>/index.mjs`, with a metafile. */
export function esbuildOptions(name: FunctionName, outdir: string): BuildOptions & { metafile: true } {
  return {
    entryPoints: [entryPath(name)],
    outfile: join(outdir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: esbuildTarget,
    mainFields: ['module', 'main'],
    banner: { js: requireBanner },
    external: externalModules,
    minify: true,
    sourcemap: 'external',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  };
}
