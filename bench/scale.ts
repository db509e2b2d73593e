// Scale benchmark (not a test): one Application placed by label on R cluster registrations served by A simulated API
// servers (R/A registrations per API server, each registration with an endpoint of its own: a zero-delay proxy port).
// Prints submit -> every target succeeded, targets per second, the control plane's CPU per target, DynamoDB and SQS
// requests per target, the runtime's peak RSS and GET .../status latency over the HTTP API.
// Run: npm run bench:scale -- [--registrations 1000] [--apiservers 10] [--give-up 600] [--split-cpu] [--status-reads 100] [--backend moto|embedded] [--keep]
//
// What lands where: every registration on one API server applies the same objects (one Namespace, Deployment and
// Service, all labelled app.oam.dev/name and /namespace of this one application), so they share one ownership and
// none refuses another's (lib/core/render/ownership.ts: ownership is per application, not per cluster). After the
// first apply on an API server the others are server-side-apply no-ops there, and health reads one Deployment. The
// API servers therefore do less than 1,000 real clusters would (and a little more: two registrations applying the
// same object at once can meet the ownership check's resourceVersion precondition, 409, and read again); the control
// plane does the same per target: render, record, order, apply, read health, tally. One replica per API server, well
// inside kwok's 2 nodes x 110 pods.
import { parseArgs } from 'node:util';
import { clustersDown } from '../devenv/clusters/kwok.ts';
import { parseBenchBackend, startBenchRuntime } from './support/bench-runtime.ts';
import { joinAll, registrationsThroughProxies, startApiservers } from './support/member-clusters.ts';
import { submit, waitForTargets, type ApplicationDocument } from './support/deploy.ts';
import { percentile, perTarget, seconds } from './support/figures.ts';
import { splitMainThreadCpu, type CpuSplit } from './support/cpu-split.ts';

