// Issue 12: every user-supplied count is bounded, each refusal naming its limit, and an Application at every limit
// at once parses and plans quickly (the figure: `npm run bench:patterns`).
import { describe, expect, it } from 'vitest';
import { maximalApplication, timeMaximalPlan } from '../../../../bench/patterns.ts';
import { parseApplication } from '../../../../lib/core/admission/parse-application.ts';
import { limitMessages, MAX_COMPONENTS, MAX_OBJECTS, MAX_OBJECTS_PER_TARGET, MAX_OVERRIDE_ENTRIES, MAX_POLICIES, MAX_STEPS } from '../../../../lib/core/application/limits.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { PlanBudget } from '../../../../lib/core/workflow/plan-budget.ts';
import { planStep } from '../../../../lib/core/workflow/plan-workflow.ts';

const base = () => JSON.parse(maximalApplication()) as { spec: { components: unknown[]; policies: { name: string; type: string; properties: { components?: unknown[] } }[]; workflow: { steps: unknown[] } } };

function refusal(app: unknown): { path: string; message: string }[] {
  try {
    parseApplication(JSON.stringify(app), 'json');
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('accepted');
}

describe('count limits', () => {
  it('accepts an Application at every limit', () => {
    expect(() => parseApplication(maximalApplication(), 'json')).not.toThrow();
  });

  it('refuses one component too many', () => {
    const app = base();
    app.spec.components.push({ name: 'extra', type: 'worker', properties: { image: 'nginx' } });
    expect(app.spec.components).toHaveLength(MAX_COMPONENTS + 1);
    expect(refusal(app)).toEqual([{ path: 'spec.components', message: limitMessages.components }]);
    expect(limitMessages.components).toBe('an application can hold at most 50 components (MAX_COMPONENTS)');
  });

  it('refuses one policy too many', () => {
    const app = base();
    app.spec.policies.push({ name: 'extra', type: 'topology', properties: { clusters: ['c-1'] } as never });
    expect(app.spec.policies).toHaveLength(MAX_POLICIES + 1);
    expect(refusal(app)).toEqual([{ path: 'spec.policies', message: 'an application can hold at most 20 policies (MAX_POLICIES)' }]);
  });

  it('refuses one override entry too many in one policy', () => {
    const app = base();
    app.spec.policies[0]!.properties.components!.push({ name: 'web-1' });
    expect(refusal(app)).toEqual([{ path: 'spec.policies[0].properties.components', message: 'an application\'s override policies can hold at most 50 entries together (MAX_OVERRIDE_ENTRIES)' }]);
  });

  it('refuses override entries that add up to too many across policies', () => {
    const app = base();
    app.spec.policies[1] = { name: 'patch-2', type: 'override', properties: { components: [{ name: 'web-1' }] } };
    expect(refusal(app)).toEqual([{ path: 'spec.policies', message: `${limitMessages.overrideEntries}; these hold ${MAX_OVERRIDE_ENTRIES + 1}` }]);
  });

  it('refuses one step too many', () => {
    const app = base();
    app.spec.workflow.steps.push({ name: 'extra', type: 'suspend' });
    expect(app.spec.workflow.steps).toHaveLength(MAX_STEPS + 1);
    expect(refusal(app)).toEqual([{ path: 'spec.workflow.steps', message: 'a workflow can hold at most 10 steps (MAX_STEPS)' }]);
  });

  it('refuses one k8s-objects object too many', () => {
    const app = base();
    const objects = Array.from({ length: MAX_OBJECTS + 1 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c-${i}` } }));
    app.spec.components[0] = { name: 'web-0', type: 'k8s-objects', properties: { objects } };
    expect(refusal(app)).toEqual([{ path: 'spec.components[0].properties.objects', message: 'a k8s-objects component can hold at most 100 objects (MAX_OBJECTS)' }]);
  });

  it('parses and plans the maximal Application in little time (the benchmark prints the figure, about 35 ms)', () => {
    timeMaximalPlan();
    expect(timeMaximalPlan()).toBeLessThan(500);
  });

  it('refuses a step whose target would receive more than MAX_OBJECTS_PER_TARGET objects, naming the cluster and namespace', () => {
    const perComponent = MAX_OBJECTS;
    const componentCount = Math.floor(MAX_OBJECTS_PER_TARGET / perComponent) + 1;
    const components = Array.from({ length: componentCount }, (_, c) => ({
      name: `objects-${c}`,
      type: 'k8s-objects',
      properties: { objects: Array.from({ length: perComponent }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c-${c}-${i}` } })) },
    }));
    const app = parseApplication(JSON.stringify({ apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: 'many', namespace: 'team-a' }, spec: { components, policies: [{ name: 'here', type: 'topology', properties: { clusters: ['member'] } }], workflow: { steps: [{ name: 'deploy', type: 'deploy', properties: { policies: ['here'] } }] } } }), 'json');
    const planning = () => planStep(app, 'deploy', [{ name: 'member', labels: {} }], { revision: 'many-v1' });
    expect(planning).toThrow(ValidationError);
    expect(planning).toThrow(`renders ${componentCount * perComponent} objects for cluster member, namespace team-a; ${limitMessages.objectsPerTarget}`);
  });

  it('fails planning cleanly once its time budget is spent, naming the step and how far it got', () => {
    const app = parseApplication(maximalApplication(), 'json');
    const clusters = Array.from({ length: MAX_POLICIES }, (_, i) => ({ name: `c-${i}`, labels: {} }));
    let clock = 0;
    // Every clock read advances 10 ms: the first placement already overruns a 5 ms budget.
    const budget = new PlanBudget(5, () => (clock += 10));
    expect(() => planStep(app, 's-0', clusters, { revision: 'maximal-v1', budget })).toThrow(
      'planning step s-0 took longer than its budget of 5 ms (planBudgetMs) after 1 of 1 placements',
    );
    const generous = new PlanBudget(60_000, () => performance.now());
    expect(planStep(app, 's-0', clusters, { revision: 'maximal-v1', budget: generous }).placements).toHaveLength(1);
  });
});
