// Fan-out benchmark (not a test): the seed app deployed by Flotilla to N member clusters at once, against a sequential
// `kubectl apply` + `kubectl rollout status` loop over the same clusters, plus the AWS requests Flotilla needed per
// cluster target. Run: npm run bench:fanout -- [N]   (default 6; each simulated cluster takes ~0.5 GiB)
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { ensureBinaries } from '../devenv/clusters/binaries.ts';
import { clustersDown, clustersUp } from '../devenv/clusters/kwok.ts';
import { ensureMoto } from '../devenv/moto.ts';
import { applicationFromObject } from '../lib/core/admission/parse-application.ts';
import { loadStatus } from '../lib/engine/status/load-status.ts';
import { newRunId } from '../lib/core/run/run.ts';
import { planWorkflow } from '../lib/core/workflow/plan-workflow.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { reachCluster } from '../lib/adapters/kubernetes/cluster-reach.ts';
import { localEndpointPolicy } from '../lib/core/cluster/endpoint-policy.ts';
import { runRequest } from '../lib/engine/messages/planner-message.ts';

const run = promisify(execFile);
const count = Number(process.argv[2] ?? 6);
const names = Array.from({ length: count }, (_, i) => `bench-${i + 1}`);

console.error(`starting ${count} member clusters and moto ...`);
const [moto] = await Promise.all([ensureMoto(), clustersUp(names)]);
const bins = await ensureBinaries();
const kubeconfigs = Object.fromEntries(names.map((n) => [n, join(import.meta.dirname, '..', '.flotilla', 'clusters', `${n}.kubeconfig`)]));

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
  refreshSeconds: 3600,
  driftSeconds: 3600,
  duplicateDeliveries: false,
  serveApi: false,
  log: () => {},
});
const { store, cipher, queues } = await import('../functions/runtime.ts');
const { ClusterRegistry } = await import('../lib/engine/clusters/cluster-registry.ts');
const registry = new ClusterRegistry({ clusters: store.clusters, inventories: store.inventories, cipher, reach: (connection) => reachCluster(connection, { policy: localEndpointPolicy }), endpointPolicy: localEndpointPolicy });
for (const name of names) await registry.join({ name, kubeconfig: await readFile(kubeconfigs[name]!, 'utf8'), labels: { bench: 'yes' } });

const seed = parse(await readFile(new URL('../test/fixtures/seed/basic.yaml', import.meta.url), 'utf8'));
const stamp = Date.now().toString(36);
const document = {
  ...seed,
  metadata: { ...seed.metadata, namespace: `fanout-${stamp}` },
  spec: { ...seed.spec, policies: [{ type: 'topology', name: 'all', properties: { clusterLabelSelector: { bench: 'yes' }, createNamespace: true } }] },
};

// Flotilla: submit, then wait for the workflow to finish (every cluster applied and healthy).
const started = performance.now();
const submitted = await store.applications.submit(document);
await queues.toPlanner([runRequest({ namespace: document.metadata.namespace, name: document.metadata.name, revision: submitted.revision.revision, reason: 'submit' }, new Date())]);
let status;
for (;;) {
  status = await loadStatus(store, document.metadata.namespace, document.metadata.name);
  if (status?.workflow?.finished) break;
  await sleep(50);
}
const flotillaMs = performance.now() - started;
if (status.about.status !== 'running') throw new Error(`Flotilla run did not succeed: ${JSON.stringify(status.workflow)}`);

// kubectl: the same rendered objects, applied one cluster after another, each waited for with rollout status.
const kubectlNamespace = `kubectl-${stamp}`;
const plan = planWorkflow(applicationFromObject({ ...document, metadata: { ...document.metadata, namespace: kubectlNamespace } }), names.map((name) => ({ name, labels: { bench: 'yes' } })), { revision: 'bench-v1' });
const manifests = join(await mkdtemp(join(tmpdir(), 'flotilla-kubectl-')), 'app.yaml');
const objects = plan.steps[0]!.placements[0]!.resources;
await writeFile(manifests, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: kubectlNamespace } }, ...objects].map((o) => stringify(o)).join('---\n'));
const kubectl = (kubeconfig: string, args: string[]) => run(join(bins.k8sBin, 'kubectl'), ['--kubeconfig', kubeconfig, ...args]);
const kubectlStarted = performance.now();
for (const name of names) {
  await kubectl(kubeconfigs[name]!, ['apply', '--server-side', '--field-manager', 'bench', '-f', manifests]);
  await kubectl(kubeconfigs[name]!, ['-n', kubectlNamespace, 'rollout', 'status', 'deployment/hello-world-server', '--timeout=120s']);
}
const kubectlMs = performance.now() - kubectlStarted;

const requests = status.requests ?? { dynamodb: 0, sqs: 0 };
console.log(`clusters: ${count}`);
console.log(`flotilla fan-out (submit -> all clusters applied and healthy): ${(flotillaMs / 1000).toFixed(2)} s`);
console.log(`sequential kubectl apply + rollout status loop:              ${(kubectlMs / 1000).toFixed(2)} s`);
console.log(`ratio kubectl / flotilla: ${(kubectlMs / flotillaMs).toFixed(2)}`);
console.log(`AWS requests for the run: DynamoDB ${requests.dynamodb}, SQS ${requests.sqs}; per cluster target: DynamoDB ${(requests.dynamodb / count).toFixed(1)}, SQS ${(requests.sqs / count).toFixed(1)}`);

await runtime.stop();
await moto.stop();
if (!process.argv.includes('--keep')) await clustersDown(names);
process.exit(0);
