import * as z from 'zod';

const dnsLabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True for RFC 1123 labels: what Kubernetes accepts as a namespace or Service name, and as a label value. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && dnsLabelPattern.test(value);
}

/**
 * A DNS-1123 label. Application, component, policy, step and cluster names end up in object names and label values,
 * so they are held to the strictest of those rules.
 */
export function dnsLabel(what: string) {
  return z
    .string()
    .max(63, { error: `${what} must be at most 63 characters long (DNS-1123 label)` })
    .regex(dnsLabelPattern, {
      error: `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
    });
}
