// Every way a caller can get a request wrong, through real HTTP: each answer has the right status, error code and
// message, and the store (every item of the table) and the planner queue are exactly as they were before.
import { freeLoopbackPort } from '../../../devenv/process.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { ClusterRegistry } from '../../../lib/engine/clusters/cluster-registry.ts';
import { reachCluster } from '../../../lib/adapters/kubernetes/cluster-reach.ts';
import { ValidationError } from '../../../lib/core/errors/validation-error.ts';
import type { CredentialCipher } from '../../../lib/engine/ports/credential-cipher.ts';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { ErrorCode } from '../../../contract/error-schemas.ts';
import { ErrorBody } from '../../../contract/error-schemas.ts';
import { CreatedToken } from '../../../contract/token-schemas.ts';
import { createToken } from '../../../lib/engine/tokens/tokens.ts';
import { call, drainQueue, purgeQueue, startApiServer, tableSnapshot, type ApiServer } from './api-server.ts';

const maxBodyBytes = 64 * 1024;
const kubeconfigPaths = inject('clusterKubeconfigs');
const basicYaml = await readFile(new URL('../../fixtures/seed/basic.yaml', import.meta.url), 'utf8');

interface Kubeconfig {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context'?: string;
}

let server: ApiServer;
const tokens = { admin: '', viewer: '', deployer: '', revoked: '', expired: '', clusterScoped: '' };
let beijing1: Kubeconfig;
let unreachablePort = 0;

/** beijing-1's admin kubeconfig with one change, as the JSON text the API receives. */
function kubeconfig(change: (config: Kubeconfig) => void = () => {}): string {
  const copy = structuredClone(beijing1);
  change(copy);
  return JSON.stringify(copy);
}
const user = (config: Kubeconfig) => config.users[0]!.user;
const cluster = (config: Kubeconfig) => config.clusters[0]!.cluster;

/** basic.yaml with lines replaced. */
function basicWith(...replacements: [string, string][]): string {
  return replacements.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`basic.yaml has no ${from}`);
    return text.replace(from, to);
  }, basicYaml);
}

interface BadInput {
  name: string;
  method: string;
  path: string;
  /** Which token to send; `none` sends no Authorization header. Default admin. */
  as?: keyof typeof tokens | 'none';
  headers?: Record<string, string>;
  body?: () => unknown;
  /** null: no Content-Type header at all. */
  contentType?: string | null;
  status: number;
  code: ErrorCode;
  message: RegExp;
  /** For validation failures: every detail path, in order. */
  paths?: string[];
  /** Extra checks on the answer. */
  header?: [name: string, value: string];
}

const join = (body: () => unknown, rest: Omit<BadInput, 'method' | 'path' | 'body'>): BadInput => ({ method: 'POST', path: '/clusters', body, ...rest });
const submit = (body: () => unknown, rest: Omit<BadInput, 'method' | 'path' | 'body'>): BadInput => ({
  method: 'POST',
  path: '/applications',
  contentType: 'application/yaml',
  body,
  ...rest,
});
const app = '/namespaces/default/applications/example-app';

/** A team-a Application holding `objects` in a k8s-objects component, placed on beijing-1 by `topology`. */
const teamAObjects = (objects: unknown[], topology: Record<string, unknown> = {}) => () =>
  JSON.stringify({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'escalation', namespace: 'team-a' },
    spec: {
      components: [{ name: 'extras', type: 'k8s-objects', properties: { objects } }],
      policies: [{ type: 'topology', name: 'here', properties: { clusters: ['beijing-1'], ...topology } }],
    },
  });
