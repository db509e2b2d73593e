// The control plane the benchmarks measure: the local runtime (planner, applier and API in this process, as `npm
// start` runs them) on a moto of the benchmarks' own, so the shared test moto neither slows the figures nor is
// slowed by them, and moto's work stays out of this process's CPU time.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureMoto, type MotoHandle } from '../../devenv/moto.ts';
import { stateDir } from '../../devenv/clusters/kwok.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.ts';
import { reachCluster } from '../../lib/adapters/kubernetes/cluster-reach.ts';
import { localEndpointPolicy } from '../../lib/core/cluster/endpoint-policy.ts';
import type { ClusterRegistry } from '../../lib/engine/clusters/cluster-registry.ts';
import type { Store } from '../../lib/engine/ports/store.ts';
import type { WorkQueues } from '../../lib/engine/ports/work-queues.ts';

export interface BenchRuntime {
  runtime: LocalRuntime;
  store: Store;
  queues: WorkQueues;
  registry: ClusterRegistry;
  /** What the figures ran on, for the output. */
  backend: string;
  stop(): Promise<void>;
}

export const benchMotoDir = join(stateDir, 'bench', 'moto');

export async function startBenchRuntime(options: { serveApi: boolean; sweepSeconds?: number }): Promise<BenchRuntime> {
  const moto: MotoHandle = await ensureMoto({ stateDir: benchMotoDir });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
    AWS_ENDPOINT_URL_SQS: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: process.env.BENCH_TRACE ? 'INFO' : 'ERROR',
    POWERTOOLS_METRICS_DISABLED: process.env.BENCH_TRACE ? 'false' : 'true',
  });
  const runtime = await startLocalRuntime({
    port: 0,
    dataDir: await mkdtemp(join(tmpdir(), 'flotilla-bench-')),
    backend: 'external',
    prefix: `bench-${Date.now().toString(36)}`,
    // No schedule fires during a run: what is measured is the deploy alone.
    refreshSeconds: 3600,
    driftSeconds: 3600,
    sweepSeconds: options.sweepSeconds ?? 3600,
    duplicateDeliveries: false,
    serveApi: options.serveApi,
    log: () => {},
  });
  // The functions' shared clients, configured by the runtime's start from the environment above.
  const { store, cipher, queues } = await import('../../functions/runtime.ts');
  const { ClusterRegistry } = await import('../../lib/engine/clusters/cluster-registry.ts');
  const registry = new ClusterRegistry({ clusters: store.clusters, inventories: store.inventories, cipher, reach: (connection) => reachCluster(connection, { policy: localEndpointPolicy }), endpointPolicy: localEndpointPolicy });
  return {
    runtime,
    store,
    queues,
    registry,
    backend: `moto ${moto.endpoint} (its own instance, state in ${benchMotoDir})`,
    stop: async () => {
      await runtime.stop();
      await moto.stop();
    },
  };
}
