import * as z from 'zod';
import { dnsLabel } from '../application/dns-name.ts';

export const maxCreatableNamespaces = 100;

/**
 * The namespaces Flotilla may create in a member cluster (topology `createNamespace`), set by admins. Absent: no limit;
 * empty: none. Plain names only, so matching is a set lookup.
 */
export const CreatableNamespaces = z
  .array(dnsLabel('a namespace name'))
  .max(maxCreatableNamespaces, { error: `at most ${maxCreatableNamespaces} namespaces` })
  .superRefine((names, context) => {
    const seen = new Set<string>();
    names.forEach((name, index) => {
      if (seen.has(name)) context.addIssue({ code: 'custom', path: [index], message: `${name} is listed twice` });
      seen.add(name);
    });
  });

export function mayCreateNamespace(allowed: readonly string[] | undefined, namespace: string): boolean {
  return allowed === undefined || allowed.includes(namespace);
}

/** Names the cluster, the namespace and what it allows. */
export function namespaceCreationRefusal(cluster: string, namespace: string, allowed: readonly string[]): string {
  const list = allowed.length === 0 ? 'no namespaces' : `only namespaces ${allowed.join(', ')}`;
  return `cluster ${cluster} lets Flotilla create ${list}, not ${namespace} (createNamespace)`;
}
