import * as z from 'zod';
import type { HealthContext, HealthStatus } from '../health-status.ts';
import type { KubernetesObject } from '../../object/kubernetes-object.ts';
import { readNumber } from '../../object/read-field.ts';
import type { RenderContext } from '../component-definition.ts';

// What webservice and worker share: one container in a Deployment, and the Deployment health rule.

const KeyReference = z.strictObject({ name: z.string().min(1), key: z.string().min(1) });

export const EnvVar = z.strictObject({
  name: z.string().min(1),
  value: z.string().optional(),
  valueFrom: z
    .strictObject({
      secretKeyRef: KeyReference.optional(),
      configMapKeyRef: KeyReference.optional(),
    })
    .optional(),
});

// KubeVela types cpu and memory as strings; YAML reads `cpu: 0.5` as a number, so numbers are taken and written back.
const Quantity = z.union([z.string().min(1), z.number().positive()]).transform(String);

export const containerProperties = {
  image: z.string().min(1),
  imagePullPolicy: z.enum(['Always', 'Never', 'IfNotPresent']).optional(),
  imagePullSecrets: z.array(z.string().min(1)).optional(),
  cmd: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(EnvVar).optional(),
  cpu: Quantity.optional(),
  memory: Quantity.optional(),
};

interface ContainerProperties {
  image: string;
  imagePullPolicy?: string | undefined;
  imagePullSecrets?: string[] | undefined;
  cmd?: string[] | undefined;
  args?: string[] | undefined;
  env?: z.infer<typeof EnvVar>[] | undefined;
  cpu?: string | undefined;
  memory?: string | undefined;
}

interface DeploymentShape {
  container: ContainerProperties;
  ports?: Record<string, unknown>[];
  podLabels?: Record<string, string> | undefined;
  podAnnotations?: Record<string, string> | undefined;
}

/** The Deployment KubeVela's webservice and worker templates produce, with fields only present when set. */
export function deployment(context: RenderContext, shape: DeploymentShape): KubernetesObject {
  const { container: properties } = shape;
  const resources: Record<string, Record<string, string>> = {};
  if (properties.cpu !== undefined) addResource(resources, 'cpu', properties.cpu);
  if (properties.memory !== undefined) addResource(resources, 'memory', properties.memory);
  const container = {
    name: context.componentName,
    image: properties.image,
    ...(shape.ports === undefined ? {} : { ports: shape.ports }),
    ...(properties.imagePullPolicy === undefined ? {} : { imagePullPolicy: properties.imagePullPolicy }),
    ...(properties.cmd === undefined ? {} : { command: properties.cmd }),
    ...(properties.args === undefined ? {} : { args: properties.args }),
    ...(properties.env === undefined ? {} : { env: properties.env }),
    ...(Object.keys(resources).length === 0 ? {} : { resources }),
  };
  const selector = { 'app.oam.dev/component': context.componentName };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: context.componentName },
    spec: {
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels: { ...shape.podLabels, 'app.oam.dev/name': context.appName, ...selector },
          ...(shape.podAnnotations === undefined ? {} : { annotations: shape.podAnnotations }),
        },
        spec: {
          containers: [container],
          ...(properties.imagePullSecrets === undefined ? {} : { imagePullSecrets: properties.imagePullSecrets.map((name) => ({ name })) }),
        },
      },
    },
  };
}

function addResource(resources: Record<string, Record<string, string>>, name: string, quantity: string): void {
  resources.limits = { ...resources.limits, [name]: quantity };
  resources.requests = { ...resources.requests, [name]: quantity };
}

/**
 * KubeVela's Deployment health rule: healthy when the desired, ready, updated and current replica counts agree and the
 * controller has seen the latest generation. Missing status fields count as 0; the message is `Ready:<ready>/<desired>`.
 */
export function deploymentHealth({ output }: HealthContext): HealthStatus {
  // The API server always fills spec.replicas in (default 1), so a live Deployment has it.
  const desired = readNumber(output, 'spec', 'replicas') ?? 1;
  const ready = readNumber(output, 'status', 'readyReplicas') ?? 0;
  const updated = readNumber(output, 'status', 'updatedReplicas') ?? 0;
  const current = readNumber(output, 'status', 'replicas') ?? 0;
  const observedGeneration = readNumber(output, 'status', 'observedGeneration') ?? 0;
  const generation = readNumber(output, 'metadata', 'generation') ?? 0;
  return {
    healthy: desired === ready && desired === updated && desired === current && observedGeneration >= generation,
    message: `Ready:${ready}/${desired}`,
  };
}
