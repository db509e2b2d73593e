// The one test that really bundles: `npx cdk synth` runs the local esbuild for every function (no Docker), and each
// bundle loads in a fresh Node 24 process with the environment the stack gives it.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { functionNames, repoRoot, requireBanner, sampleFunctionEnvironment, type FunctionName } from '../../infra/bundling.ts';
import { resourcesOf, synthFlotilla, type Synthesized } from './synth.ts';

const run = promisify(execFile);
let synth: Synthesized;

beforeAll(() => {
  // Inside the repository, so that the bundles find the AWS SDK (external, as on Lambda) in node_modules.
  mkdirSync(join(repoRoot, '.flotilla'), { recursive: true });
  synth = synthFlotilla({ bundle: true, outdir: mkdtempSync(join(repoRoot, '.flotilla', 'infra-bundling-')) });
}, 120_000);
afterAll(() => synth?.dispose());

function bundleOf(name: FunctionName): string {
  const fn = resourcesOf(synth.template, 'AWS::Lambda::Function')[synth.stack.getLogicalId(synth.stack.functions[name].node.defaultChild as never)];
  const key = (fn?.Properties?.Code as { S3Key: string }).S3Key;
  return join(synth.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
}

describe.each(functionNames)('%s', (name) => {
  test('is a minified ESM bundle with the createRequire banner and an external source map', () => {
    const bundle = bundleOf(name);
    const code = readFileSync(bundle, 'utf8');
    // Plain booleans: a failing string matcher would print the whole bundle.
    expect(code.startsWith(requireBanner)).toBe(true);
    expect(/export\s*\{[^}]*\bhandler\b[^}]*\}\s*;?\s*(\/\*[\s\S]*\*\/\s*)?$/.test(code)).toBe(true);
    expect(code.split('\n').length).toBeLessThan(2000);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    expect(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')).sourcesContent).toBeUndefined();
  });

  test('loads in a fresh process and exports the handler', async () => {
    const script = `const m = await import(${JSON.stringify(pathToFileURL(bundleOf(name)).href)}); process.stdout.write(typeof m.handler);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH, ...sampleFunctionEnvironment } });
    expect(stdout).toBe('function');
  });
});

test('the AWS SDK stays external (the nodejs24.x runtime provides it); client-node is bundled into the applier', () => {
  const applier = readFileSync(bundleOf('applier'), 'utf8');
  // Plain booleans: a failing toContain would print the whole bundle.
  expect(/from\s*"@aws-sdk\/client-sqs"/.test(applier)).toBe(true);
  expect(/from\s*"@kubernetes\/client-node"/.test(applier)).toBe(false);
  expect(applier.includes('application/apply-patch+yaml')).toBe(true);
});
