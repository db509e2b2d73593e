// Fan-out benchmark (not a test): the seed app deployed by Flotilla to N member clusters at once, next to `kubectl
// apply --server-side` + `kubectl rollout status` one cluster after another and all clusters at once (the floor: the
// same requests with nothing in between), plus the AWS requests Flotilla needed per cluster target. Every cluster is
// behind a latency proxy (a simulated WAN link, --rtt ms round trip, default 100; --rtt 0 for loopback speed), and
// Flotilla and kubectl go through the same proxies.
// Run: npm run bench:fanout -- [N] [--rtt 100] [--backend moto|embedded] [--keep]   (default N 6; each simulated cluster takes ~0.5 GiB)
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { ensureBinaries } from '../devenv/clusters/binaries.ts';
import { clustersDown } from '../devenv/clusters/kwok.ts';
import { applicationFromObject } from '../lib/core/admission/parse-application.ts';
import { loadStatus } from '../lib/engine/status/load-status.ts';
import { planWorkflow } from '../lib/core/workflow/plan-workflow.ts';
import { parseBenchBackend, startBenchRuntime } from './support/bench-runtime.ts';
import { joinAll, registrationsThroughProxies, startApiservers } from './support/member-clusters.ts';
import { submit, waitForTargets, type ApplicationDocument } from './support/deploy.ts';
import { perTarget, ratio, seconds } from './support/figures.ts';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { rtt: { type: 'string', default: '100' }, backend: { type: 'string', default: 'moto' }, keep: { type: 'boolean', default: false } },
});
const count = Number(positionals[0] ?? 6);
const rttMs = Number(flags.rtt);
if (!Number.isInteger(count) || count < 1) throw new Error(`the cluster count must be a positive whole number, not ${positionals[0]}`);
if (!Number.isFinite(rttMs) || rttMs < 0) throw new Error(`--rtt must be a number of ms >= 0, not ${flags.rtt}`);
const names = Array.from({ length: count }, (_, i) => `bench-${i + 1}`);

console.error(`starting ${count} member clusters and the ${flags.backend} AWS backend ...`);
const [apiservers, bench] = await Promise.all([startApiservers(names), startBenchRuntime({ serveApi: false, backend: parseBenchBackend(flags.backend) })]);
const proxied = await registrationsThroughProxies(names, apiservers, rttMs);
const { registrations } = proxied;
await joinAll(bench.registry, registrations, { bench: 'yes' });

const seed = parse(await readFile(new URL('../test/fixtures/seed/basic.yaml', import.meta.url), 'utf8')) as ApplicationDocument;
const stamp = Date.now().toString(36);
const document: ApplicationDocument = {
  ...seed,
  metadata: { ...seed.metadata, namespace: `fanout-${stamp}` },
  spec: { ...seed.spec, policies: [{ type: 'topology', name: 'all', properties: { clusterLabelSelector: { bench: 'yes' }, createNamespace: true } }] },
};

// Flotilla: submit, then wait for the workflow to finish (every cluster applied and healthy).
console.error('Flotilla ...');
const started = performance.now();
await submit(bench.store, bench.queues, document);
const progress = await waitForTargets(bench.store, document.metadata, { until: 'run', expected: count, startedAt: started, pollMs: 50 });
const flotillaMs = progress.doneMs!;
const status = await loadStatus(bench.store, document.metadata.namespace, document.metadata.name);
if (status?.about.status !== 'running') throw new Error(`Flotilla run did not succeed: ${JSON.stringify(status?.workflow)}`);

// kubectl: the same rendered objects in a fresh namespace per comparator, through the same proxies. Each cluster has
// its own discovery cache, warmed before either comparator runs, so neither pays for discovery.
const bins = await ensureBinaries();
const work = await mkdtemp(join(tmpdir(), 'flotilla-kubectl-'));
const kubeconfigFiles = await Promise.all(
  registrations.map(async (registration) => {
    const path = join(work, `${registration.name}.kubeconfig`);
    await writeFile(path, registration.kubeconfig, { mode: 0o600 });
    await mkdir(join(work, 'cache', registration.name), { recursive: true });
    return path;
  }),
);
const run = promisify(execFile);
const kubectl = (i: number, args: string[]) =>
  run(join(bins.k8sBin, 'kubectl'), ['--kubeconfig', kubeconfigFiles[i]!, '--cache-dir', join(work, 'cache', names[i]!), ...args]);
await Promise.all(names.map((_, i) => kubectl(i, ['api-resources'])));

async function manifestsFor(namespace: string): Promise<string> {
  const plan = planWorkflow(applicationFromObject({ ...document, metadata: { ...document.metadata, namespace } }), names.map((name) => ({ name, labels: { bench: 'yes' } })), { revision: 'bench-v1' });
  const objects = plan.steps[0]!.placements[0]!.resources;
  const path = join(work, `${namespace}.yaml`);
  await writeFile(path, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, ...objects].map((o) => stringify(o)).join('---\n'));
  return path;
}
const deployWithKubectl = async (i: number, namespace: string, manifests: string) => {
  await kubectl(i, ['apply', '--server-side', '--field-manager', 'bench', '-f', manifests]);
  await kubectl(i, ['-n', namespace, 'rollout', 'status', 'deployment/hello-world-server', '--timeout=120s']);
};

console.error('kubectl, one cluster after another ...');
const sequentialNamespace = `kubectl-seq-${stamp}`;
const sequentialManifests = await manifestsFor(sequentialNamespace);
const sequentialStarted = performance.now();
for (let i = 0; i < count; i++) await deployWithKubectl(i, sequentialNamespace, sequentialManifests);
const sequentialMs = performance.now() - sequentialStarted;

console.error('kubectl, all clusters at once ...');
const parallelNamespace = `kubectl-par-${stamp}`;
const parallelManifests = await manifestsFor(parallelNamespace);
const parallelStarted = performance.now();
await Promise.all(names.map((_, i) => deployWithKubectl(i, parallelNamespace, parallelManifests)));
const floorMs = performance.now() - parallelStarted;

const requests = status.requests ?? { dynamodb: 0, sqs: 0 };
console.log(`clusters: ${count}; link: ${rttMs > 0 ? `latency proxy per cluster, ${rttMs} ms round trip` : 'zero-delay proxy per cluster (loopback)'}`);
console.log(`AWS backend: ${bench.backend}`);
console.log(`Flotilla (submit -> all clusters applied and healthy):     ${seconds(flotillaMs)}`);
console.log(`kubectl apply + rollout status, one cluster after another: ${seconds(sequentialMs)}`);
console.log(`kubectl apply + rollout status, all clusters at once:      ${seconds(floorMs)}  (the floor)`);
console.log(`Flotilla / floor: ${ratio(flotillaMs, floorMs)}; Flotilla / sequential: ${ratio(flotillaMs, sequentialMs)}`);
console.log(`AWS requests for the run: DynamoDB ${requests.dynamodb}, SQS ${requests.sqs}; per target: DynamoDB ${perTarget(requests.dynamodb, count)}, SQS ${perTarget(requests.sqs, count)}`);

await bench.stop();
await proxied.close();
if (!flags.keep) await clustersDown(names);
process.exit(0);
