// Issue 12: every user-supplied count is bounded, each refusal naming its limit, and an Application at every limit
// at once parses and plans quickly (the figure: `npm run bench:patterns`).
import { describe, expect, it } from 'vitest';
import { maximalApplication, timeMaximalPlan } from '../../../../bench/patterns.ts';
import { parseApplication } from '../../../../lib/core/admission/parse-application.ts';
import { limitMessages, MAX_COMPONENTS, MAX_OBJECTS, MAX_OVERRIDE_ENTRIES, MAX_POLICIES, MAX_STEPS } from '../../../../lib/core/application/limits.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';

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
});
