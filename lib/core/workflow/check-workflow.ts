import type * as z from 'zod';
import type { Application } from '../application/application.ts';
import { ValidationError, type ValidationIssue } from '../errors/validation-error.ts';
import { checkWith } from '../errors/zod-issues.ts';
import { DeployStepProperties } from './deploy-step.ts';
import { GoDuration } from './go-duration.ts';
import { renderStepComponents, unknownStepType } from './plan-workflow.ts';
import { componentsFor, resolveStepPolicies } from './step-policies.ts';
import { NotificationStepProperties, WebhookStepProperties } from './notification-step.ts';
import { conditionSteps, parseStepCondition } from './step-condition.ts';
import { SuspendStepProperties } from './suspend-step.ts';
import { outlineSteps, workflowMode, type OutlinedStep } from './workflow-steps.ts';

export interface CheckedParts {
  /** The components fit their definitions, so a failure to render them in a step comes from that step's overrides. */
  componentsValid: boolean;
  /** The policies parse, so deploy steps can be resolved against them. */
  policiesValid: boolean;
}

/**
 * Checks what the workflow will run: step names, types, properties, timeouts and dependencies, the policies each
 * deploy step names, and (when components and policies are valid) the components each deploy step renders after its
 * overrides, leaving out override entries scoped to particular clusters.
 */
export function checkWorkflow(app: Application, parts: CheckedParts): ValidationIssue[] {
  const steps = outlineSteps(app);
  if (steps.length === 0) {
    return [
      {
        path: 'spec.policies',
        message:
          'the application declares no workflow steps and no topology policy; KubeVela would deploy it to its local cluster, which Flotilla does not have: add a topology policy naming the target clusters',
      },
    ];
  }
  const issues: ValidationIssue[] = [];
  const sequential = workflowMode(app) === 'StepByStep';
  const positions = new Map<string, number>();
  steps.forEach((step, position) => {
    const earlier = positions.get(step.name);
    // Generated steps are named after topology policies, whose names are checked to be unique already.
    if (earlier !== undefined && sequential) issues.push({ path: `${step.source}.name`, message: `step name ${step.name} is already used by ${steps[earlier]?.source}` });
    if (earlier === undefined) positions.set(step.name, position);
  });
  steps.forEach((step, position) => {
    issues.push(...checkStep(step));
    step.dependsOn.forEach((name, index) => {
      const target = positions.get(name);
      const path = `${step.source}.dependsOn[${index}]`;
      if (target === undefined) issues.push({ path, message: `step ${name} not found` });
      else if (target === position) issues.push({ path, message: 'a step cannot depend on itself' });
      else if (sequential && target > position) issues.push({ path, message: `step ${name} runs after this one: declared steps run one after another, in order` });
    });
    issues.push(...checkCondition(step, position, positions, sequential));
    if (step.type === 'deploy' && parts.policiesValid) issues.push(...checkDeployStep(app, step, parts.componentsValid));
  });
  return issues;
}

const propertySchemas: Record<string, z.ZodType | undefined> = {
  deploy: DeployStepProperties,
  suspend: SuspendStepProperties,
  notification: NotificationStepProperties,
  webhook: WebhookStepProperties,
};

/** `if` must be a supported form naming a step that exists and, in StepByStep, runs before this one. */
function checkCondition(step: OutlinedStep, position: number, positions: ReadonlyMap<string, number>, sequential: boolean): ValidationIssue[] {
  if (step.if === undefined) return [];
  const path = `${step.source}.if`;
  const parsed = parseStepCondition(step.if);
  if (!parsed.ok) return [{ path, message: parsed.message }];
  return conditionSteps(parsed.condition).flatMap((name) => {
    const target = positions.get(name);
    if (target === undefined) return [{ path, message: `step ${name} not found` }];
    if (target === position) return [{ path, message: 'a step cannot depend on its own outcome' }];
    if (sequential && target > position) return [{ path, message: `step ${name} runs after this one: a condition can only read steps that run before it` }];
    return [];
  });
}

function checkStep(step: OutlinedStep): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const schema = propertySchemas[step.type];
  if (schema === undefined) issues.push({ path: `${step.source}.type`, message: unknownStepType(step.type) });
  else {
    const checked = checkWith(schema, step.properties, `${step.source}.properties`);
    if (!checked.ok) issues.push(...checked.issues);
  }
  if (step.timeout !== undefined) {
    const checked = checkWith(GoDuration, step.timeout, `${step.source}.timeout`);
    if (!checked.ok) issues.push(...checked.issues);
  }
  return issues;
}

function checkDeployStep(app: Application, step: OutlinedStep, componentsValid: boolean): ValidationIssue[] {
  const properties = DeployStepProperties.safeParse(step.properties);
  if (!properties.success) return [];
  const { policies, issues } = resolveStepPolicies(app, properties.data.policies, step.source);
  if (issues.length > 0 || !componentsValid) return issues;
  try {
    const components = componentsFor(app.spec.components, policies.overrides);
    renderStepComponents(app, step, policies, components, { revision: `${app.metadata.name}-check`, namespace: policies.topologies[0]?.properties.namespace });
    return [];
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
}
