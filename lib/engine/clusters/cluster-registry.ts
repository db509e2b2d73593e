import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { parseWith } from '../../core/errors/zod-issues.ts';
import { underPath, ValidationError } from '../../core/errors/validation-error.ts';
import { isDnsLabel } from '../../core/application/dns-name.ts';
import type { CredentialType } from '../../core/cluster/cluster-connection.ts';
import { parseKubeconfig, type KubeconfigSelection } from '../../core/cluster/kubeconfig.ts';
import type { CredentialCipher } from '../ports/credential-cipher.ts';
import type { ClusterRecord } from '../../core/cluster/cluster-record.ts';
import type { ClusterStore } from '../ports/store.ts';
import { ConflictError } from '../ports/conflict-error.ts';
import type { InventoryRecord } from '../../core/run/inventory.ts';
import type { InventoryStore } from '../ports/store.ts';
import { ClusterInUseError, UnknownClusterError } from '../../core/cluster/cluster-errors.ts';
import { checkLabels, withLabels, withoutLabels } from '../../core/cluster/cluster-labels.ts';
import { checkClusterName } from '../../core/cluster/cluster-name.ts';
import { openConnection, sealConnection } from './cluster-credentials.ts';
import { probeCluster, type ProbeResult } from './cluster-probe.ts';
import { type ReachCluster } from '../ports/cluster-reach.ts';
import { errorMessage } from '../../core/errors/error-message.ts';
import { CreatableNamespaces, mayCreateNamespace, namespaceCreationRefusal } from '../../core/tenancy/creatable-namespaces.ts';
import { literalAddress, refusedAddress, type EndpointPolicy } from '../../core/cluster/endpoint-policy.ts';

export const JoinRequest = z.strictObject({
  /** Defaults to the kubeconfig's name for the cluster of the chosen context. */
  name: z.string().min(1).optional(),
  kubeconfig: z.string().min(1),
  context: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  /** A namespace to create in the member cluster right away. */
  namespace: z.string().min(1).optional(),
  /** The only namespaces Flotilla may create there (topology `createNamespace`); a rotation keeps them unless given. */
  creatableNamespaces: CreatableNamespaces.optional(),
  /** Replace an existing cluster's credentials (rotation). */
  overwrite: z.boolean().optional(),
  /** Required (true) to join a kubeconfig with insecure-skip-tls-verify: skipping verification is a decision, not a default. */
  insecureSkipTlsVerify: z.boolean().optional(),
});
export type JoinRequest = z.infer<typeof JoinRequest>;

/** What the API may show about a cluster: everything but its credentials. */
export interface ClusterSummary {
  name: string;
  type: CredentialType;
  endpoint: string;
  /** The API server's certificate is not verified (joined with insecure-skip-tls-verify). */
  insecureSkipTlsVerify: boolean;
  accepted: boolean;
  labels: Record<string, string>;
  /** The only namespaces Flotilla may create there; undefined: no limit. */
  creatableNamespaces: string[] | undefined;
  kubernetesVersion: string | undefined;
  /** Why the latest probe failed, when it did. */
  message: string | undefined;
  credentialVersion: number;
  probedAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface JoinResult {
  cluster: ClusterSummary;
  /** True when an existing cluster's credentials were replaced. */
  rotated: boolean;
}

export interface DetachResult {
  cluster: string;
  /** Inventories whose objects were left in the cluster by a forced detach; recorded as orphans. */
  orphaned: InventoryRecord[];
}

export interface ClusterRegistryOptions {
  clusters: ClusterStore;
  inventories: InventoryStore;
  cipher: CredentialCipher;
  /** How to talk to a member cluster (adapters/kubernetes/cluster-reach.ts: plain HTTPS). */
  reach: ReachCluster;
  /** Checks IP-literal endpoints before any probe; `reach` checks resolved names. Tests against local clusters pass localEndpointPolicy. */
  endpointPolicy: EndpointPolicy;
  now?: () => Date;
}

/** Read-modify-write rounds before a busy cluster record is reported as a conflict. */
const maxWriteRounds = 5;

/** The `vela cluster ...` operations behind the API: join, list, labels, detach, rename, probe. */
export class ClusterRegistry {
  readonly #clusters: ClusterStore;
  readonly #inventories: InventoryStore;
  readonly #cipher: CredentialCipher;
  readonly #reach: ReachCluster;
  readonly #now: () => Date;
  readonly #policy: EndpointPolicy;

  constructor(options: ClusterRegistryOptions) {
    this.#clusters = options.clusters;
    this.#inventories = options.inventories;
    this.#cipher = options.cipher;
    this.#reach = options.reach;
    this.#now = options.now ?? (() => new Date());
    this.#policy = options.endpointPolicy;
  }

