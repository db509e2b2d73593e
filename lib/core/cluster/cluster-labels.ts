import { ValidationError, type ValidationIssue } from '../errors/validation-error.ts';

/** Labels KubeVela keeps for itself (`cluster.core.oam.dev/...`); people may not set them. */
const reservedLabelPrefix = 'cluster.core.oam.dev';
const labelNamePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const dnsSubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes label key rules: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !dnsSubdomainPattern.test(prefix))) {
    return `the key's prefix "${prefix}" must be a DNS subdomain (lowercase letters, digits, '-' and '.')`;
  }
  if (prefix === reservedLabelPrefix || prefix?.endsWith(`.${reservedLabelPrefix}`)) {
    return `the key's prefix ${reservedLabelPrefix} is reserved`;
  }
  if (name.length > 63 || !labelNamePattern.test(name)) {
    return 'the key must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !labelNamePattern.test(value)) {
    return 'the value must be empty or at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Checks every key and value; throws one ValidationError listing all problems, each at `<path>["key"]`. */
export function checkLabels(labels: Record<string, string>, path = 'labels'): Record<string, string> {
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const at = `${path}[${JSON.stringify(key)}]`;
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) issues.push({ path: at, message: keyProblem });
    const valueProblem = labelValueProblem(value);
    if (valueProblem) issues.push({ path: at, message: valueProblem });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return labels;
}

/** `labels add`: new keys are added, existing keys take the new value. */
export function withLabels(current: Record<string, string>, added: Record<string, string>): Record<string, string> {
  return { ...current, ...checkLabels(added) };
}

/** `labels del`: every key must be present (`no such label` otherwise, as in KubeVela). */
export function withoutLabels(current: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const missing: ValidationIssue[] = keys
    .map((key, index) => ({ key, index }))
    .filter(({ key }) => !Object.hasOwn(current, key))
    .map(({ key, index }) => ({ path: `keys[${index}]`, message: `no such label "${key}"` }));
  if (missing.length > 0) throw new ValidationError(missing);
  return Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key)));
}
