import type { Application } from '../application/application.ts';
import type { ApplicationComponent } from '../application/component.ts';
import { limitMessages, MAX_OBJECTS_PER_TARGET } from '../application/limits.ts';
import { PlacementError } from '../errors/placement-error.ts';
import { ValidationError, type ValidationIssue } from '../errors/validation-error.ts';
import { parseWith } from '../errors/zod-issues.ts';
import { describeObject, objectKey } from '../object/kubernetes-object.ts';
import type { ClusterInfo } from '../policy/cluster-info.ts';
import { resolvePlacements } from '../policy/topology.ts';
import { renderComponent, type RenderedComponent } from '../render/render-component.ts';
import { DeployStepProperties } from './deploy-step.ts';
import { parseGoDuration } from './go-duration.ts';
import type { PlanBudget } from './plan-budget.ts';
import { componentsFor, overrideScopeKey, resolveStepPolicies, type StepPolicies } from './step-policies.ts';
import { stepId } from './step-id.ts';
import { NotificationStepProperties, WebhookStepProperties } from './notification-step.ts';
import { parseStepCondition, type StepCondition } from './step-condition.ts';
import { SuspendStepProperties } from './suspend-step.ts';
import type { PlannedPlacement, PlannedStep, WorkflowPlan } from './workflow-plan.ts';
import { outlineSteps, workflowMode, type OutlinedStep } from './workflow-steps.ts';

export interface PlanOptions {
  /** The app revision, `<app>-v<N>`, written into every object's app.oam.dev/appRevision label. */
  revision: string;
  /** Checked after each placement is rendered; none means no time limit (dry runs and tests). */
  budget?: PlanBudget;
}

export const stepTypes = ['deploy', 'suspend', 'notification', 'webhook'] as const;

/** The key step ids are derived from: the app's namespace and name. */
export function appKey(app: Application): string {
  return `${app.metadata.namespace}/${app.metadata.name}`;
}

/**
 * The whole workflow with every step's placements resolved against `clusters` now. Planning one step when it starts
 * (planStep) is what a running workflow should do, since selectors are meant to be evaluated then.
 * Throws ValidationError for an app that cannot be planned, PlacementError when the registry cannot satisfy a topology.
 */
export function planWorkflow(app: Application, clusters: readonly ClusterInfo[], options: PlanOptions): WorkflowPlan {
  return { ...outlineWorkflow(app, options), steps: outlineSteps(app).map((step) => planOutlinedStep(app, step, clusters, options)) };
}

/** The workflow's steps in order with ids, properties and timeouts, but no placements: nothing depends on clusters. */
export function outlineWorkflow(app: Application, options: PlanOptions): WorkflowPlan {
  return {
    app: { name: app.metadata.name, namespace: app.metadata.namespace },
    revision: options.revision,
    mode: workflowMode(app),
    steps: outlineSteps(app).map((step) => stepWithoutPlacements(app, step)),
  };
}

/** One step, with its placements resolved against the registry as it is at this moment. */
export function planStep(app: Application, stepName: string, clusters: readonly ClusterInfo[], options: PlanOptions): PlannedStep {
  const steps = outlineSteps(app);
  const step = steps.find((candidate) => candidate.name === stepName);
  if (step === undefined) {
    throw ValidationError.single('spec.workflow.steps', `step ${stepName} not found; the workflow's steps are ${steps.map((known) => known.name).join(', ')}`);
  }
  return planOutlinedStep(app, step, clusters, options);
}

function planOutlinedStep(app: Application, step: OutlinedStep, clusters: readonly ClusterInfo[], options: PlanOptions): PlannedStep {
  const planned = stepWithoutPlacements(app, step);
  if (planned.type !== 'deploy') return planned;
  const { policies, issues } = resolveStepPolicies(app, planned.properties.policies, step.source);
  if (issues.length > 0) throw new ValidationError(issues);
  return { ...planned, placements: placeComponents(app, step, policies, clusters, options) };
}

function stepWithoutPlacements(app: Application, step: OutlinedStep): PlannedStep {
  const common = {
    id: stepId(appKey(app), step.name),
    name: step.name,
    dependsOn: step.dependsOn,
    ...timeoutOf(step),
    ...conditionOf(step),
    placements: [],
  };
  const propertiesPath = `${step.source}.properties`;
  if (step.type === 'deploy') return { ...common, type: 'deploy', properties: parseWith(DeployStepProperties, step.properties, propertiesPath) };
  if (step.type === 'suspend') {
    const properties = parseWith(SuspendStepProperties, step.properties, propertiesPath);
    const durationSeconds = properties.duration === undefined ? undefined : parseGoDuration(properties.duration);
    return { ...common, type: 'suspend', properties, ...(durationSeconds === undefined ? {} : { durationSeconds }) };
  }
  if (step.type === 'notification') return { ...common, type: 'notification', properties: parseWith(NotificationStepProperties, step.properties, propertiesPath) };
  if (step.type === 'webhook') return { ...common, type: 'webhook', properties: parseWith(WebhookStepProperties, step.properties, propertiesPath) };
  throw ValidationError.single(`${step.source}.type`, unknownStepType(step.type));
}

