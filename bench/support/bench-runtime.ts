// The control plane the benchmarks measure: the local runtime (planner, applier and API in this process, as `npm
// start` runs them) on one of two AWS backends:
// - `moto` (default): a moto of the benchmarks' own, so the shared test moto neither slows the figures nor is slowed
//   by them, and moto's work stays out of this process's CPU time;
// - `embedded`: dynalite + fauxqs inside this process, exactly what `npm start` runs on. Their work is then in this
//   process's CPU time (the --split-cpu attribution puts it under "other", as it runs outside every invocation).
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

export type BenchBackend = 'moto' | 'embedded';

export function parseBenchBackend(value: string): BenchBackend {
  if (value !== 'moto' && value !== 'embedded') throw new Error(`--backend must be moto or embedded, not ${value}`);
  return value;
}

export async function startBenchRuntime(options: { serveApi: boolean; sweepSeconds?: number; backend?: BenchBackend }): Promise<BenchRuntime> {
  const backend = options.backend ?? 'moto';
  const moto: MotoHandle | undefined = backend === 'moto' ? await ensureMoto({ stateDir: benchMotoDir }) : undefined;
  Object.assign(process.env, {
    ...(moto && { AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint, AWS_ENDPOINT_URL_SQS: moto.endpoint }),
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: process.env.BENCH_TRACE ? 'INFO' : 'ERROR',
    POWERTOOLS_METRICS_DISABLED: process.env.BENCH_TRACE ? 'false' : 'true',
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'flotilla-bench-'));
  const runtime = await startLocalRuntime({
    port: 0,
    dataDir,
    backend: moto ? 'external' : 'embedded',
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
    backend: moto
      ? `moto ${moto.endpoint} (its own instance, state in ${benchMotoDir})`
      : `embedded dynalite + fauxqs in this process, as npm start runs them (DynamoDB data on disk in ${dataDir})`,
    stop: async () => {
      await runtime.stop();
      await moto?.stop();
    },
  };
}