const { values: flags } = parseArgs({
  options: {
    registrations: { type: 'string', default: '1000' },
    apiservers: { type: 'string', default: '10' },
    'give-up': { type: 'string', default: '600' },
    'split-cpu': { type: 'boolean', default: false },
    'status-reads': { type: 'string', default: '100' },
    backend: { type: 'string', default: 'moto' },
    keep: { type: 'boolean', default: false },
  },
});
const whole = (name: string, value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, not ${value}`);
  return n;
};
const registrationCount = whole('registrations', flags.registrations);
const apiserverCount = whole('apiservers', flags.apiservers);
const giveUpMs = whole('give-up', flags['give-up']) * 1000;
const statusReads = whole('status-reads', flags['status-reads']);
const apiserverNames = Array.from({ length: apiserverCount }, (_, i) => `scale-${i + 1}`);
const registrationNames = Array.from({ length: registrationCount }, (_, i) => `reg-${String(i + 1).padStart(4, '0')}`);

console.error(`starting ${apiserverCount} API servers and the ${flags.backend} AWS backend ...`);
const [apiservers, bench] = await Promise.all([startApiservers(apiserverNames), startBenchRuntime({ serveApi: true, backend: parseBenchBackend(flags.backend) })]);
const proxied = await registrationsThroughProxies(registrationNames, apiservers, 0);
const stamp = Date.now().toString(36);
const joinStarted = performance.now();
await joinAll(bench.registry, proxied.registrations, { scale: stamp });
console.error(`joined ${registrationCount} registrations in ${seconds(performance.now() - joinStarted)}`);

const document: ApplicationDocument = {
  apiVersion: 'core.oam.dev/v1beta1',
  kind: 'Application',
  metadata: { name: 'scale-app', namespace: `scale-${stamp}` },
  spec: {
    components: [{ name: 'web', type: 'webservice', properties: { image: 'crccheck/hello-world', port: 8000 }, traits: [{ type: 'scaler', properties: { replicas: 1 } }] }],
    policies: [{ type: 'topology', name: 'everywhere', properties: { clusterLabelSelector: { scale: stamp }, createNamespace: true } }],
  },
};

let split: CpuSplit | undefined;
if (flags['split-cpu']) {
  const planner = (await import('../functions/planner.ts')).handler;
  const applier = (await import('../functions/applier.ts')).handler;
  split = splitMainThreadCpu({ planner, applier });
}
let peakRss = process.memoryUsage.rss();
const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 200);
const cpuBefore = process.cpuUsage();
const started = performance.now();
await submit(bench.store, bench.queues, document);
let lastReport = started;
const progress = await waitForTargets(bench.store, document.metadata, {
  until: 'targets',
  expected: registrationCount,
  startedAt: started,
  pollMs: 1000,
  giveUpMs,
  onPoll: (p) => {
    if (performance.now() - lastReport < 10_000) return;
    lastReport = performance.now();
    console.error(`${seconds(lastReport - started)}: ${p.succeeded} succeeded, ${p.failed} failed, ${p.total} targets recorded (run ${p.runPhase ?? 'not started'})`);
  },
});
const elapsedMs = progress.doneMs ?? performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const splitTotals = split?.totals();
split?.stop();
clearInterval(rssSampler);

const cpuMs = (cpu.user + cpu.system) / 1000;
const targets = progress.succeeded;
console.log(`registrations: ${registrationCount} on ${apiserverCount} API servers (zero-delay proxy port per registration, in a child process)`);
console.log(`AWS backend: ${bench.backend}; control plane: the local runtime in this process (planner, applier, API)`);
if (progress.doneMs !== undefined && progress.succeeded >= registrationCount) {
  console.log(`submit -> every target succeeded: ${seconds(elapsedMs)}`);
} else {
  console.log(`NOT all succeeded: after ${seconds(elapsedMs)} ${progress.succeeded} succeeded, ${progress.failed} failed, ${progress.total} of ${registrationCount} targets recorded (run ${progress.runPhase ?? 'not started'})`);
}
console.log(`targets per second: ${(targets / (elapsedMs / 1000)).toFixed(1)}`);
console.log(`control-plane CPU (process user+system from submit to done, incl. the bench's 1 s store polls): ${Math.round(cpuMs)} ms; per succeeded target ${targets ? (cpuMs / targets).toFixed(1) : '-'} ms`);
if (splitTotals) {
  const parts = Object.entries(splitTotals).map(([name, ms]) => `${name} ${Math.round(ms)} ms (${targets ? (ms / targets).toFixed(1) : '-'} ms/target)`);
  console.log(`main-thread CPU by function (async-hook attribution, its own overhead included): ${parts.join(', ')}`);
}
console.log(`peak RSS of the runtime process: ${Math.round(peakRss / 2 ** 20)} MiB during the run (sampled every 200 ms); ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB process maximum (maxRSS)`);
if (progress.failedPolls) console.log(`the benchmark's own progress polls timed out ${progress.failedPolls} times (repeated)`);

// GET .../status over HTTP, as the CLI asks for it, one read after another.
const statusUrl = `${bench.runtime.url}/namespaces/${document.metadata.namespace}/applications/${document.metadata.name}/status`;
const latencies: number[] = [];
const refusals: string[] = [];
let statusBody: { requests?: { dynamodb: number; sqs: number } } = {};
let statusBytes = 0;
for (let i = 0; i < statusReads; i++) {
  const readStarted = performance.now();
  const response = await fetch(statusUrl, { headers: { authorization: `Bearer ${bench.runtime.adminToken}` } });
  const text = await response.text();
  latencies.push(performance.now() - readStarted);
  if ((i + 1) % 10 === 0) console.error(`status read ${i + 1} of ${statusReads}: ${Math.round(latencies.at(-1)!)} ms`);
  if (!response.ok) {
    refusals.push(`${response.status} ${text.slice(0, 200)}`);
    continue;
  }
  statusBytes = text.length;
  statusBody = JSON.parse(text) as typeof statusBody;
}

const requests = statusBody.requests ?? { dynamodb: 0, sqs: 0 };
console.log(`AWS requests for the run: DynamoDB ${requests.dynamodb}, SQS ${requests.sqs}; per target: DynamoDB ${perTarget(requests.dynamodb, registrationCount)}, SQS ${perTarget(requests.sqs, registrationCount)}`);
console.log(`GET status over HTTP (${statusBytes} bytes), ${statusReads} reads one after another: p50 ${percentile(latencies, 50).toFixed(0)} ms, p90 ${percentile(latencies, 90).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (read ${latencies.indexOf(Math.max(...latencies)) + 1})${refusals.length ? `; ${refusals.length} not answered 200, e.g. ${refusals[0]}` : ''}`);

await bench.stop();
await proxied.close();
if (!flags.keep) await clustersDown(apiserverNames);
process.exit(0);
