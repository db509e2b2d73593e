import * as z from 'zod';
import { defineComponent } from '../component-definition.ts';
import { containerProperties, deployment, deploymentHealth } from './deployment.ts';

const PortNumber = z.number().int().min(1).max(65535);

const Port = z.strictObject({
  port: PortNumber,
  name: z.string().min(1).optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
  expose: z.boolean().default(false),
});

const WebserviceProperties = z.strictObject({
  ...containerProperties,
  /** Legacy single port: opens it on the container but creates no Service. */
  port: PortNumber.optional(),
  ports: z.array(Port).optional(),
  exposeType: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).default('ClusterIP'),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** KubeVela's `webservice`: a Deployment, plus a Service named after the component when a port has `expose: true`. */
export const webservice = defineComponent({
  type: 'webservice',
  description: 'A long-running, scalable containerized service with a stable network endpoint.',
  properties: WebserviceProperties,
  render(properties, context) {
    const portName = (port: z.infer<typeof Port>) => port.name ?? `port-${port.port}`;
    const containerPorts =
      properties.ports !== undefined
        ? properties.ports.map((port) => ({ containerPort: port.port, protocol: port.protocol, name: portName(port) }))
        : properties.port !== undefined
          ? [{ containerPort: properties.port }]
          : undefined;
    const workload = deployment(context, {
      container: properties,
      ...(containerPorts === undefined ? {} : { ports: containerPorts }),
      podLabels: properties.labels,
      podAnnotations: properties.annotations,
    });
    const exposed = (properties.ports ?? []).filter((port) => port.expose);
    if (exposed.length === 0) return { workload };
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: context.componentName },
      spec: {
        selector: { 'app.oam.dev/component': context.componentName },
        ports: exposed.map((port) => ({ port: port.port, targetPort: port.port, name: portName(port) })),
        type: properties.exposeType,
      },
    };
    return { workload, outputs: [{ name: 'webserviceExpose', object: service }] };
  },
  health: deploymentHealth,
});
