import type { KubernetesObject } from '../object/kubernetes-object.ts';

/** The labels KubeVela's OAM contract puts on rendered objects (pkg/oam/labels.go), which Flotilla keeps. */
export const OamLabel = {
  appName: 'app.oam.dev/name',
  appNamespace: 'app.oam.dev/namespace',
  component: 'app.oam.dev/component',
  appRevision: 'app.oam.dev/appRevision',
  resourceType: 'app.oam.dev/resourceType',
  workloadType: 'workload.oam.dev/type',
  traitType: 'trait.oam.dev/type',
  traitResource: 'trait.oam.dev/resource',
} as const;

/** Application annotations listing label/annotation keys not to copy onto rendered objects (comma separated). */
export const FilterAnnotation = {
  labelKeys: 'filter.oam.dev/label-keys',
  annotationKeys: 'filter.oam.dev/annotation-keys',
} as const;

/** The trait type KubeVela gives extra objects of a component definition itself (webservice's Service). */
export const AUXILIARY_WORKLOAD = 'AuxiliaryWorkload';

/** Where a rendered object came from, read back from its labels; what an applier needs to group live objects. */
export type ResourceOwner =
  | { appName: string; appNamespace: string; component: string; appRevision: string; resourceType: 'WORKLOAD'; workloadType: string }
  | { appName: string; appNamespace: string; component: string; appRevision: string; resourceType: 'TRAIT'; traitType: string; traitResource: string };

export function resourceOwner(object: KubernetesObject): ResourceOwner | undefined {
  const labels = object.metadata.labels ?? {};
  const appName = labels[OamLabel.appName];
  const appNamespace = labels[OamLabel.appNamespace];
  const component = labels[OamLabel.component];
  const appRevision = labels[OamLabel.appRevision];
  if (appName === undefined || appNamespace === undefined || component === undefined || appRevision === undefined) return undefined;
  const common = { appName, appNamespace, component, appRevision };
  const resourceType = labels[OamLabel.resourceType];
  if (resourceType === 'WORKLOAD') {
    const workloadType = labels[OamLabel.workloadType];
    return workloadType === undefined ? undefined : { ...common, resourceType, workloadType };
  }
  if (resourceType === 'TRAIT') {
    const traitType = labels[OamLabel.traitType];
    const traitResource = labels[OamLabel.traitResource];
    return traitType === undefined || traitResource === undefined ? undefined : { ...common, resourceType, traitType, traitResource };
  }
  return undefined;
}
