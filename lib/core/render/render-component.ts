import type { ApplicationMetadata } from '../application/application.ts';
import type { ApplicationComponent } from '../application/component.ts';
import type { NamedOutput } from '../definitions/component-definition.ts';
import { componentDefinition, traitDefinition } from '../definitions/registry.ts';
import { underPath, ValidationError } from '../errors/validation-error.ts';
import { isClusterScoped } from '../object/cluster-scoped-kinds.ts';
import { KubernetesObject } from '../object/kubernetes-object.ts';
import { parseWith } from '../errors/zod-issues.ts';
import { applyMergePatch } from './json-merge-patch.ts';
import { AUXILIARY_WORKLOAD, FilterAnnotation, OamLabel } from './oam-labels.ts';

export interface RenderTarget {
  app: ApplicationMetadata;
  /** The app revision, `<app>-v<N>`, written into the app.oam.dev/appRevision label. */
  revision: string;
  /** The topology's namespace; when absent each object keeps its own namespace or takes the app's. */
  namespace?: string | undefined;
}

/** A component turned into Kubernetes objects, in apply order: the workload, its own outputs, then trait outputs. */
export interface RenderedComponent {
  name: string;
  type: string;
  traits: string[];
  dependsOn: string[];
  resources: KubernetesObject[];
}

// Never copied from the Application onto what it deploys: it describes the Application object itself.
const uncopiedAnnotations = ['kubectl.kubernetes.io/last-applied-configuration'];

/**
 * Renders one component with its traits, as KubeVela does: the definition renders the workload and its outputs, each
 * trait patches the workload and adds outputs, then every object gets the OAM labels, the Application's labels and
 * annotations, and its namespace. Throws ValidationError with paths relative to the component.
 */
export function renderComponent(component: ApplicationComponent, target: RenderTarget): RenderedComponent {
  const context = { appName: target.app.name, componentName: component.name };
  const rendered = componentDefinition(component.type).render(component.properties, context);
  let workload = rendered.workload;
  const traitOutputs: { type: string; output: NamedOutput }[] = [];
  (component.traits ?? []).forEach((trait, index) => {
    const definition = traitDefinition(trait.type, `traits[${index}].type`);
    try {
      const result = definition.render(trait.properties, { ...context, workload });
      if (result.patch !== undefined) workload = parseWith(KubernetesObject, applyMergePatch(workload, result.patch), 'workload');
      for (const output of result.outputs) traitOutputs.push({ type: trait.type, output });
    } catch (error) {
      throw error instanceof ValidationError ? new ValidationError(underPath(`traits[${index}]`, error.details)) : error;
    }
  });
  const stamp = (object: KubernetesObject, ownLabels: Record<string, string>) => withContract(object, target, component.name, ownLabels);
  const trait = (type: string, resource: string) => ({ [OamLabel.resourceType]: 'TRAIT', [OamLabel.traitType]: type, [OamLabel.traitResource]: resource });
  return {
    name: component.name,
    type: component.type,
    traits: (component.traits ?? []).map((trait) => trait.type),
    dependsOn: component.dependsOn ?? [],
    resources: [
      stamp(workload, { [OamLabel.resourceType]: 'WORKLOAD', [OamLabel.workloadType]: component.type }),
      ...rendered.outputs.map(({ name, object }) => stamp(object, trait(AUXILIARY_WORKLOAD, name))),
      ...traitOutputs.map(({ type, output }) => stamp(output.object, trait(type, output.name))),
    ],
  };
}

function withContract(object: KubernetesObject, target: RenderTarget, componentName: string, ownerLabels: Record<string, string>): KubernetesObject {
  const { app } = target;
  const appAnnotations = app.annotations ?? {};
  const labels = {
    ...object.metadata.labels,
    ...without(app.labels, listedKeys(appAnnotations[FilterAnnotation.labelKeys])),
    [OamLabel.appName]: app.name,
    [OamLabel.appNamespace]: app.namespace,
    [OamLabel.component]: componentName,
    [OamLabel.appRevision]: target.revision,
    ...ownerLabels,
  };
  const annotations = {
    ...object.metadata.annotations,
    ...without(appAnnotations, [...listedKeys(appAnnotations[FilterAnnotation.annotationKeys]), ...uncopiedAnnotations]),
  };
  const { name, namespace: ownNamespace, labels: _labels, annotations: _annotations, ...otherMetadata } = object.metadata;
  const namespace = isClusterScoped(object.apiVersion, object.kind) ? undefined : (target.namespace ?? ownNamespace ?? app.namespace);
  return {
    ...object,
    metadata: {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      labels,
      ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
      ...otherMetadata,
    },
  };
}

function listedKeys(list: string | undefined): string[] {
  return (list ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '');
}

function without(entries: Record<string, string> | undefined, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(entries ?? {}).filter(([key]) => !keys.includes(key)));
}
