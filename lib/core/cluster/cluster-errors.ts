import type { InventoryRecord } from '../run/inventory.ts';

/** No cluster of that name is registered (HTTP 404). */
export class UnknownClusterError extends Error {
  readonly cluster: string;

  constructor(cluster: string) {
    super(`no cluster named "${cluster}" is registered`);
    this.name = 'UnknownClusterError';
    this.cluster = cluster;
  }
}

/**
 * The cluster still holds objects that applications applied (HTTP 409): detaching or renaming it would leave them
 * untracked. The message names every one, so the user can decide whether to delete the applications or force.
 */
export class ClusterInUseError extends Error {
  readonly cluster: string;
  readonly inventories: InventoryRecord[];

  constructor(cluster: string, operation: 'detach' | 'rename', inventories: InventoryRecord[]) {
    const advice =
      operation === 'detach'
        ? 'delete those applications or move them off the cluster first, or detach with force to leave these objects behind as orphans'
        : 'delete those applications or move them off the cluster first';
    super(`cannot ${operation} cluster ${cluster}: it holds objects of applications: ${describeInventories(inventories)}; ${advice}`);
    this.name = 'ClusterInUseError';
    this.cluster = cluster;
    this.inventories = inventories;
  }
}

/** `default/example-app (example-app-v2): Deployment default/hello, Service default/hello; ...` */
export function describeInventories(inventories: readonly InventoryRecord[]): string {
  return inventories
    .map((inventory) => {
      const objects = inventory.resources.map((r) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`).join(', ');
      return `${inventory.namespace}/${inventory.application} (${inventory.application}-v${inventory.revision}): ${objects}`;
    })
    .join('; ');
}
