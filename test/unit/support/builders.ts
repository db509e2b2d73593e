import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applicationFromObject } from '../../../lib/core/admission/parse-application.ts';
import type { Application } from '../../../lib/core/application/application.ts';
import type { ClusterInfo } from '../../../lib/core/policy/cluster-info.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export function fixtureText(path: string): string {
  return readFileSync(`${fixtures}${path}`, 'utf8');
}

/** The clusters of the seed article: two in Beijing, one on AWS. */
export const seedClusters: ClusterInfo[] = [
  { name: 'beijing-1', labels: {} },
  { name: 'beijing-2', labels: {} },
  { name: 'us-west-1', labels: { provider: 'AWS' } },
];

/** A plain Application object; `spec` fields replace the default ones. */
export function appObject(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: 'default', ...metadata },
    spec: {
      components: [{ name: 'web', type: 'webservice', properties: { image: 'nginx' } }],
      policies: [{ name: 'everywhere', type: 'topology', properties: { clusters: ['beijing-1'] } }],
      ...spec,
    },
  };
}

export function app(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Application {
  return applicationFromObject(appObject(spec, metadata));
}

/** Runs `action` and returns the error it throws, failing the test when it does not throw. */
export function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error to be thrown');
}
