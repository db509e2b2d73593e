import type { TokenClusterScope } from '../application/application-record.ts';
import type { TokenRecord } from './token-record.ts';

export type Role = TokenRecord['role'];

/** Who is calling, as established by `authenticate`. */
export interface Principal {
  tokenId: string;
  role: Role;
  /** Namespaces the principal may act in; empty means every namespace. */
  namespaces: readonly string[];
  /** Member clusters the principal may place on; absent means every cluster. */
  clusters?: TokenClusterScope;
}

/** Everything the API lets a caller do, by resource and verb. */
export type Action = 'applications:read' | 'applications:write' | 'clusters:read' | 'clusters:write' | 'tokens:read' | 'tokens:write';

export type Decision = { allowed: true } | { allowed: false; reason: string };

const grants: Record<Role, readonly Action[]> = {
  admin: ['applications:read', 'applications:write', 'clusters:read', 'clusters:write', 'tokens:read', 'tokens:write'],
  deployer: ['applications:read', 'applications:write', 'clusters:read'],
  viewer: ['applications:read', 'clusters:read'],
};

/**
 * The access rules, pure: viewers read; deployers also write applications; admins do everything, clusters and tokens
 * included. Application actions are checked against the principal's namespaces; `namespace` undefined means "across
 * all namespaces", which only an unlimited principal may do.
 */
export function authorize(principal: Principal, action: Action, namespace?: string): Decision {
  if (!grants[principal.role].includes(action)) {
    return { allowed: false, reason: `role ${principal.role} may not ${describe(action)}` };
  }
  if (!action.startsWith('applications:') || principal.namespaces.length === 0) return { allowed: true };
  const limits = principal.namespaces.join(', ');
  if (namespace === undefined) {
    return { allowed: false, reason: `this token is limited to namespaces ${limits}; name one of them` };
  }
  if (!principal.namespaces.includes(namespace)) {
    return { allowed: false, reason: `this token is limited to namespaces ${limits}, not ${namespace}` };
  }
  return { allowed: true };
}

function describe(action: Action): string {
  const [resource, verb] = action.split(':') as [string, string];
  return verb === 'read' ? `read ${resource}` : `change ${resource}`;
}
