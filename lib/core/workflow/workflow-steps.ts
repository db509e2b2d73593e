import type { Application } from '../application/application.ts';
import type { Properties } from '../application/component.ts';
import type { WorkflowMode } from './workflow-plan.ts';

/** A step as the workflow will run it, before its properties are checked and its placements resolved. */
export interface OutlinedStep {
  name: string;
  type: string;
  dependsOn: string[];
  timeout?: string | undefined;
  /** The step's `if`, as written. */
  if?: string | undefined;
  properties: Properties;
  /** Where the step comes from in the Application, for error paths. */
  source: string;
}

export function workflowMode(app: Application): WorkflowMode {
  return declaredSteps(app).length === 0 ? 'DAG' : 'StepByStep';
}

const declaredSteps = (app: Application) => app.spec.workflow?.steps ?? [];

/**
 * The steps the workflow runs, in order. Declared steps are taken as written, with a `manual-approve-<step>` suspend
 * step before each deploy step that has `auto: false` (unless a suspend step already precedes it), as v1.3 does.
 * Without declared steps one `deploy-<topology>` step is generated per topology policy, applying every override
 * policy, in declaration order, before that topology.
 */
export function outlineSteps(app: Application): OutlinedStep[] {
  const declared = declaredSteps(app);
  if (declared.length === 0) return generatedSteps(app);
  const steps: OutlinedStep[] = [];
  declared.forEach((step, index) => {
    const source = `spec.workflow.steps[${index}]`;
    const properties = step.properties ?? {};
    if (step.type === 'deploy' && properties.auto === false && steps.at(-1)?.type !== 'suspend') {
      steps.push({ name: `manual-approve-${step.name}`, type: 'suspend', dependsOn: [], properties: {}, source: `${source}.properties.auto` });
    }
    steps.push({ name: step.name, type: step.type, dependsOn: step.dependsOn ?? [], timeout: step.timeout, if: step.if, properties, source });
  });
  return steps;
}

function generatedSteps(app: Application): OutlinedStep[] {
  const policies = app.spec.policies ?? [];
  const overrides = policies.filter((policy) => policy.type === 'override').map((policy) => policy.name);
  const steps: OutlinedStep[] = [];
  policies.forEach((policy, index) => {
    if (policy.type !== 'topology') return;
    steps.push({
      name: `deploy-${policy.name}`,
      type: 'deploy',
      dependsOn: [],
      properties: { policies: [...overrides, policy.name] },
      source: `spec.policies[${index}]`,
    });
  });
  return steps;
}
