// Synthesises the Flotilla app the way `npx cdk synth` does (cdk.json's feature flags, cdk-nag registered), by
// default without bundling (`aws:cdk:bundling-stacks: []`), and hands back the template and the validation report.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { repoRoot } from '../../infra/bundling.ts';
import { FlotillaStack } from '../../infra/flotilla-stack.ts';
import { addNagChecks } from '../../infra/nag.ts';
import type { FlotillaSettings } from '../../infra/settings.ts';

export interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    suppressedViolations: { ruleName: string; reason: string; acknowledgedAt: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

export interface Synthesized {
  app: App;
  stack: FlotillaStack;
  template: Template;
  outdir: string;
  report: ValidationReport;
  /** Removes the cloud assembly. */
  dispose(): void;
}

export const cdkContext: Record<string, unknown> = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')).context;

export interface SynthOptions {
  settings?: Partial<FlotillaSettings>;
  /** Run esbuild for every function (slow); off by default. */
  bundle?: boolean;
  /** Where the cloud assembly goes; a fresh temporary folder by default. */
  outdir?: string;
  /** Changes to make to the stack before synthesis (to check that cdk-nag notices them). */
  amend?: (stack: FlotillaStack) => void;
}

export function synthFlotilla(options: SynthOptions = {}): Synthesized {
  const outdir = options.outdir ?? mkdtempSync(join(tmpdir(), 'flotilla-cdk-'));
  const context = options.bundle ? cdkContext : { ...cdkContext, 'aws:cdk:bundling-stacks': [] };
  const dispose = () => rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir, context });
  let stack: FlotillaStack;
  try {
    stack = new FlotillaStack(app, 'Flotilla', { settings: options.settings });
    options.amend?.(stack);
    addNagChecks(app);
    app.synth();
  } catch (err) {
    dispose();
    throw err;
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  return { app, stack, template: Template.fromStack(stack), outdir, report, dispose };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The logical id of the one resource of `type` whose logical id starts with `prefix`. */
export function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(resourcesOf(template, type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}
