import * as z from 'zod';
import { readField, readString } from '../../object/read-field.ts';
import { defineTrait } from '../trait-definition.ts';

const GatewayProperties = z.strictObject({
  domain: z.string().min(1),
  /** Request path -> container port. */
  http: z.record(z.string().min(1), z.number().int().min(1).max(65535)),
  class: z.string().min(1).default('nginx'),
  /** Put the class in spec.ingressClassName instead of the kubernetes.io/ingress.class annotation. */
  classInSpec: z.boolean().default(false),
});

/**
 * KubeVela v1.3's `gateway`: a Service and a networking.k8s.io/v1 Ingress, both named after the component.
 * Healthy once the Service has a cluster IP; the message tells where the Ingress can be reached.
 */
export const gateway = defineTrait({
  type: 'gateway',
  description: 'Opens the component to web traffic through an Ingress for a domain.',
  properties: GatewayProperties,
  render(properties, context) {
    const name = context.componentName;
    const paths = Object.entries(properties.http);
    // v1.3 wrote one unnamed Service port per path, which the API server refuses as soon as there are two; later
    // KubeVela names them `port-<n>`. One entry per distinct port also avoids duplicate-port rejections.
    const ports = [...new Set(paths.map(([, port]) => port))].map((port) => ({ name: `port-${port}`, port, targetPort: port }));
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: { 'app.oam.dev/component': name }, ports },
    };
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name,
        ...(properties.classInSpec ? {} : { annotations: { 'kubernetes.io/ingress.class': properties.class } }),
      },
      spec: {
        ...(properties.classInSpec ? { ingressClassName: properties.class } : {}),
        rules: [
          {
            host: properties.domain,
            http: {
              paths: paths.map(([path, port]) => ({
                path,
                pathType: 'ImplementationSpecific',
                backend: { service: { name, port: { number: port } } },
              })),
            },
          },
        ],
      },
    };
    return {
      outputs: [
        { name: 'service', object: service },
        { name: 'ingress', object: ingress },
      ],
    };
  },
  health({ appName, outputs }) {
    const clusterIP = readString(outputs.service, 'spec', 'clusterIP') ?? '';
    const loadBalancer = readField(outputs.ingress, 'status', 'loadBalancer', 'ingress', 0);
    const host = readString(outputs.ingress, 'spec', 'rules', 0, 'host') ?? '';
    const ip = readString(loadBalancer, 'ip');
    const message =
      loadBalancer === undefined
        ? `No loadBalancer found, visiting by using 'vela port-forward ${appName}'\n`
        : ip === undefined
          ? `Visiting URL: ${host}`
          : `Visiting URL: ${host}, IP: ${ip}`;
    return { healthy: clusterIP.length > 0, message };
  },
});