  /**
   * Registers a member cluster after checking that its endpoint answers with the given credentials. Refused: invalid
   * or reserved names, kubeconfigs without inline credentials, unreachable or unauthorised clusters, and an existing
   * name unless `overwrite` (which rotates the credentials and keeps the labels unless new ones are given).
   */
  async join(input: unknown): Promise<JoinResult> {
    const request = parseWith(JoinRequest, input, '');
    const selection = selectKubeconfig(request);
    const name = checkClusterName(request.name ?? selection.clusterName);
    if (request.labels) checkLabels(request.labels);
    if (request.namespace !== undefined && !isDnsLabel(request.namespace)) {
      throw ValidationError.single('namespace', `"${request.namespace}" is not a valid namespace name (DNS-1123 label)`);
    }
    const existing = await this.#clusters.get(name);
    if (existing && !request.overwrite) throw new ConflictError('cluster', name, 'already-exists');
    const creatableNamespaces = request.creatableNamespaces ?? existing?.creatableNamespaces;
    // The join's own namespace is created by Flotilla too, so the list the cluster is joined with holds for it.
    if (request.namespace !== undefined && creatableNamespaces !== undefined && !mayCreateNamespace(creatableNamespaces, request.namespace)) {
      throw ValidationError.single('namespace', namespaceCreationRefusal(name, request.namespace, creatableNamespaces));
    }

    const { connection } = selection;
    checkEndpoint(this.#policy, selection, request);
    const client = this.#reach(connection);
    let probe: ProbeResult;
    try {
      probe = await probeCluster(client, connection.endpoint);
      if (!probe.reachable) throw ValidationError.single('kubeconfig', `cannot join cluster ${name}: ${probe.reason}`);
      if (request.namespace !== undefined) {
        try {
          await client.ensureNamespace(request.namespace);
        } catch (err) {
          const reason = errorMessage(err);
          throw ValidationError.single('namespace', `cannot create namespace ${request.namespace} in cluster ${name}: ${reason}`);
        }
      }
    } finally {
      await client.close();
    }

    const id = existing?.id ?? randomUUID();
    const at = this.#now().toISOString();
    const record: ClusterRecord = {
      name,
      id,
      endpoint: connection.endpoint,
      credentialType: connection.credential.type,
      credentialVersion: (existing?.credentialVersion ?? 0) + 1,
      credentials: await sealConnection(this.#cipher, id, connection),
      ...(connection.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
      labels: request.labels ?? existing?.labels ?? {},
      ...(creatableNamespaces === undefined ? {} : { creatableNamespaces }),
      accepted: true,
      kubernetesVersion: probe.kubernetesVersion,
      probedAt: at,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
      version: 0,
    };
    const stored = existing ? await this.#clusters.replace(record, existing.version) : await this.#clusters.create(record);
    return { cluster: summarize(stored), rotated: existing !== undefined };
  }

  async list(): Promise<ClusterSummary[]> {
    return (await this.#clusters.list()).map(summarize);
  }

  async get(name: string): Promise<ClusterSummary> {
    return summarize(await this.#require(name));
  }

  async addLabels(name: string, labels: Record<string, string>): Promise<ClusterSummary> {
    return summarize(await this.#modify(name, (record) => ({ ...record, labels: withLabels(record.labels, labels) })));
  }

  /** Every key must be present: `no such label` otherwise, and nothing changes. */
  async removeLabels(name: string, keys: readonly string[]): Promise<ClusterSummary> {
    return summarize(await this.#modify(name, (record) => ({ ...record, labels: withoutLabels(record.labels, keys) })));
  }

  /** Admins only (the route's clusters:write): the namespaces Flotilla may create there; `null` lifts the limit. */
  async setCreatableNamespaces(name: string, namespaces: readonly string[] | null): Promise<ClusterSummary> {
    const list = namespaces === null ? undefined : parseWith(CreatableNamespaces, namespaces, 'creatableNamespaces');
    return summarize(
      await this.#modify(name, ({ creatableNamespaces: _previous, ...record }) => (list === undefined ? record : { ...record, creatableNamespaces: list })),
    );
  }

  /** Checks the stored credentials against the cluster now, and records the outcome (accepted, version, reason). */
  async probe(name: string): Promise<ClusterSummary> {
    const record = await this.#require(name);
    const connection = await openConnection(this.#cipher, record.id, record.credentials);
    const client = this.#reach(connection);
    const result = await probeCluster(client, record.endpoint).finally(() => client.close());
    const at = this.#now().toISOString();
    return summarize(
      await this.#modify(name, (current) => ({
        ...current,
        accepted: result.reachable,
        kubernetesVersion: result.reachable ? result.kubernetesVersion : current.kubernetesVersion,
        probeMessage: result.reachable ? undefined : result.reason,
        probedAt: at,
      })),
    );
  }

  /**
   * Unregisters a cluster. Refused while any application's inventory holds objects there (naming them), unless
   * forced: then those inventories are recorded as orphans and dropped, and the objects stay in the cluster.
   */
  async detach(name: string, options: { force?: boolean } = {}): Promise<DetachResult> {
    const record = await this.#require(name);
    const inventories = await this.#inventories.listForCluster(name);
    const occupied = inventories.filter((inventory) => inventory.resources.length > 0);
    if (occupied.length > 0 && !options.force) throw new ClusterInUseError(name, 'detach', occupied);
    if (occupied.length > 0) {
      await this.#inventories.recordOrphans({
        cluster: name,
        detachedAt: this.#now().toISOString(),
        inventories: occupied.map(({ version: _version, ...inventory }) => inventory),
        version: 1,
      });
    }
    for (const inventory of inventories) await this.#inventories.remove(inventory);
    await this.#clusters.remove(record, record.version);
    return { cluster: name, orphaned: occupied };
  }

  /**
   * Gives a cluster a new name, keeping its id and so its sealed credentials. Refused while applications hold objects
   * there: their inventories name the cluster, and garbage collection would lose track of them. Application specs
   * naming the old cluster are not changed (as in KubeVela).
   */
  async rename(name: string, newName: string): Promise<ClusterSummary> {
    checkClusterName(newName, 'newName');
    const record = await this.#require(name);
    const occupied = (await this.#inventories.listForCluster(name)).filter((inventory) => inventory.resources.length > 0);
    if (occupied.length > 0) throw new ClusterInUseError(name, 'rename', occupied);
    const renamed = await this.#clusters.create({ ...record, name: newName, updatedAt: this.#now().toISOString() });
    try {
      await this.#clusters.remove(record, record.version);
    } catch (err) {
      // The old record changed under us (say, a rotation): undo, so the cluster is not registered twice.
      await this.#clusters.remove(renamed, renamed.version);
      throw err;
    }
    return summarize(renamed);
  }

  async #require(name: string): Promise<ClusterRecord> {
    const record = await this.#clusters.get(name);
    if (!record) throw new UnknownClusterError(name);
    return record;
  }

  /** Applies `change` to the latest record; when another writer got there first, re-reads and applies it again. */
  async #modify(name: string, change: (record: ClusterRecord) => ClusterRecord): Promise<ClusterRecord> {
    for (let round = 1; ; round++) {
      const current = await this.#require(name);
      try {
        return await this.#clusters.replace({ ...change(current), updatedAt: this.#now().toISOString() }, current.version);
      } catch (err) {
        if (!(err instanceof ConflictError) || round >= maxWriteRounds) throw err;
      }
    }
  }
}

/** Refusals that need no connection: an IP-literal endpoint the policy refuses, and unrequested insecure TLS. */
function checkEndpoint(policy: EndpointPolicy, selection: KubeconfigSelection, request: JoinRequest): void {
  const path = `kubeconfig.${selection.serverPath}`;
  const ip = literalAddress(selection.connection.endpoint);
  const refused = ip === undefined ? undefined : refusedAddress(policy, ip, ip);
  if (refused !== undefined) throw ValidationError.single(path, `refused by the cluster endpoint policy: ${refused}`);
  if (selection.connection.insecureSkipTlsVerify && request.insecureSkipTlsVerify !== true) {
    throw ValidationError.single(
      path.replace(/\.server$/, '.insecure-skip-tls-verify'),
      'skips verifying the API server certificate; join with insecureSkipTlsVerify: true (--insecure-skip-tls-verify) to accept that, or give certificate-authority-data',
    );
  }
}

function selectKubeconfig(request: JoinRequest): KubeconfigSelection {
  try {
    return parseKubeconfig(request.kubeconfig, request.context === undefined ? {} : { context: request.context });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    // `--context` problems belong to the context field; the rest are inside the kubeconfig.
    throw new ValidationError(err.details.map((issue) => (issue.path === 'context' ? issue : underPath('kubeconfig', [issue])[0]!)));
  }
}

/** Picks the fields to show one by one, so a field added to the record later is not exposed by accident. */
export function summarize(record: ClusterRecord): ClusterSummary {
  return {
    name: record.name,
    type: record.credentialType,
    endpoint: record.endpoint,
    insecureSkipTlsVerify: record.insecureSkipTlsVerify === true,
    accepted: record.accepted,
    labels: record.labels,
    creatableNamespaces: record.creatableNamespaces,
    kubernetesVersion: record.kubernetesVersion,
    message: record.probeMessage,
    credentialVersion: record.credentialVersion,
    probedAt: record.probedAt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
