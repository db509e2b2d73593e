/** One problem found in user input, located by a path such as `spec.components[0].traits[1].properties.replicas`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * User input (an Application, a cluster list, a step name) is not acceptable. Every problem is listed in `details`, so
 * the HTTP API can answer 4xx with all of them and the CLI can print them at once instead of one per attempt.
 */
export class ValidationError extends Error {
  readonly details: ValidationIssue[];

  constructor(details: ValidationIssue[]) {
    super(summarise(details));
    this.name = 'ValidationError';
    this.details = details;
  }

  static single(path: string, message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

export function describeIssue(issue: ValidationIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

function summarise(details: ValidationIssue[]): string {
  const [first, ...rest] = details;
  if (first === undefined) return 'invalid input';
  if (rest.length === 0) return describeIssue(first);
  return [`${details.length} problems:`, ...details.map((issue) => `  ${describeIssue(issue)}`)].join('\n');
}

/** Joins path segments the way people write them: `spec.components[0]["app.oam.dev/name"]`. */
export function formatPath(segments: readonly PropertyKey[], base = ''): string {
  let path = base;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}

export function joinPaths(base: string, path: string): string {
  if (base === '') return path;
  if (path === '') return base;
  return path.startsWith('[') ? `${base}${path}` : `${base}.${path}`;
}

/** Moves issues found inside a nested value under the path where that value sits. */
export function underPath(base: string, issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({
    path: joinPaths(base, issue.path),
    message: issue.message,
  }));
}