function conditionOf(step: OutlinedStep): { condition?: StepCondition } {
  if (step.if === undefined) return {};
  const parsed = parseStepCondition(step.if);
  if (!parsed.ok) throw ValidationError.single(`${step.source}.if`, parsed.message);
  return { condition: parsed.condition };
}

export function unknownStepType(type: string): string {
  return `unknown step type ${JSON.stringify(type)}; known types: ${stepTypes.join(', ')}`;
}

function timeoutOf(step: OutlinedStep): { timeout?: string; timeoutSeconds?: number } {
  if (step.timeout === undefined) return {};
  const timeoutSeconds = parseGoDuration(step.timeout);
  if (timeoutSeconds === undefined) throw ValidationError.single(`${step.source}.timeout`, 'expected a Go duration such as 30s, 5m or 1h30m');
  return { timeout: step.timeout, timeoutSeconds };
}

function placeComponents(app: Application, step: OutlinedStep, policies: StepPolicies, clusters: readonly ClusterInfo[], options: PlanOptions): PlannedPlacement[] {
  let placements;
  try {
    placements = resolvePlacements(policies.topologies, clusters);
  } catch (error) {
    throw error instanceof PlacementError ? error.inStep(step.name) : error;
  }
  const clustersByName = new Map(clusters.map((cluster) => [cluster.name, cluster]));
  const componentsByScope = new Map<string, ApplicationComponent[]>();
  return placements.map((placement, index) => {
    const cluster = clustersByName.get(placement.cluster) ?? { name: placement.cluster, labels: {} };
    const scope = overrideScopeKey(policies.overrides, cluster);
    let components = componentsByScope.get(scope);
    if (components === undefined) {
      components = componentsFor(app.spec.components, policies.overrides, cluster);
      componentsByScope.set(scope, components);
    }
    const rendered = renderStepComponents(app, step, policies, components, { revision: options.revision, namespace: placement.namespace });
    const namespace = placement.namespace ?? app.metadata.namespace;
    const resources = rendered.flatMap((component) => component.resources);
    if (resources.length > MAX_OBJECTS_PER_TARGET) {
      throw ValidationError.single(step.source, `step ${step.name} renders ${resources.length} objects for cluster ${placement.cluster}, namespace ${namespace}; ${limitMessages.objectsPerTarget}`);
    }
    options.budget?.check(step.name, `${index + 1} of ${placements.length} placements`);
    return {
      cluster: placement.cluster,
      namespace,
      createNamespace: placement.createNamespace,
      components: rendered.map(({ name, type, traits, dependsOn }) => ({ name, type, traits, dependsOn })),
      resources,
    };
  });
}

/**
 * Renders the components a deploy step sends to one place and refuses two objects with the same identity.
 * Components are checked when the app is parsed, so a render failure here comes from an override: the error points
 * at the component in spec.components and says which overrides were applied.
 */
export function renderStepComponents(
  app: Application,
  step: OutlinedStep,
  policies: StepPolicies,
  components: readonly ApplicationComponent[],
  target: { revision: string; namespace: string | undefined },
): RenderedComponent[] {
  const issues: ValidationIssue[] = [];
  const rendered: RenderedComponent[] = [];
  for (const component of components) {
    try {
      rendered.push(renderComponent(component, { app: app.metadata, ...target }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push(...error.details.map((issue) => inComponent(app, step, policies, component.name, issue)));
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  refuseDuplicates(rendered, step);
  return rendered;
}

function inComponent(app: Application, step: OutlinedStep, policies: StepPolicies, componentName: string, issue: ValidationIssue): ValidationIssue {
  const index = app.spec.components.findIndex((component) => component.name === componentName);
  const overrides = policies.overrides.map((override) => override.name).join(', ');
  const context = `in step ${step.name}${overrides === '' ? '' : `, after override policies ${overrides}`}`;
  if (index === -1) return { path: step.source, message: `component ${componentName} (added by an override) ${context}: ${issue.path}: ${issue.message}` };
  return { path: `spec.components[${index}].${issue.path}`, message: `${issue.message} (${context})` };
}

function refuseDuplicates(rendered: readonly RenderedComponent[], step: OutlinedStep): void {
  const owners = new Map<string, string>();
  const issues: ValidationIssue[] = [];
  for (const component of rendered) {
    for (const object of component.resources) {
      const key = objectKey(object);
      const owner = owners.get(key);
      const by = owner === component.name ? `by component ${owner}` : `by components ${owner} and ${component.name}`;
      if (owner !== undefined) issues.push({ path: step.source, message: `${describeObject(object)} is rendered twice in step ${step.name}, ${by}` });
      owners.set(key, component.name);
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
}