const clusterAdminBinding = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'team-a-admin' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'team-a' }],
};
const configMap = (namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', ...(namespace ? { namespace } : {}) }, data: { a: 'b' } });

/** An Application on beijing-1 with the given counts of components, steps, override entries or k8s objects. */
const countedApp = (counts: { components?: number; steps?: number; overrideEntries?: number; objects?: number; overridePattern?: string }) => () => {
  const components: unknown[] = Array.from({ length: counts.components ?? 1 }, (_, i) => ({ name: `web-${i}`, type: 'webservice', properties: { image: 'nginx' } }));
  if (counts.objects !== undefined) {
    components[0] = { name: 'web-0', type: 'k8s-objects', properties: { objects: Array.from({ length: counts.objects }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c-${i}` } })) } };
  }
  const entries = counts.overridePattern !== undefined ? [{ name: counts.overridePattern }] : Array.from({ length: counts.overrideEntries ?? 1 }, () => ({ name: 'web-0' }));
  const steps = Array.from({ length: counts.steps ?? 1 }, (_, i) => ({ name: `s-${i}`, type: 'deploy', properties: { policies: ['here', 'patch'] } }));
  return JSON.stringify({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'counted', namespace: 'default' },
    spec: {
      components,
      policies: [
        { name: 'here', type: 'topology', properties: { clusters: ['beijing-1'] } },
        { name: 'patch', type: 'override', properties: { components: entries } },
      ],
      workflow: { steps },
    },
  });
};

/** An Application on beijing-1 whose second step is `extra` (a notification, webhook or conditional step). */
const withStep = (extra: Record<string, unknown>) => () =>
  JSON.stringify({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'notified', namespace: 'default' },
    spec: {
      components: [{ name: 'web', type: 'webservice', properties: { image: 'nginx' } }],
      policies: [{ name: 'here', type: 'topology', properties: { clusters: ['beijing-1'] } }],
      workflow: { steps: [{ name: 'ship', type: 'deploy', properties: { policies: ['here'] } }, { name: 'tell', ...extra }] },
    },
  });

/** An Application on beijing-1 whose one deploy step has these properties beside its policy. */
const deployStepApp = (name: string, properties: Record<string, unknown>) => () =>
  JSON.stringify({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name, namespace: 'default' },
    spec: {
      components: [{ name: 'web', type: 'webservice', properties: { image: 'nginx' } }],
      policies: [{ name: 'here', type: 'topology', properties: { clusters: ['beijing-1'] } }],
      workflow: { steps: [{ name: 'deploy-here', type: 'deploy', properties: { policies: ['here'], ...properties } }] },
    },
  });
const rolloutApp = (rollout: Record<string, unknown>) => deployStepApp('waved', { rollout });
const parallelismApp = (parallelism: unknown) => deployStepApp('throttled', { parallelism });

const cases: BadInput[] = [
  // Who is calling
  { name: 'no Authorization header', method: 'GET', path: '/clusters', as: 'none', status: 401, code: 'unauthenticated', message: /needs a token: send Authorization: Bearer <token>/, header: ['www-authenticate', 'Bearer realm="flotilla"'] },
  { name: 'Basic instead of Bearer', method: 'GET', path: '/clusters', as: 'none', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' }, status: 401, code: 'unauthenticated', message: /must read Bearer <token>/ },
  { name: 'a token that is no Flotilla token', method: 'GET', path: '/clusters', as: 'none', headers: { authorization: 'Bearer hunter2' }, status: 401, code: 'unauthenticated', message: /not valid or has been revoked/ },
  { name: 'a well-formed token nobody issued', method: 'GET', path: '/clusters', as: 'none', headers: { authorization: `Bearer flt_${'A'.repeat(43)}` }, status: 401, code: 'unauthenticated', message: /not valid or has been revoked/ },
  { name: 'a revoked token', method: 'GET', path: '/applications', as: 'revoked', status: 401, code: 'unauthenticated', message: /not valid or has been revoked/ },
  { name: 'an expired token', method: 'GET', path: '/clusters', as: 'expired', status: 401, code: 'unauthenticated', message: /^the token expired at \d{4}-\d\d-\d\dT[\d:.]+Z; ask an admin for a new one$/, header: ['www-authenticate', 'Bearer realm="flotilla"'] },
  submit(() => basicYaml, { name: 'submitting without a token', as: 'none', status: 401, code: 'unauthenticated', message: /needs a token/ }),

  // What the caller may do
  submit(() => basicYaml, { name: 'a viewer deploying', as: 'viewer', status: 403, code: 'forbidden', message: /^role viewer may not change applications$/ }),
  join(() => ({ kubeconfig: kubeconfig() }), { name: 'a viewer joining a cluster', as: 'viewer', status: 403, code: 'forbidden', message: /^role viewer may not change clusters$/ }),
  join(() => ({ kubeconfig: kubeconfig() }), { name: 'a deployer joining a cluster', as: 'deployer', status: 403, code: 'forbidden', message: /^role deployer may not change clusters$/ }),
  submit(() => basicYaml, { name: 'a deployer deploying outside its namespace', as: 'deployer', status: 403, code: 'forbidden', message: /^this token is limited to namespaces team-a, not default$/ }),
  // What a namespace-limited token's application renders stays in its namespaces (the appliers apply as cluster admin).
  submit(teamAObjects([clusterAdminBinding]), { name: 'a team-a deployer applying a ClusterRoleBinding', as: 'deployer', status: 403, code: 'forbidden', message: /^spec\.components\[0\]\.properties\.objects\[0\]: ClusterRoleBinding team-a-admin \(rbac\.authorization\.k8s\.io\/v1\) is cluster-scoped; this token is limited to namespaces team-a/, paths: ['spec.components[0].properties.objects[0]'] }),
  submit(teamAObjects([configMap(), configMap('kube-system')]), { name: 'a team-a deployer applying a ConfigMap into kube-system', as: 'deployer', status: 403, code: 'forbidden', message: /^spec\.components\[0\]\.properties\.objects\[1\]: ConfigMap kube-system\/settings is in namespace kube-system; this token is limited to namespaces team-a, not kube-system$/, paths: ['spec.components[0].properties.objects[1]'] }),
  submit(teamAObjects([configMap()], { namespace: 'kube-system' }), { name: 'a team-a deployer moving everything with topology.namespace', as: 'deployer', status: 403, code: 'forbidden', message: /deploys into namespace kube-system; this token is limited to namespaces team-a, not kube-system/, paths: ['spec.policies[0].properties.namespace', 'spec.components[0].properties.objects[0]'] }),
  submit(teamAObjects([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-z' } }]), { name: 'a team-a deployer creating a Namespace object', as: 'deployer', status: 403, code: 'forbidden', message: /Namespace team-z \(v1\) is cluster-scoped; this token is limited to namespaces team-a/, paths: ['spec.components[0].properties.objects[0]'] }),
  submit(teamAObjects([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]), { name: 'a team-a deployer applying a kind Flotilla cannot classify', as: 'deployer', status: 403, code: 'forbidden', message: /Widget w \(example\.com\/v1\) is a kind Flotilla cannot classify as namespaced/, paths: ['spec.components[0].properties.objects[0]'] }),
  // A token limited to clusters places nowhere else (issue 12).
  submit(() => basicYaml, { name: 'a beijing-2 deployer placing on beijing-1', as: 'clusterScoped', status: 403, code: 'forbidden', message: /^spec\.policies\[0\]\.properties\.clusters\[0\]: places on cluster beijing-1; this token may place only on clusters beijing-2, not beijing-1$/, paths: ['spec.policies[0].properties.clusters[0]'] }),
  // `<redacted>` is how answers show a stored Secret value; submitted back it would become the Secret's value.
  submit(teamAObjects([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { user: 'YWRtaW4=', password: '<redacted>' } }]), { name: 'a Secret value that is the redaction marker', status: 400, code: 'validation_failed', message: /^spec\.components\[0\]\.properties\.objects\[0\]\.data\.password: "<redacted>" is how Flotilla shows a stored Secret value, not a value: submit the value itself$/, paths: ['spec.components[0].properties.objects[0].data.password'] }),
  { name: 'a deployer reading outside its namespace', method: 'GET', path: app, as: 'deployer', status: 403, code: 'forbidden', message: /limited to namespaces team-a, not default/ },
  { name: 'a deployer listing another namespace', method: 'GET', path: '/applications?namespace=default', as: 'deployer', status: 403, code: 'forbidden', message: /limited to namespaces team-a, not default/ },
  { name: 'a deployer deleting outside its namespace', method: 'DELETE', path: app, as: 'deployer', status: 403, code: 'forbidden', message: /limited to namespaces team-a, not default/ },
  { name: 'a deployer creating a token', method: 'POST', path: '/tokens', as: 'deployer', body: () => ({ name: 'x', role: 'admin' }), status: 403, code: 'forbidden', message: /^role deployer may not change tokens$/ },
  { name: 'a viewer listing tokens', method: 'GET', path: '/tokens', as: 'viewer', status: 403, code: 'forbidden', message: /^role viewer may not read tokens$/ },
  { name: 'a viewer deleting an application', method: 'DELETE', path: app, as: 'viewer', status: 403, code: 'forbidden', message: /role viewer may not change applications/ },
  { name: 'a viewer suspending a workflow', method: 'POST', path: `${app}/workflow/suspend`, as: 'viewer', status: 403, code: 'forbidden', message: /role viewer may not change applications/ },
  { name: 'a deployer detaching a cluster', method: 'DELETE', path: '/clusters/beijing-1', as: 'deployer', status: 403, code: 'forbidden', message: /role deployer may not change clusters/ },
  { name: 'a deployer setting the namespaces Flotilla may create', method: 'POST', path: '/clusters/beijing-1/namespaces', as: 'deployer', body: () => ({ creatableNamespaces: ['team-a'] }), status: 403, code: 'forbidden', message: /^role deployer may not change clusters$/ },
  // Kinds only discovery classifies, with the answers the fixture recorded on beijing-1 (as the applier would).
  submit(teamAObjects([{ apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: 'g' } }]), { name: 'a team-a deployer applying a kind discovery calls cluster-scoped', as: 'deployer', status: 403, code: 'forbidden', message: /Gizmo g \(example\.com\/v1\) is cluster-scoped, says the discovery of cluster beijing-1; this token is limited to namespaces team-a/, paths: ['spec.components[0].properties.objects[0]'] }),
  submit(teamAObjects([{ apiVersion: 'example.com/v1', kind: 'Ghost', metadata: { name: 'g' } }]), { name: 'a team-a deployer applying a kind the cluster does not serve', as: 'deployer', status: 403, code: 'forbidden', message: /Ghost g \(example\.com\/v1\) is not a kind cluster beijing-1 serves \(its discovery does not list it\)/, paths: ['spec.components[0].properties.objects[0]'] }),
  // beijing-2 lets Flotilla create only team-a (the fixture); the list holds for admins too.
  submit(teamAObjects([configMap()], { clusters: ['beijing-2'], namespace: 'team-z', createNamespace: true }), { name: 'createNamespace beyond the cluster list', status: 403, code: 'forbidden', message: /cluster beijing-2 lets Flotilla create only namespaces team-a, not team-z \(createNamespace\)/, paths: ['spec.policies[0].properties.createNamespace'] }),

  // Routes and methods
  { name: 'an unknown route', method: 'GET', path: '/deployments', status: 404, code: 'not_found', message: /^no route GET \/deployments; GET \/openapi.json lists them$/ },
  { name: 'a notification target with an ftp URL', method: 'POST', path: `${app}/notification`, body: () => ({ webhook: 'ftp://example.com/x' }), contentType: 'application/json', status: 400, code: 'validation_failed', message: /expected/ },
  { name: 'a notification target naming both Slack and a webhook', method: 'POST', path: `${app}/notification`, body: () => ({ slack: 'https://hooks.slack.com/services/T/B/x', webhook: 'https://example.com/x' }), contentType: 'application/json', status: 400, code: 'validation_failed', message: /expected/ },
  { name: 'a viewer setting a notification target', method: 'POST', path: `${app}/notification`, as: 'viewer', body: () => ({ slack: 'https://hooks.slack.com/services/T/B/x' }), contentType: 'application/json', status: 403, code: 'forbidden', message: /role viewer may not change applications/ },
  { name: 'reading a notification target never set', method: 'GET', path: `${app}/notification`, status: 404, code: 'not_found', message: /^application default\/example-app has no notification target$/ },
  { name: 'an unknown workflow operation', method: 'POST', path: `${app}/workflow/pause`, status: 404, code: 'not_found', message: /no route POST/ },
  { name: 'PUT on /clusters', method: 'PUT', path: '/clusters', status: 405, code: 'method_not_allowed', message: /^\/clusters answers POST, GET, not PUT$/, header: ['allow', 'POST, GET'] },
  { name: 'PATCH on an application', method: 'PATCH', path: app, status: 405, code: 'method_not_allowed', message: /answers GET, DELETE, not PATCH/, header: ['allow', 'GET, DELETE'] },

  // Bodies: size, media type, encoding, syntax
  submit(() => `${basicYaml}\n#${'x'.repeat(maxBodyBytes)}\n`, { name: 'a body over MAX_BODY_BYTES', status: 413, code: 'payload_too_large', message: new RegExp(`the limit is ${maxBodyBytes} bytes`) }),
  submit(() => basicYaml, { name: 'an Application as text/plain', contentType: 'text/plain', status: 415, code: 'unsupported_media_type', message: /^Content-Type text\/plain is not accepted here; send application\/yaml or application\/json/ }),
  submit(() => new TextEncoder().encode(basicYaml), { name: 'an Application without Content-Type', contentType: null, status: 415, code: 'unsupported_media_type', message: /Content-Type \(none\) is not accepted/ }),
  submit(() => '', { name: 'an empty body', status: 400, code: 'validation_failed', message: /a request body is required/, paths: [''] }),
  submit(() => 'apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: [unclosed\n', { name: 'malformed YAML', status: 400, code: 'validation_failed', message: /invalid YAML: line \d+, column \d+/, paths: [''] }),
  submit(() => '{"apiVersion": "core.oam.dev/v1beta1",', { name: 'malformed JSON', contentType: 'application/json', status: 400, code: 'validation_failed', message: /^invalid JSON/, paths: [''] }),
  submit(() => `${basicYaml}\n---\n${basicYaml}`, { name: 'two YAML documents', status: 400, code: 'validation_failed', message: /expected one YAML document, found 2/, paths: [''] }),
  submit(() => basicWith(['      properties:\n        image', '      properties: &props\n        image']), { name: 'a YAML anchor', status: 400, code: 'validation_failed', message: /YAML anchors are not allowed/, paths: [''] }),
  submit(() => '[1, 2, 3]', { name: 'a JSON list instead of an Application', contentType: 'application/json', status: 400, code: 'validation_failed', message: /expected a map of fields/, paths: [''] }),

  // Applications that do not check out
  submit(() => basicWith(['type: webservice', 'type: webserver']), { name: 'an unknown component type', status: 400, code: 'validation_failed', message: /^spec.components\[0\].type: unknown component type "webserver"; known types: /, paths: ['spec.components[0].type'] }),
  submit(() => basicWith(['name: example-app', 'name: Example_App']), { name: 'an invalid application name', status: 400, code: 'validation_failed', message: /application name must be a DNS-1123 label/, paths: ['metadata.name'] }),
  submit(() => basicWith(['namespace: default', 'namespace: Team.A']), { name: 'an invalid namespace', status: 400, code: 'validation_failed', message: /namespace must be a DNS-1123 label/, paths: ['metadata.namespace'] }),
  submit(() => basicWith(['apiVersion: core.oam.dev/v1beta1', 'apiVersion: apps/v1'], ['kind: Application', 'kind: Deployment']), { name: 'not an Application', status: 400, code: 'validation_failed', message: /^2 problems:/, paths: ['apiVersion', 'kind'] }),
  submit(() => basicWith(['type: scaler', 'type: autoscaler'], ['type: gateway', 'type: ingress'], ['clusters: ["beijing-1", "beijing-2"]', 'clusters: ["Beijing 1"]']), {
    name: 'several problems at once, each with its path',
    status: 400,
    code: 'validation_failed',
    message: /^3 problems:/,
    paths: ['spec.components[0].traits[0].type', 'spec.components[0].traits[1].type', 'spec.policies[0].properties.clusters[0]'],
  }),
  // Counts are bounded (issue 12), each refusal naming its limit.
  submit(countedApp({ components: 51 }), { name: 'one component over MAX_COMPONENTS', contentType: 'application/json', status: 400, code: 'validation_failed', message: /^spec\.components: an application can hold at most 50 components \(MAX_COMPONENTS\)$/, paths: ['spec.components'] }),
  submit(withStep({ type: 'notification', if: 'status.ship.phase == "failed"', properties: { slack: { url: 'https://hooks.slack.com/services/T/B/x' } } }), {
    name: 'a step condition Flotilla does not evaluate',
    contentType: 'application/json',
    status: 400,
    code: 'validation_failed',
    message: /^spec\.workflow\.steps\[1\]\.if: unsupported condition "status\.ship\.phase == \\"failed\\"": Flotilla evaluates `always`, `status\.<step>\.failed` or `status\.<step>\.succeeded`$/,
    paths: ['spec.workflow.steps[1].if'],
  }),
  submit(withStep({ type: 'webhook', if: 'status.nope.failed', properties: { url: 'https://example.com/hook' } }), { name: 'a step condition naming a missing step', contentType: 'application/json', status: 400, code: 'validation_failed', message: /^spec\.workflow\.steps\[1\]\.if: step nope not found$/, paths: ['spec.workflow.steps[1].if'] }),
  submit(withStep({ type: 'webhook', properties: { url: 'file:///etc/passwd' } }), { name: 'a webhook step URL that is not http', contentType: 'application/json', status: 400, code: 'validation_failed', message: /^spec\.workflow\.steps\[1\]\.properties\.url: expected an http or https URL$/, paths: ['spec.workflow.steps[1].properties.url'] }),
  submit(withStep({ type: 'notification', properties: { dingding: { url: 'https://example.com' } } }), {
    name: 'a notification channel Flotilla does not post to',
    contentType: 'application/json',
    status: 400,
    code: 'validation_failed',
    message: /dingding: unknown field/,
    paths: ['spec.workflow.steps[1].properties.dingding', 'spec.workflow.steps[1].properties'],
  }),
  submit(withStep({ type: 'webhook', properties: { url: '<redacted>' } }), { name: 'the redaction marker submitted back as a webhook URL', contentType: 'application/json', status: 400, code: 'validation_failed', message: /is how Flotilla shows a stored Secret value/, paths: ['spec.workflow.steps[1].properties.url'] }),
  submit(countedApp({ steps: 11 }), { name: 'one step over MAX_STEPS', contentType: 'application/json', status: 400, code: 'validation_failed', message: /^spec\.workflow\.steps: a workflow can hold at most 10 steps \(MAX_STEPS\)$/, paths: ['spec.workflow.steps'] }),
  submit(countedApp({ overrideEntries: 51 }), { name: 'one override entry over MAX_OVERRIDE_ENTRIES', contentType: 'application/json', status: 400, code: 'validation_failed', message: /at most 50 entries together \(MAX_OVERRIDE_ENTRIES\)/, paths: ['spec.policies[1].properties.components'] }),
  submit(countedApp({ objects: 101 }), { name: 'one k8s-objects object over MAX_OBJECTS', contentType: 'application/json', status: 400, code: 'validation_failed', message: /at most 100 objects \(MAX_OBJECTS\)/, paths: ['spec.components[0].properties.objects'] }),
  submit(countedApp({ overridePattern: '(web)-\\1' }), { name: 'an override pattern with a back-reference (no linear-time engine runs one)', contentType: 'application/json', status: 400, code: 'validation_failed', message: /back-references and lookarounds are not allowed in a component name pattern/, paths: ['spec.policies[1].properties.components[0].name'] }),
  submit(() => basicWith(['clusters: ["beijing-1", "beijing-2"]', 'clusters: ["beijing-1", "beijing-9"]']), {
    name: 'a topology naming a cluster that is not registered',
    status: 400,
    code: 'validation_failed',
    message: /^spec.policies\[0\].properties.clusters\[1\]: no cluster named beijing-9 is registered; registered clusters: beijing-1, beijing-2$/,
    paths: ['spec.policies[0].properties.clusters[1]'],
  }),
  // Rollout waves (docs/rollout.md), each refusal naming the field.
  submit(rolloutApp({ waves: ['1', '150%'] }), { name: 'a rollout wave over 100%', contentType: 'application/json', status: 400, code: 'validation_failed', message: /^spec\.workflow\.steps\[0\]\.properties\.rollout\.waves\[1\]: expected a cluster count such as 1 or a percentage from 1% to 100% such as 25%$/, paths: ['spec.workflow.steps[0].properties.rollout.waves[1]'] }),
  submit(rolloutApp({ waves: ['50%', '25%'] }), { name: 'rollout waves that do not increase', contentType: 'application/json', status: 400, code: 'validation_failed', message: /^spec\.workflow\.steps\[0\]\.properties\.rollout\.waves\[1\]: waves are cumulative and must increase: 25% does not exceed 50% given before it$/, paths: ['spec.workflow.steps[0].properties.rollout.waves[1]'] }),
  // A deploy step's parallelism (docs/rollout.md): a whole number of clusters from 1 to MAX_PARALLELISM.
  submit(parallelismApp(0), { name: 'a deploy parallelism of zero', contentType: 'application/json', status: 400, code: 'validation_failed', message: /^spec\.workflow\.steps\[0\]\.properties\.parallelism: expected a whole number of clusters from 1 to 10000$/, paths: ['spec.workflow.steps[0].properties.parallelism'] }),
  submit(parallelismApp(10_001), { name: 'a deploy parallelism over MAX_PARALLELISM', contentType: 'application/json', status: 400, code: 'validation_failed', message: /^spec\.workflow\.steps\[0\]\.properties\.parallelism: expected a whole number of clusters from 1 to 10000 \(MAX_PARALLELISM\)$/, paths: ['spec.workflow.steps[0].properties.parallelism'] }),
  submit(parallelismApp('2'), { name: 'a deploy parallelism given as text', contentType: 'application/json', status: 400, code: 'validation_failed', message: /^spec\.workflow\.steps\[0\]\.properties\.parallelism: expected a whole number of clusters from 1 to 10000$/, paths: ['spec.workflow.steps[0].properties.parallelism'] }),
  submit(rolloutApp({ waves: ['1', '100%'], onFailure: 'retry' }), { name: 'an unknown rollout onFailure', contentType: 'application/json', status: 400, code: 'validation_failed', message: /^spec\.workflow\.steps\[0\]\.properties\.rollout\.onFailure: expected one of pause, rollback or continue$/, paths: ['spec.workflow.steps[0].properties.rollout.onFailure'] }),
  submit(() => basicWith(['namespace: default', 'namespace: team-a'], ['name: example-app', 'name: leaving']), { name: 'resubmitting an application being deleted', as: 'deployer', status: 409, code: 'application_deleting', message: /^application team-a\/leaving is being deleted; submit it again once it is gone$/ }),

  // Joining clusters
  join(() => ({ kubeconfig: kubeconfig() }), { name: 'a join as text/plain', contentType: 'text/plain', status: 415, code: 'unsupported_media_type', message: /send application\/json/ }),
  join(() => '{"kubeconfig": ', { name: 'a join that is not JSON', status: 400, code: 'validation_failed', message: /^invalid JSON/, paths: [''] }),
  join(() => ({ kubeconfig: kubeconfig(), namespace: 'apps' }), { name: 'a join with an unknown field', status: 400, code: 'validation_failed', message: /^namespace: unknown field$/, paths: ['namespace'] }),
  join(() => ({ name: 'beijing-9' }), { name: 'a join without a kubeconfig', status: 400, code: 'validation_failed', message: /^kubeconfig: is required$/, paths: ['kubeconfig'] }),
  join(() => ({ name: 'exec-1', kubeconfig: kubeconfig((c) => (c.users[0]!.user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'aws' } })) }), {
    name: 'a kubeconfig with an exec plugin',
    status: 400,
    code: 'validation_failed',
    message: /exec credential plugins are not supported/,
    paths: ['kubeconfig.users[0].user.exec'],
  }),
  join(() => ({ name: 'gke-1', kubeconfig: kubeconfig((c) => (c.users[0]!.user = { 'auth-provider': { name: 'gcp' } })) }), {
    name: 'a kubeconfig with an auth-provider',
    status: 400,
    code: 'validation_failed',
    message: /auth-provider plugins are not supported/,
    paths: ['kubeconfig.users[0].user.auth-provider'],
  }),
  join(
    () => ({
      name: 'files-1',
      kubeconfig: kubeconfig((c) => {
        c.clusters[0]!.cluster = { server: cluster(c).server, 'certificate-authority': '/etc/kubernetes/ca.crt' };
        c.users[0]!.user = { 'client-certificate': '/home/me/.kube/me.crt', 'client-key': '/home/me/.kube/me.key' };
      }),
    }),
    {
      name: 'a kubeconfig with file paths',
      status: 400,
      code: 'validation_failed',
      message: /^3 problems:/,
      paths: ['kubeconfig.clusters[0].cluster.certificate-authority', 'kubeconfig.users[0].user.client-certificate', 'kubeconfig.users[0].user.client-key'],
    },
  ),
  join(() => ({ name: 'token-file-1', kubeconfig: kubeconfig((c) => (c.users[0]!.user = { tokenFile: '/var/run/secrets/token' })) }), {
    name: 'a kubeconfig with a tokenFile',
    status: 400,
    code: 'validation_failed',
    message: /file references are not supported/,
    paths: ['kubeconfig.users[0].user.tokenFile'],
  }),
  join(
    () => ({
      kubeconfig: kubeconfig((c) => {
        c.contexts.push({ name: 'other', context: { ...c.contexts[0]!.context } });
        delete c['current-context'];
      }),
    }),
    { name: 'two contexts, no current-context and no context', status: 400, code: 'validation_failed', message: /several contexts \("beijing-1", "other"\) and no current-context; choose one with --context/, paths: ['context'] },
  ),
  join(() => ({ kubeconfig: kubeconfig(), context: 'nope' }), { name: 'a context the kubeconfig lacks', status: 400, code: 'validation_failed', message: /no context named "nope" in the kubeconfig; it has "beijing-1"/, paths: ['context'] }),
  join(() => ({ kubeconfig: 'clusters: [unclosed' }), { name: 'a kubeconfig that is not YAML', status: 400, code: 'validation_failed', message: /the kubeconfig is not valid YAML/, paths: ['kubeconfig'] }),
  join(() => ({ name: 'local', kubeconfig: kubeconfig() }), { name: 'the reserved name local', status: 400, code: 'validation_failed', message: /ClusterName cannot be `local`, it is reserved as the local cluster/, paths: ['name'] }),
  join(() => ({ name: 'Beijing_1', kubeconfig: kubeconfig() }), { name: 'an invalid cluster name', status: 400, code: 'validation_failed', message: /"Beijing_1" is not a valid cluster name/, paths: ['name'] }),
  join(() => ({ name: 'plain-1', kubeconfig: kubeconfig((c) => (cluster(c).server = 'http://127.0.0.1:6443')) }), { name: 'an http API server', status: 400, code: 'validation_failed', message: /must be reached over https, not http/, paths: ['kubeconfig.clusters[0].cluster.server'] }),
  join(() => ({ name: 'labelled-1', kubeconfig: kubeconfig(), labels: { 'bad key!': 'x' } }), { name: 'an invalid label key', status: 400, code: 'validation_failed', message: /the key must be at most 63/, paths: ['labels["bad key!"]'] }),
  join(() => ({ name: 'ns-1', kubeconfig: kubeconfig(), createNamespace: 'Not_A_Namespace' }), { name: 'an invalid namespace to create', status: 400, code: 'validation_failed', message: /not a valid namespace name/, paths: ['createNamespace'] }),
  join(() => ({ name: 'ns-2', kubeconfig: kubeconfig(), creatableNamespaces: ['Team A'] }), { name: 'joining with a creatable namespace that is no namespace name', status: 400, code: 'validation_failed', message: /DNS-1123 label/, paths: ['creatableNamespaces[0]'] }),
  join(() => ({ name: 'ns-2', kubeconfig: kubeconfig(), createNamespace: 'team-z', creatableNamespaces: ['team-a'] }), { name: 'joining with a namespace to create outside the creatable ones', status: 400, code: 'validation_failed', message: /^createNamespace: cluster ns-2 lets Flotilla create only namespaces team-a, not team-z \(createNamespace\)$/, paths: ['createNamespace'] }),
  join(() => ({ name: 'unreachable-1', kubeconfig: kubeconfig((c) => (cluster(c).server = `https://127.0.0.1:${unreachablePort}`)) }), {
    name: 'an unreachable endpoint',
    status: 422,
    code: 'cluster_unreachable',
    message: /^cannot join cluster unreachable-1: cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: /,
  }),
  join(() => ({ name: 'impostor-1', kubeconfig: kubeconfig((c) => (c.users[0]!.user = { token: 'not-a-real-token' })) }), {
    name: 'credentials the cluster rejects',
    status: 422,
    code: 'cluster_unreachable',
    message: /^cannot join cluster impostor-1: the API server at https:\/\/127\.0\.0\.1:\d+ rejected the credentials \(401/,
  }),
  join(() => ({ kubeconfig: kubeconfig() }), { name: 'joining a name already registered', status: 409, code: 'already_exists', message: /^cluster beijing-1 already exists; join with "overwrite": true to replace its credentials$/ }),

  // Changing clusters
  { name: 'creatable namespaces that are no namespace names', method: 'POST', path: '/clusters/beijing-1/namespaces', body: () => ({ creatableNamespaces: ['team-a', 'Team B'] }), status: 400, code: 'validation_failed', message: /DNS-1123 label/, paths: ['creatableNamespaces[1]'] },
  { name: 'a creatable namespace listed twice', method: 'POST', path: '/clusters/beijing-1/namespaces', body: () => ({ creatableNamespaces: ['team-a', 'team-a'] }), status: 400, code: 'validation_failed', message: /team-a is listed twice/, paths: ['creatableNamespaces[1]'] },
  { name: 'more than 100 creatable namespaces', method: 'POST', path: '/clusters/beijing-1/namespaces', body: () => ({ creatableNamespaces: Array.from({ length: 101 }, (_, i) => `ns-${i}`) }), status: 400, code: 'validation_failed', message: /at most 100 namespaces/, paths: ['creatableNamespaces'] },
  { name: 'creatable namespaces left out', method: 'POST', path: '/clusters/beijing-1/namespaces', body: () => ({}), status: 400, code: 'validation_failed', message: /creatableNamespaces/, paths: ['creatableNamespaces'] },
  { name: 'creatable namespaces for an unknown cluster', method: 'POST', path: '/clusters/shanghai-1/namespaces', body: () => ({ creatableNamespaces: [] }), status: 404, code: 'cluster_not_found', message: /^no cluster named "shanghai-1" is registered$/ },
  { name: 'labels for an unknown cluster', method: 'POST', path: '/clusters/shanghai-1/labels', body: () => ({ labels: { a: 'b' } }), status: 404, code: 'cluster_not_found', message: /^no cluster named "shanghai-1" is registered$/ },
  { name: 'an invalid label value', method: 'POST', path: '/clusters/beijing-1/labels', body: () => ({ labels: { provider: 'not ok' } }), status: 400, code: 'validation_failed', message: /the value must be empty or at most 63/, paths: ['labels["provider"]'] },
  { name: 'a label value that is no string', method: 'POST', path: '/clusters/beijing-1/labels', body: () => ({ labels: { replicas: 3 } }), status: 400, code: 'validation_failed', message: /^labels.replicas: expected a string$/, paths: ['labels.replicas'] },
  { name: 'removing a label the cluster lacks', method: 'DELETE', path: '/clusters/beijing-1/labels?keys=region,nope', status: 400, code: 'validation_failed', message: /no such label "nope"/, paths: ['query.keys[1]'] },
  { name: 'removing labels without keys', method: 'DELETE', path: '/clusters/beijing-1/labels', status: 400, code: 'validation_failed', message: /^query.keys: is required/, paths: ['query.keys'] },
  { name: 'renaming to local', method: 'POST', path: '/clusters/beijing-1/rename', body: () => ({ newName: 'local' }), status: 400, code: 'validation_failed', message: /reserved as the local cluster/, paths: ['newName'] },
  { name: 'renaming onto a registered name', method: 'POST', path: '/clusters/beijing-1/rename', body: () => ({ newName: 'beijing-2' }), status: 409, code: 'already_exists', message: /^cluster beijing-2 already exists$/ },
  { name: 'renaming a cluster in use', method: 'POST', path: '/clusters/beijing-2/rename', body: () => ({ newName: 'beijing-3' }), status: 409, code: 'cluster_in_use', message: /^cannot rename cluster beijing-2: it holds objects of applications: default\/example-app \(example-app-v1\): Deployment default\/hello-world-server/ },
  { name: 'detaching a cluster in use', method: 'DELETE', path: '/clusters/beijing-2', status: 409, code: 'cluster_in_use', message: /^cannot detach cluster beijing-2: .*or detach with force to leave these objects behind as orphans$/ },
  { name: 'detaching an unknown cluster', method: 'DELETE', path: '/clusters/shanghai-1', status: 404, code: 'cluster_not_found', message: /no cluster named "shanghai-1"/ },
  { name: 'force=maybe', method: 'DELETE', path: '/clusters/beijing-2?force=maybe', status: 400, code: 'validation_failed', message: /^query.force: must be true or false$/, paths: ['query.force'] },
  { name: 'a misspelt query parameter', method: 'DELETE', path: '/clusters/beijing-2?forse=true', status: 400, code: 'validation_failed', message: /^query.forse: unknown field$/, paths: ['query.forse'] },
  { name: 'an invalid cluster name in the path', method: 'GET', path: '/clusters/Beijing_1', status: 400, code: 'validation_failed', message: /^path.name: must be a cluster name/, paths: ['path.name'] },
  { name: 'probing an unknown cluster', method: 'POST', path: '/clusters/shanghai-1/probe', status: 404, code: 'cluster_not_found', message: /no cluster named "shanghai-1"/ },

  // Applications and workflows that are not there
  { name: 'an unknown application', method: 'GET', path: '/namespaces/default/applications/nope', status: 404, code: 'application_not_found', message: /^no application nope in namespace default$/ },
  { name: 'the status of an unknown application', method: 'GET', path: '/namespaces/default/applications/nope/status', status: 404, code: 'application_not_found', message: /no application nope/ },
  { name: 'the revisions of an unknown application', method: 'GET', path: '/namespaces/default/applications/nope/revisions', status: 404, code: 'application_not_found', message: /no application nope/ },
  { name: 'deleting an unknown application', method: 'DELETE', path: '/namespaces/default/applications/nope', status: 404, code: 'application_not_found', message: /no application nope/ },
  { name: 'an invalid namespace in the path', method: 'GET', path: '/namespaces/Team_A/applications/example-app', status: 400, code: 'validation_failed', message: /namespace must be a DNS-1123 label/, paths: ['path.namespace'] },
  { name: 'suspending a workflow that never ran', method: 'POST', path: `${app}/workflow/suspend`, status: 409, code: 'workflow_operation_refused', message: /^application default\/example-app has no workflow run$/ },
  { name: 'rolling back a workflow that never ran', method: 'POST', path: `${app}/workflow/rollback`, status: 409, code: 'workflow_operation_refused', message: /has no workflow run/ },
  { name: 'a workflow operation on an unknown application', method: 'POST', path: '/namespaces/default/applications/nope/workflow/restart', status: 404, code: 'application_not_found', message: /no application nope/ },

  // Cluster queries (diff, tree, endpoints, logs): refused before a query is stored or queued
  { name: 'logs with tail 0', method: 'GET', path: `${app}/logs?tail=0`, status: 400, code: 'validation_failed', message: /tail: must be at least 1/, paths: ['query.tail'] },
  { name: 'logs with tail over the limit', method: 'GET', path: `${app}/logs?tail=1001`, status: 400, code: 'validation_failed', message: /tail: must be at most 1000/, paths: ['query.tail'] },
  { name: 'logs with tail that is no number', method: 'GET', path: `${app}/logs?tail=all`, status: 400, code: 'validation_failed', message: /must be a whole number of lines/, paths: ['query.tail'] },
  { name: 'logs since something that is no duration', method: 'GET', path: `${app}/logs?since=yesterday`, status: 400, code: 'validation_failed', message: /expected a Go duration/, paths: ['query.since'] },
  { name: 'logs of a cluster the application is not in', method: 'GET', path: `${app}/logs?cluster=us-west-1`, status: 400, code: 'validation_failed', message: /not deployed in cluster us-west-1; it is in: none/, paths: ['query.cluster'] },
  { name: 'logs with an unknown query parameter', method: 'GET', path: `${app}/logs?follow=true`, status: 400, code: 'validation_failed', message: /follow/ },
  { name: 'logs of an unknown application', method: 'GET', path: '/namespaces/default/applications/nope/logs', status: 404, code: 'application_not_found', message: /no application nope/ },
  { name: 'the tree of an unknown application', method: 'GET', path: '/namespaces/default/applications/nope/tree', status: 404, code: 'application_not_found', message: /no application nope/ },
  { name: 'the endpoints of an unknown application', method: 'GET', path: '/namespaces/default/applications/nope/endpoints', status: 404, code: 'application_not_found', message: /no application nope/ },
  { name: 'logs for a token limited to another namespace', as: 'deployer', method: 'GET', path: `${app}/logs`, status: 403, code: 'forbidden', message: /team-a/ },
  { name: 'the tree for a token limited to another namespace', as: 'deployer', method: 'GET', path: `${app}/tree`, status: 403, code: 'forbidden', message: /team-a/ },
  { name: 'the endpoints for a token limited to another namespace', as: 'deployer', method: 'GET', path: `${app}/endpoints`, status: 403, code: 'forbidden', message: /team-a/ },
  { name: 'a diff for a token limited to another namespace', as: 'deployer', method: 'POST', path: '/applications/diff?live=true', contentType: 'application/yaml', body: () => basicYaml, status: 403, code: 'forbidden', message: /team-a/ },
  { name: 'a diff with live=yes', method: 'POST', path: '/applications/diff?live=yes', contentType: 'application/yaml', body: () => basicYaml, status: 400, code: 'validation_failed', message: /must be true or false/, paths: ['query.live'] },
  { name: 'a diff of a document that does not check out', method: 'POST', path: '/applications/diff', contentType: 'application/yaml', body: () => basicWith(['type: webservice', 'type: webservic']), status: 400, code: 'validation_failed', message: /webservic/ },
  { name: 'a query id that is no query id', method: 'GET', path: '/namespaces/default/queries/abc', status: 400, code: 'validation_failed', message: /must be a query id/, paths: ['path.id'] },
  { name: 'an unknown query', method: 'GET', path: '/namespaces/default/queries/00000000-0000-4000-8000-000000000000', status: 404, code: 'query_not_found', message: /no query 00000000-0000-4000-8000-000000000000 in namespace default/ },
  { name: 'a query for a token limited to another namespace', as: 'deployer', method: 'GET', path: '/namespaces/default/queries/00000000-0000-4000-8000-000000000000', status: 403, code: 'forbidden', message: /team-a/ },
  { name: 'a revision that is no revision name', method: 'GET', path: `${app}/revisions/latest`, status: 400, code: 'validation_failed', message: /^path.revision: must be a revision name, <application>-v<N>/, paths: ['path.revision'] },
  { name: "another application's revision", method: 'GET', path: `${app}/revisions/shop-v1`, status: 400, code: 'validation_failed', message: /^path.revision: names application shop, not example-app$/, paths: ['path.revision'] },
  { name: 'a revision that is not stored', method: 'GET', path: `${app}/revisions/example-app-v9`, status: 404, code: 'revision_not_found', message: /^application default\/example-app has no revision example-app-v9 \(flotilla revisions example-app -n default lists them\)$/ },
  { name: 'running a revision that is not stored', method: 'POST', path: `${app}/revisions/example-app-v9/run`, status: 404, code: 'revision_not_found', message: /has no revision example-app-v9/ },
  { name: 'a viewer running a revision', method: 'POST', path: `${app}/revisions/example-app-v1/run`, as: 'viewer', status: 403, code: 'forbidden', message: /role viewer may not change applications/ },
  { name: 'running a revision of an application being deleted', method: 'POST', path: '/namespaces/team-a/applications/leaving/revisions/leaving-v1/run', as: 'deployer', status: 409, code: 'application_deleting', message: /^application team-a\/leaving is being deleted; it runs nothing more$/ },

  // Tokens
  { name: 'a token with an unknown role', method: 'POST', path: '/tokens', body: () => ({ name: 'root', role: 'root' }), status: 400, code: 'validation_failed', message: /expected one of "admin", "deployer", "viewer"/, paths: ['role'] },
  { name: 'an admin token limited to namespaces', method: 'POST', path: '/tokens', body: () => ({ name: 'ops', role: 'admin', namespaces: ['team-a'] }), status: 400, code: 'validation_failed', message: /admin tokens .* cannot be limited to namespaces/, paths: ['namespaces'] },
  { name: 'a token without a name', method: 'POST', path: '/tokens', body: () => ({ role: 'viewer' }), status: 400, code: 'validation_failed', message: /^name: is required$/, paths: ['name'] },
  { name: 'a token for an invalid namespace', method: 'POST', path: '/tokens', body: () => ({ name: 'ci', role: 'deployer', namespaces: ['Team A'] }), status: 400, code: 'validation_failed', message: /must be a namespace name/, paths: ['namespaces[0]'] },
  { name: 'a token expiring in the past', method: 'POST', path: '/tokens', body: () => ({ name: 'ci', role: 'deployer', expiresAt: '2020-01-01T00:00:00Z' }), status: 400, code: 'validation_failed', message: /^expiresAt: must be in the future: 2020-01-01T00:00:00.000Z is not after now/, paths: ['expiresAt'] },
  { name: 'a token expiring more than 365 days ahead', method: 'POST', path: '/tokens', body: () => ({ name: 'ci', role: 'deployer', expiresAt: '2999-01-01T00:00:00Z' }), status: 400, code: 'validation_failed', message: /^expiresAt: must be at most 365 days from now/, paths: ['expiresAt'] },
  { name: 'a token living 366 days', method: 'POST', path: '/tokens', body: () => ({ name: 'ci', role: 'deployer', expiresInDays: 366 }), status: 400, code: 'validation_failed', message: /^expiresInDays: must be at most 365$/, paths: ['expiresInDays'] },
  { name: 'a token with both expiresAt and expiresInDays', method: 'POST', path: '/tokens', body: () => ({ name: 'ci', role: 'deployer', expiresInDays: 3, expiresAt: '2030-01-01T00:00:00Z' }), status: 400, code: 'validation_failed', message: /^expiresAt: give expiresAt or expiresInDays, not both$/, paths: ['expiresAt'] },
  { name: 'an admin token limited to clusters', method: 'POST', path: '/tokens', body: () => ({ name: 'ops', role: 'admin', clusters: { names: ['beijing-1'] } }), status: 400, code: 'validation_failed', message: /admin tokens .* cannot be limited to clusters/, paths: ['clusters'] },
  { name: 'an empty cluster scope', method: 'POST', path: '/tokens', body: () => ({ name: 'ci', role: 'deployer', clusters: { names: [], selector: {} } }), status: 400, code: 'validation_failed', message: /^clusters: name clusters \(names\) or labels they must carry \(selector\)/, paths: ['clusters'] },
  { name: 'a cluster scope naming 101 clusters', method: 'POST', path: '/tokens', body: () => ({ name: 'ci', role: 'deployer', clusters: { names: Array.from({ length: 101 }, (_, i) => `c-${i}`) } }), status: 400, code: 'validation_failed', message: /^clusters\.names: must list at most 100 items$/, paths: ['clusters.names'] },
  { name: 'a cluster selector of 21 labels', method: 'POST', path: '/tokens', body: () => ({ name: 'ci', role: 'deployer', clusters: { selector: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) } }), status: 400, code: 'validation_failed', message: /^clusters\.selector: must have at most 20 labels, not 21$/, paths: ['clusters.selector'] },
  { name: 'a misspelt cluster scope field', method: 'POST', path: '/tokens', body: () => ({ name: 'ci', role: 'deployer', clusters: { name: ['beijing-1'] } }), status: 400, code: 'validation_failed', message: /^clusters\.name: unknown field$/, paths: ['clusters.name'] },
  { name: 'revoking an unknown token', method: 'DELETE', path: '/tokens/0123456789abcdef', status: 404, code: 'token_not_found', message: /^no token with id 0123456789abcdef$/ },
  { name: 'revoking by something that is no token id', method: 'DELETE', path: '/tokens/flt_abc', status: 400, code: 'validation_failed', message: /must be a token id/, paths: ['path.id'] },
];

// The cluster endpoint egress policy (issue 12): endpoints Flotilla must not call, refused before anything is stored.
let redirectPort = 0;
const endpointCases: BadInput[] = [
  join(() => ({ name: 'userinfo-1', kubeconfig: kubeconfig((c) => (cluster(c).server = String(cluster(c).server).replace('https://', 'https://admin:hunter2@'))) }), { name: 'userinfo in the server URL', status: 400, code: 'validation_failed', message: /server: must not hold a user name or password/, paths: ['kubeconfig.clusters[0].cluster.server'] }),
  join(() => ({ name: 'query-1', kubeconfig: kubeconfig((c) => (cluster(c).server = `${String(cluster(c).server)}/?watch=1`)) }), { name: 'a query in the server URL', status: 400, code: 'validation_failed', message: /must not have a query/, paths: ['kubeconfig.clusters[0].cluster.server'] }),
  join(() => ({ name: 'fragment-1', kubeconfig: kubeconfig((c) => (cluster(c).server = `${String(cluster(c).server)}#x`)) }), { name: 'a fragment in the server URL', status: 400, code: 'validation_failed', message: /must not have a fragment/, paths: ['kubeconfig.clusters[0].cluster.server'] }),
  join(() => ({ name: 'metadata-1', kubeconfig: kubeconfig((c) => (cluster(c).server = 'https://169.254.169.254')) }), { name: 'the cloud metadata address', status: 400, code: 'validation_failed', message: /refused by the cluster endpoint policy: 169\.254\.169\.254 is a cloud metadata address/, paths: ['kubeconfig.clusters[0].cluster.server'] }),
  join(() => ({ name: 'metadata-2', kubeconfig: kubeconfig((c) => (cluster(c).server = 'https://[::ffff:169.254.169.254]')) }), { name: 'the metadata address IPv4-mapped', status: 400, code: 'validation_failed', message: /is a cloud metadata address/, paths: ['kubeconfig.clusters[0].cluster.server'] }),
  join(() => ({ name: 'insecure-1', kubeconfig: kubeconfig((c) => (c.clusters[0]!.cluster = { server: cluster(c).server, 'insecure-skip-tls-verify': true })) }), { name: 'insecure-skip-tls-verify without the join flag', status: 400, code: 'validation_failed', message: /skips verifying the API server certificate; join with insecureSkipTlsVerify: true/, paths: ['kubeconfig.clusters[0].cluster.insecure-skip-tls-verify'] }),
  join(() => ({ name: 'redirect-1', insecureSkipTlsVerify: true, kubeconfig: kubeconfig((c) => (c.clusters[0]!.cluster = { server: `https://127.0.0.1:${redirectPort}`, 'insecure-skip-tls-verify': true })) }), { name: 'an endpoint that redirects', status: 422, code: 'cluster_unreachable', message: /^cannot join cluster redirect-1: the API server at https:\/\/127\.0\.0\.1:\d+ answered 302: a redirect, which Flotilla does not follow$/ }),
];

// A loopback HTTPS endpoint that answers every request with a redirect (to the metadata service, say).
let redirectServer: HttpsServer | undefined;
beforeAll(async () => {
  const dir = mkdtempSync(joinPath(tmpdir(), 'flotilla-redirect-'));
  try {
    const [key, cert] = [joinPath(dir, 'key.pem'), joinPath(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    redirectServer = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end('moved'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await new Promise<void>((done) => redirectServer!.listen(0, '127.0.0.1', done));
  redirectPort = (redirectServer.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((done) => (redirectServer ? redirectServer.close(() => done()) : done())));

describe('the API refuses bad input and changes nothing', () => {
  beforeAll(async () => {
    server = await startApiServer({ credentials: 'key-file', maxBodyBytes });
    tokens.admin = server.adminToken;
    beijing1 = JSON.parse(await readFile(kubeconfigPaths['beijing-1']!, 'utf8')) as Kubeconfig;
    unreachablePort = await freeLoopbackPort();
    const admin = { token: server.adminToken };
    const created = async (body: unknown) => CreatedToken.parse((await call(server, 'POST', '/tokens', { ...admin, body })).json).token;
    tokens.viewer = await created({ name: 'viewer', role: 'viewer' });
    tokens.deployer = await created({ name: 'team-a deployer', role: 'deployer', namespaces: ['team-a'] });
    tokens.revoked = await created({ name: 'revoked', role: 'admin' });
    tokens.clusterScoped = await created({ name: 'beijing-2 deployer', role: 'deployer', clusters: { names: ['beijing-2'] } });
    // The API refuses an expiry in the past, so the expired token is made as if created two days ago with a day's life.
    tokens.expired = (await createToken(server.store.tokens, { role: 'admin', description: 'expired', expiresInDays: 1 }, new Date(Date.now() - 2 * 86_400_000))).token;
    const revokedId = (await call(server, 'GET', '/tokens', admin)).text.match(/"id":"([0-9a-f]{16})","name":"revoked"/)?.[1];
    expect((await call(server, 'DELETE', `/tokens/${revokedId}`, admin)).status).toBe(200);

    const joined = await call(server, 'POST', '/clusters', { ...admin, body: { kubeconfig: kubeconfig(), labels: { region: 'beijing' } } });
    expect(joined.status).toBe(201);
    const beijing2 = await readFile(kubeconfigPaths['beijing-2']!, 'utf8');
    expect((await call(server, 'POST', '/clusters', { ...admin, body: { kubeconfig: beijing2 } })).status).toBe(201);
    expect((await call(server, 'POST', '/clusters/beijing-2/namespaces', { ...admin, body: { creatableNamespaces: ['team-a'] } })).status).toBe(200);
    // Discovery answers as the applier records them (no applier runs here), dated ahead so they stay fresh for the table.
    const record = (await server.store.clusters.get('beijing-1'))!;
    const at = '2100-01-01T00:00:00.000Z';
    const kinds = { 'example.com/v1/Gizmo': { scope: 'cluster' as const, at }, 'example.com/v1/Ghost': { scope: 'absent' as const, at } };
    await server.store.clusters.replace({ ...record, discovery: { credentialVersion: record.credentialVersion, kinds } }, record.version);
    expect((await call(server, 'POST', '/applications', { ...admin, body: basicYaml, contentType: 'application/yaml' })).status).toBe(202);
    const leaving = basicWith(['namespace: default', 'namespace: team-a'], ['name: example-app', 'name: leaving']);
    expect((await call(server, 'POST', '/applications', { ...admin, body: leaving, contentType: 'application/yaml' })).status).toBe(202);
    expect((await call(server, 'DELETE', '/namespaces/team-a/applications/leaving', admin)).status).toBe(202);
    // What a finished deploy would have left: objects of example-app in beijing-2, so detach and rename are refused.
    await server.store.inventories.record({
      namespace: 'default',
      application: 'example-app',
      revision: 1,
      cluster: 'beijing-2',
      resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'hello-world-server', component: 'hello-world-server' }],
      recordedAt: new Date().toISOString(),
      version: 1,
    });
    await purgeQueue(server.clients.sqs, server.plannerQueueUrl);
  });
  afterAll(async () => server?.close());

  test('the fixtures are in the store the cases compare against', async () => {
    const snapshot = await tableSnapshot(server.clients.dynamodb, server.tableName);
    for (const key of ['CLUSTER#beijing-1', 'CLUSTER#beijing-2', 'APP#example-app', 'APP#leaving', 'INVENTORY#beijing-2', 'TOKEN#']) expect(snapshot).toContain(key);
  });

  test('the table has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  test.each([...cases, ...endpointCases])('$name: $status $code', async (bad) => {
    const before = await tableSnapshot(server.clients.dynamodb, server.tableName);
    const as = bad.as ?? 'admin';
    const answer = await call(server, bad.method, bad.path, {
      token: as === 'none' ? undefined : tokens[as],
      headers: bad.headers,
      body: bad.body?.(),
      contentType: bad.contentType,
    });

    expect({ status: answer.status, body: answer.json }).toMatchObject({ status: bad.status, body: { error: { code: bad.code } } });
    const { error } = ErrorBody.parse(answer.json);
    expect(error.message).toMatch(bad.message);
    // The one error shape and nothing else: no stack, no echo of the request.
    expect(Object.keys(answer.json as object)).toEqual(['error']);
    expect(Object.keys(error).sort()).toEqual(['code', 'details', 'message']);
    expect(answer.text).not.toMatch(/\n\s+at |BEGIN|flt_/);
    if (bad.paths !== undefined) expect(error.details.map((detail) => detail.path)).toEqual(bad.paths);
    if (bad.code === 'validation_failed') expect(error.details.length).toBeGreaterThan(0);
    if (bad.header !== undefined) expect(answer.headers.get(bad.header[0])).toBe(bad.header[1]);

    expect(await tableSnapshot(server.clients.dynamodb, server.tableName)).toBe(before);
    expect(await drainQueue(server.clients.sqs, server.plannerQueueUrl)).toEqual([]);
  });

  // The API under test runs as in local mode (loopback allowed), so the AWS setting is exercised through the registry.
  test.each(['https://[::ffff:127.0.0.1]:6443', 'https://127.0.0.1:6443', 'https://[::1]:6443'])('%s on the AWS setting (no loopback): refused, nothing stored', async (endpoint) => {
    const aws = { allowLoopback: false, allow: [] };
    const unused: CredentialCipher = new Proxy({} as CredentialCipher, { get: () => () => Promise.reject(new Error('nothing may be sealed')) });
    const registry = new ClusterRegistry({ clusters: server.store.clusters, inventories: server.store.inventories, cipher: unused, reach: (c) => reachCluster(c, { policy: aws }), endpointPolicy: aws });
    const before = await tableSnapshot(server.clients.dynamodb, server.tableName);
    const refused = await registry.join({ name: 'mapped-1', kubeconfig: kubeconfig((c) => (cluster(c).server = endpoint)) }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).details).toEqual([
      { path: 'kubeconfig.clusters[0].cluster.server', message: expect.stringMatching(/^refused by the cluster endpoint policy: .+ is a loopback address, which this deployment does not allow \(CLUSTER_ENDPOINT_ALLOW_LOOPBACK\)$/) },
    ]);
    expect(await tableSnapshot(server.clients.dynamodb, server.tableName)).toBe(before);
  });
});

