// Issue 12: every user pattern matches in linear time. Prints how long the worst shapes take:
// a 30-star trigger glob against a 255-character subject, and an Application at every count limit with an override
// pattern on each entry, parsed and planned. `npm run bench:patterns`.
import { parseApplication } from '../lib/core/admission/parse-application.ts';
import { MAX_COMPONENTS, MAX_OVERRIDE_ENTRIES, MAX_POLICIES, MAX_STEPS } from '../lib/core/application/limits.ts';
import { matchesPattern } from '../lib/core/trigger/trigger-rule.ts';
import { planWorkflow } from '../lib/core/workflow/plan-workflow.ts';

export const starGlob = (stars: number) => `${Array.from({ length: stars }, () => '*').join('-')}-x`;

/** MAX_COMPONENTS components, MAX_POLICIES policies (one override with MAX_OVERRIDE_ENTRIES patterned entries, the rest topologies), MAX_STEPS deploy steps using them all. */
export function maximalApplication(): string {
  const components = Array.from({ length: MAX_COMPONENTS }, (_, i) => ({ name: `web-${i}`, type: 'webservice', properties: { image: 'nginx', port: 80 } }));
  const entries = Array.from({ length: MAX_OVERRIDE_ENTRIES }, (_, i) => ({ name: `(web|api)-*${i % 10}*`, properties: { cpu: `${i + 1}00m` } }));
  const topologies = Array.from({ length: MAX_POLICIES - 1 }, (_, i) => ({ name: `t-${i}`, type: 'topology', properties: { clusters: [`c-${i}`] } }));
  const steps = Array.from({ length: MAX_STEPS }, (_, i) => ({ name: `s-${i}`, type: 'deploy', properties: { policies: ['patch', topologies[i % topologies.length]!.name] } }));
  return JSON.stringify({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'maximal' },
    spec: { components, policies: [{ name: 'patch', type: 'override', properties: { components: entries } }, ...topologies], workflow: { steps } },
  });
}

export function timeGlob(stars = 30, subjectLength = 255): number {
  const started = performance.now();
  matchesPattern('-'.repeat(subjectLength), starGlob(stars));
  return performance.now() - started;
}

export function timeMaximalPlan(): number {
  const text = maximalApplication();
  const clusters = Array.from({ length: MAX_POLICIES }, (_, i) => ({ name: `c-${i}`, labels: {} }));
  const started = performance.now();
  const app = parseApplication(text, 'json');
  planWorkflow(app, clusters, { revision: 'maximal-v1' });
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;

if (import.meta.main) {
  const globs = Array.from({ length: 21 }, () => timeGlob());
  console.log(`30-star glob ${starGlob(30)} against 255 characters: first ${ms(globs[0]!)}, median of 20 ${ms(median(globs.slice(1)))}`);
  const plans = Array.from({ length: 11 }, () => timeMaximalPlan());
  console.log(
    `maximal Application (${MAX_COMPONENTS} components, ${MAX_POLICIES} policies, ${MAX_OVERRIDE_ENTRIES} override patterns, ${MAX_STEPS} steps) parsed and planned: first ${ms(plans[0]!)}, median of 10 ${ms(median(plans.slice(1)))}`,
  );
  console.log('before issue 12 (backtracking RegExp): an 8-star glob against 40 characters took 0.8 s, 10 stars 10 s, 11 stars 28 s');
}
