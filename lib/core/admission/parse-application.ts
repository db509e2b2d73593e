import { checkComponent } from '../definitions/check-component.ts';
import { underPath, ValidationError, type ValidationIssue } from '../errors/validation-error.ts';
import { checkWith } from '../errors/zod-issues.ts';
import { checkPolicies } from '../policy/check-policies.ts';
import { checkWorkflow } from '../workflow/check-workflow.ts';
import { Application } from '../application/application.ts';
import { checkPlainData, parseDocument, type DocumentFormat } from '../application/parse-document.ts';

/**
 * Reads an Application from YAML or JSON text (the format is detected when not given) and checks it completely.
 * Throws ValidationError listing every problem with its path; see parseDocument for what the reader refuses.
 */
export function parseApplication(text: string, format?: DocumentFormat): Application {
  return applicationFromObject(parseDocument(text, format));
}

/**
 * Checks already-parsed data as an Application: its structure, then its meaning (known component, trait, policy and
 * step types with properties that fit them, unique names, policies and steps that exist, a topology for every deploy
 * step). metadata.namespace defaults to `default`.
 */
export function applicationFromObject(value: unknown): Application {
  const problem = checkPlainData(value);
  if (problem !== undefined) throw new ValidationError([problem]);
  const checked = checkWith(Application, value, '');
  if (!checked.ok) throw new ValidationError(checked.issues);
  const app = checked.value;
  const componentIssues = checkComponents(app);
  const policyIssues = checkPolicies(app.spec.policies ?? []);
  const workflowIssues = checkWorkflow(app, { componentsValid: componentIssues.length === 0, policiesValid: policyIssues.length === 0 });
  const issues = [...componentIssues, ...policyIssues, ...workflowIssues];
  if (issues.length > 0) throw new ValidationError(issues);
  return app;
}

function checkComponents(app: Application): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const names = new Map<string, number>();
  app.spec.components.forEach((component, index) => {
    const path = `spec.components[${index}]`;
    const first = names.get(component.name);
    if (first !== undefined) issues.push({ path: `${path}.name`, message: `component name ${component.name} is already used by spec.components[${first}]` });
    names.set(component.name, first ?? index);
    issues.push(...underPath(path, checkComponent(component)));
  });
  app.spec.components.forEach((component, index) => {
    (component.dependsOn ?? []).forEach((dependency, position) => {
      const path = `spec.components[${index}].dependsOn[${position}]`;
      if (dependency === component.name) issues.push({ path, message: 'a component cannot depend on itself' });
      else if (!names.has(dependency)) issues.push({ path, message: `component ${dependency} not found` });
    });
  });
  const cycle = dependencyCycle(app);
  if (cycle !== undefined) issues.push({ path: 'spec.components', message: `components depend on each other in a cycle: ${cycle.join(' -> ')}` });
  return issues;
}

/** The first dependsOn cycle among the components, as names ending where it started. Iterative: chains can be long. */
function dependencyCycle(app: Application): string[] | undefined {
  const dependsOn = new Map(app.spec.components.map((component) => [component.name, component.dependsOn ?? []]));
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of dependsOn.keys()) {
    if (state.has(start)) continue;
    const stack = [{ name: start, next: 0 }];
    state.set(start, 'visiting');
    for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
      const dependency = dependsOn.get(top.name)?.[top.next];
      top.next += 1;
      if (dependency === undefined) {
        state.set(top.name, 'done');
        stack.pop();
      } else if (dependency === top.name) {
        // A component naming itself is reported on its own.
      } else if (state.get(dependency) === 'visiting') {
        const names = stack.map((frame) => frame.name);
        return [...names.slice(names.indexOf(dependency)), dependency];
      } else if (!state.has(dependency) && dependsOn.has(dependency)) {
        state.set(dependency, 'visiting');
        stack.push({ name: dependency, next: 0 });
      }
    }
  }
  return undefined;
}
