// Drives the workflow engine the way the API does (submit a revision, ask the planner to run it) on moto and the real
// member clusters, with the local runtime's event source mappings between the functions.
import { KubeConfig } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { parse } from 'yaml';
import { ClusterRegistry } from '../../../lib/engine/clusters/cluster-registry.ts';
import { connectCluster } from '../../../lib/adapters/kubernetes/cluster-client.ts';
import { type ClusterClient } from '../../../lib/engine/ports/cluster-client.ts';
import type { ApplicationStatus } from '../../../lib/core/status/application-status.ts';
import { loadStatus } from '../../../lib/engine/status/load-status.ts';
import { newRunId } from '../../../lib/core/run/run.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime.ts';
import { pointFunctionsAtMoto } from '../moto-environment.ts';
import { reachCluster } from '../../../lib/adapters/kubernetes/cluster-reach.ts';
import { applicationFromObject } from '../../../lib/core/admission/parse-application.ts';
import { runRequest } from '../../../lib/engine/messages/planner-message.ts';
import { submitApplication } from '../../../lib/engine/secrets/application-secrets.ts';
import { localEndpointPolicy } from '../../../lib/core/cluster/endpoint-policy.ts';

export interface EngineHarness {
  runtime: LocalRuntime;
  registry: ClusterRegistry;
  /** Submits the document; when it makes a new revision, runs it and waits for the workflow to finish. */
  deploy(document: unknown, timeoutMs?: number): Promise<ApplicationStatus>;
  status(namespace: string, name: string): Promise<ApplicationStatus | undefined>;
  /** Polls the status until `predicate` holds. */
  waitFor(namespace: string, name: string, predicate: (status: ApplicationStatus) => boolean, timeoutMs?: number): Promise<ApplicationStatus>;
  /** Submits and runs the document without waiting. */
  submit(document: unknown): Promise<{ namespace: string; name: string; revisionName: string }>;
  /** A client straight to a member cluster, to read back what Flotilla did there. */
  cluster(name: string): ClusterClient;
  stop(): Promise<void>;
}

export async function startEngineHarness(
  functionEnv: Record<string, string> = {},
  options: { duplicateDeliveries?: boolean; serveApi?: boolean } = {},
): Promise<EngineHarness> {
  pointFunctionsAtMoto();
  const dataDir = await mkdtemp(join(tmpdir(), 'flotilla-engine-'));
  const runtime = await startLocalRuntime({
    port: 0,
    dataDir,
    backend: 'external',
    prefix: `engine-${randomUUID().slice(0, 8)}`,
    refreshSeconds: 3600,
    driftSeconds: 3600,
    duplicateDeliveries: options.duplicateDeliveries ?? false,
    functionEnv,
    serveApi: options.serveApi ?? false,
    log: () => {},
  });
  const { store, cipher, queues } = await import('../../../functions/runtime.ts');
  const registry = new ClusterRegistry({ clusters: store.clusters, inventories: store.inventories, cipher, reach: (connection) => reachCluster(connection, { policy: localEndpointPolicy }), endpointPolicy: localEndpointPolicy });
  const kubeconfigs = inject('clusterKubeconfigs');
  const clients = new Map<string, ClusterClient>();

  const status = (namespace: string, name: string) => loadStatus(store, namespace, name);
  const waitFor = async (namespace: string, name: string, predicate: (status: ApplicationStatus) => boolean, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await status(namespace, name);
      if (current && predicate(current)) return current;
      if (Date.now() > deadline) throw new Error(`${namespace}/${name} never reached the expected state: ${JSON.stringify(current)}`);
      await sleep(250);
    }
  };
  const submit = async (document: unknown) => {
    // As the API submits: Secret values are sealed, the revision keeps `<redacted>` in their place.
    const submitted = await submitApplication({ applications: store.applications, cipher }, applicationFromObject(document), new Date());
    const { namespace, name } = submitted.application;
    if (submitted.outcome === 'created') {
      await queues.toPlanner([runRequest({ namespace, name, revision: submitted.revision.revision, reason: 'submit' }, new Date())]);
    }
    return { namespace, name, revisionName: submitted.revision.revisionName };
  };
  return {
    runtime,
    registry,
    status,
    waitFor,
    submit,
    deploy: async (document, timeoutMs = 120_000) => {
      const { namespace, name, revisionName } = await submit(document);
      return waitFor(namespace, name, (s) => s.workflow?.revision === revisionName && s.workflow.finished, timeoutMs);
    },
    cluster: (name) => {
      let client = clients.get(name);
      if (!client) {
        const kc = new KubeConfig();
        kc.loadFromFile(kubeconfigs[name]!);
        client = connectCluster(kc, { policy: localEndpointPolicy });
        clients.set(name, client);
      }
      return client;
    },
    stop: () => runtime.stop(),
  };
}

/** A seed file as a document, moved into its own namespace (created in the member clusters) so tests never collide. */
export async function seedDocument(file: 'basic' | 'intermediate' | 'advanced', namespace: string): Promise<Record<string, any>> {
  const document = parse(await readFile(new URL(`../../fixtures/seed/${file}.yaml`, import.meta.url), 'utf8')) as Record<string, any>;
  document.metadata.namespace = namespace;
  for (const policy of document.spec.policies) if (policy.type === 'topology') policy.properties.createNamespace = true;
  return document;
}

export async function readyReplicas(client: ClusterClient, namespace: string, name: string): Promise<number | undefined> {
  const live = (await client.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace } })) as
    | { status?: { readyReplicas?: number } }
    | undefined;
  return live ? (live.status?.readyReplicas ?? 0) : undefined;
}
