// Plans one Application with 5 components over 1,000 clusters and prints how long planning takes.
// Run: npm exec -- node bench/plan.ts   (a benchmark, not a test: it asserts nothing)
import { applicationFromObject } from '../lib/core/admission/parse-application.ts';
import type { ClusterInfo } from '../lib/core/policy/cluster-info.ts';
import { planWorkflow } from '../lib/core/workflow/plan-workflow.ts';

const CLUSTERS = 1_000;
const RUNS = 20;
const regions = ['us', 'eu', 'ap', 'cn'];

const clusters: ClusterInfo[] = Array.from({ length: CLUSTERS }, (_, index) => ({
  name: `cluster-${String(index).padStart(4, '0')}`,
  labels: { env: 'prod', region: regions[index % regions.length] ?? 'us', tier: index % 10 === 0 ? 'gold' : 'standard' },
}));

const app = applicationFromObject({
  apiVersion: 'core.oam.dev/v1beta1',
  kind: 'Application',
  metadata: { name: 'shop', namespace: 'shop', labels: { team: 'commerce' } },
  spec: {
    components: [
      {
        name: 'storefront',
        type: 'webservice',
        properties: { image: 'shop/storefront:1.4', port: 8080, cpu: '500m', memory: '512Mi', env: [{ name: 'MODE', value: 'prod' }] },
        traits: [
          { type: 'scaler', properties: { replicas: 3 } },
          { type: 'gateway', properties: { domain: 'shop.example.com', http: { '/': 8080, '/static': 8080 } } },
        ],
      },
      { name: 'api', type: 'webservice', properties: { image: 'shop/api:2.0', ports: [{ port: 9000, expose: true }, { port: 9090, name: 'metrics' }] }, traits: [{ type: 'labels', properties: { tier: 'backend' } }] },
      { name: 'orders', type: 'worker', properties: { image: 'shop/orders:2.0', cmd: ['orders', 'consume'] }, traits: [{ type: 'annotations', properties: { owner: 'orders-team' } }] },
      { name: 'mailer', type: 'worker', properties: { image: 'shop/mailer:1.1' }, traits: [{ type: 'scaler', properties: { replicas: 1 } }] },
      { name: 'settings', type: 'k8s-objects', properties: { objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-settings' }, data: { currency: 'EUR' } }] } },
    ],
    policies: [
      { name: 'everywhere', type: 'topology', properties: { clusterLabelSelector: { env: 'prod' } } },
      {
        name: 'high-availability',
        type: 'override',
        properties: {
          components: [
            { type: 'webservice', traits: [{ type: 'scaler', properties: { replicas: 5 } }] },
            { name: 'storefront', clusterLabelSelector: { tier: 'gold' }, traits: [{ type: 'scaler', properties: { replicas: 9 } }] },
          ],
        },
      },
    ],
  },
});

const options = { revision: 'shop-v1' };
const started = performance.now();
const first = planWorkflow(app, clusters, options);
const coldMs = performance.now() - started;

const times: number[] = [];
for (let run = 0; run < RUNS; run += 1) {
  const start = performance.now();
  planWorkflow(app, clusters, options);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);

const placements = first.steps.reduce((sum, step) => sum + step.placements.length, 0);
const objects = first.steps.reduce((sum, step) => sum + step.placements.reduce((count, placement) => count + placement.resources.length, 0), 0);
const format = (ms: number | undefined) => `${(ms ?? Number.NaN).toFixed(1)} ms`;
console.log(`planWorkflow: 1 app, ${app.spec.components.length} components, ${CLUSTERS} clusters -> ${placements} placements, ${objects} objects`);
console.log(`  first run ${format(coldMs)}; ${RUNS} more runs: median ${format(times[Math.floor(RUNS / 2)])}, fastest ${format(times[0])}, slowest ${format(times.at(-1))}`);
console.log(`  Node ${process.versions.node} on ${process.platform}/${process.arch}`);
