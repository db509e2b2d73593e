import { describe, expect, it } from 'vitest';
import { applicationFromObject, parseApplication } from '../../../../lib/core/admission/parse-application.ts';
import { ValidationError, type ValidationIssue } from '../../../../lib/core/errors/validation-error.ts';
import { appObject, fixtureText, thrown } from '../../support/builders.ts';

function issuesOf(value: unknown): ValidationIssue[] {
  const error = thrown(() => applicationFromObject(value));
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).details;
}

const web = (extra: Record<string, unknown> = {}) => ({ name: 'web', type: 'webservice', properties: { image: 'nginx' }, ...extra });
const topology = (name = 'everywhere', properties: Record<string, unknown> = { clusters: ['beijing-1'] }) => ({ name, type: 'topology', properties });
const override = (name: string, properties: Record<string, unknown>) => ({ name, type: 'override', properties });

describe('parseApplication', () => {
  it.each(['basic', 'intermediate', 'advanced'])('reads the seed %s.yaml', (name) => {
    const app = parseApplication(fixtureText(`seed/${name}.yaml`));
    expect(app.metadata).toEqual({ name: 'example-app', namespace: 'default' });
    expect(app.spec.components.map((component) => component.name)).toEqual(['hello-world-server']);
  });

  it('reads JSON as well as YAML', () => {
    const app = parseApplication(JSON.stringify(appObject()));
    expect(app.spec.components[0]?.type).toBe('webservice');
  });

  it('defaults the namespace to default and keeps labels and annotations, publishVersion included', () => {
    const app = applicationFromObject(
      appObject({}, { namespace: undefined, labels: { team: 'shop' }, annotations: { 'app.oam.dev/publishVersion': 'v7' }, uid: 'dropped' }),
    );
    expect(app.metadata).toEqual({ name: 'shop', namespace: 'default', labels: { team: 'shop' }, annotations: { 'app.oam.dev/publishVersion': 'v7' } });
  });

  it('drops a status block, as from kubectl get -o yaml', () => {
    expect(applicationFromObject({ ...appObject(), status: { phase: 'running' } })).not.toHaveProperty('status');
  });
});

describe('applicationFromObject reports every problem with its path', () => {
  const dns = "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
  it.each<[string, unknown, ValidationIssue]>([
    ['a wrong apiVersion', { ...appObject(), apiVersion: 'core.oam.dev/v1alpha2' }, { path: 'apiVersion', message: 'expected "core.oam.dev/v1beta1"' }],
    ['a wrong kind', { ...appObject(), kind: 'Deployment' }, { path: 'kind', message: 'expected "Application"' }],
    ['an app name that is not DNS-1123', appObject({}, { name: 'Shop_1' }), { path: 'metadata.name', message: `application name ${dns}` }],
    ['a namespace that is not DNS-1123', appObject({}, { namespace: '-x' }), { path: 'metadata.namespace', message: `namespace ${dns}` }],
    ['a component name over 63 characters', appObject({ components: [web({ name: 'a'.repeat(64) })] }), { path: 'spec.components[0].name', message: 'component name must be at most 63 characters long (DNS-1123 label)' }],
    ['no components', appObject({ components: [] }), { path: 'spec.components', message: 'must list at least 1 item' }],
    ['a component without type', appObject({ components: [{ name: 'web' }] }), { path: 'spec.components[0].type', message: 'is required' }],
    ['a misspelt component field', appObject({ components: [web({ trait: [] })] }), { path: 'spec.components[0].trait', message: 'unknown field' }],
    [
      'a replica count that is not a number',
      appObject({ components: [web({ traits: [{ type: 'gateway', properties: { domain: 'a.example.com', http: { '/': 80 } } }, { type: 'scaler', properties: { replicas: 'three' } }] })] }),
      { path: 'spec.components[0].traits[1].properties.replicas', message: 'expected a number' },
    ],
    ['a webservice without image', appObject({ components: [{ name: 'web', type: 'webservice', properties: {} }] }), { path: 'spec.components[0].properties.image', message: 'is required' }],
    ['an unknown webservice property', appObject({ components: [web({ properties: { image: 'nginx', imag: 'x' } })] }), { path: 'spec.components[0].properties.imag', message: 'unknown field' }],
    ['an unknown component type', appObject({ components: [{ name: 'web', type: 'webservise' }] }), { path: 'spec.components[0].type', message: 'unknown component type "webservise"; known types: k8s-objects, webservice, worker' }],
    ['an unknown trait type', appObject({ components: [web({ traits: [{ type: 'ingress' }] })] }), { path: 'spec.components[0].traits[0].type', message: 'unknown trait type "ingress"; known types: annotations, gateway, labels, scaler' }],
    ['two traits of one type', appObject({ components: [web({ traits: [{ type: 'scaler' }, { type: 'scaler' }] })] }), { path: 'spec.components[0].traits[1].type', message: 'trait type "scaler" is already used by traits[0]; a component has at most one trait of each type' }],
    ['two components with one name', appObject({ components: [web(), web()] }), { path: 'spec.components[1].name', message: 'component name web is already used by spec.components[0]' }],
    ['a dependency on a missing component', appObject({ components: [web({ dependsOn: ['db'] })] }), { path: 'spec.components[0].dependsOn[0]', message: 'component db not found' }],
    ['a component depending on itself', appObject({ components: [web({ dependsOn: ['web'] })] }), { path: 'spec.components[0].dependsOn[0]', message: 'a component cannot depend on itself' }],
    [
      'components depending on each other',
      appObject({ components: [web({ dependsOn: ['api'] }), { name: 'api', type: 'worker', properties: { image: 'api' }, dependsOn: ['web'] }] }),
      { path: 'spec.components', message: 'components depend on each other in a cycle: web -> api -> web' },
    ],
    ['an unknown policy type', appObject({ policies: [topology(), { name: 'gc', type: 'garbage-collect' }] }), { path: 'spec.policies[1].type', message: 'unknown policy type "garbage-collect"; known types: override, topology' }],
    ['two policies with one name', appObject({ policies: [topology(), topology()] }), { path: 'spec.policies[1].name', message: 'policy name everywhere is already used by spec.policies[0]' }],
    [
      'the reserved cluster name local',
      appObject({ policies: [topology('here', { clusters: ['beijing-1', 'local'] })] }),
      { path: 'spec.policies[0].properties.clusters[1]', message: 'the cluster name "local" is reserved: in KubeVela it means the control plane, and Flotilla\'s control plane is not a Kubernetes cluster' },
    ],
    [
      'a topology with neither clusters nor selector',
      appObject({ policies: [topology('here', { namespace: 'prod' })] }),
      { path: 'spec.policies[0].properties', message: 'a topology needs clusters or clusterLabelSelector; without them KubeVela deploys to its local cluster, which Flotilla does not have' },
    ],
    [
      'the deprecated clusterSelector',
      appObject({ policies: [topology('here', { clusters: ['a'], clusterSelector: { provider: 'AWS' } })] }),
      { path: 'spec.policies[0].properties.clusterSelector', message: 'clusterSelector is a deprecated spelling that KubeVela ignores unless its DeprecatedPolicySpec feature gate is on; use clusterLabelSelector' },
    ],
    ['a label selector value that is not a string', appObject({ policies: [topology('here', { clusterLabelSelector: { tier: 1 } })] }), { path: 'spec.policies[0].properties.clusterLabelSelector.tier', message: 'expected a string' }],
    [
      'an In expression without values',
      appObject({ policies: [topology('here', { clusterLabelSelector: { matchExpressions: [{ key: 'provider', operator: 'In' }] } })] }),
      { path: 'spec.policies[0].properties.clusterLabelSelector.matchExpressions[0].values', message: 'operator In needs at least one value' },
    ],
    [
      'an override entry of an unknown type',
      appObject({ policies: [topology(), override('o', { components: [{ type: 'webservise' }] })] }),
      { path: 'spec.policies[1].properties.components[0].type', message: 'unknown component type "webservise"; known types: k8s-objects, webservice, worker' },
    ],
    [
      'an override trait of an unknown type',
      appObject({ policies: [topology(), override('o', { components: [{ traits: [{ type: 'hpa' }] }] })] }),
      { path: 'spec.policies[1].properties.components[0].traits[0].type', message: 'unknown trait type "hpa"; known types: annotations, gateway, labels, scaler' },
    ],
    [
      'an override name that is not a regular expression',
      appObject({ policies: [topology(), override('o', { components: [{ name: 'web(' }] })] }),
      { path: 'spec.policies[1].properties.components[0].name', message: expect.stringContaining('not a valid regular expression') as unknown as string },
    ],
    [
      'an override entry scoped both ways',
      appObject({ policies: [topology(), override('o', { components: [{ clusters: ['a'], clusterLabelSelector: { x: 'y' } }] })] }),
      { path: 'spec.policies[1].properties.components[0].clusterLabelSelector', message: 'set clusters or clusterLabelSelector on an override entry, not both' },
    ],
    ['an override without components', appObject({ policies: [topology(), override('o', {})] }), { path: 'spec.policies[1].properties.components', message: 'is required' }],
    [
      'no workflow and no topology',
      appObject({ policies: [] }),
      {
        path: 'spec.policies',
        message:
          'the application declares no workflow steps and no topology policy; KubeVela would deploy it to its local cluster, which Flotilla does not have: add a topology policy naming the target clusters',
      },
    ],
    ['an unknown step type', appObject({ workflow: { steps: [{ name: 'notify', type: 'apply-object' }] } }), { path: 'spec.workflow.steps[0].type', message: 'unknown step type "apply-object"; known types: deploy, suspend, notification, webhook' }],
    [
      'an if the engine does not evaluate',
      appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere'] } }, { name: 'tell', type: 'webhook', if: 'inputs.x == "y"', properties: { url: 'https://example.com/hook' } }] } }),
      { path: 'spec.workflow.steps[1].if', message: 'unsupported condition "inputs.x == \\"y\\"": Flotilla evaluates `always`, `status.<step>.failed` or `status.<step>.succeeded`' },
    ],
    [
      'an if naming a missing step',
      appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere'] } }, { name: 'tell', type: 'webhook', if: 'status.deploy.failed', properties: { url: 'https://example.com/hook' } }] } }),
      { path: 'spec.workflow.steps[1].if', message: 'step deploy not found' },
    ],
    [
      'an if reading a later step',
      appObject({ workflow: { steps: [{ name: 'tell', type: 'webhook', if: 'status.go.failed', properties: { url: 'https://example.com/hook' } }, { name: 'go', type: 'deploy', properties: { policies: ['everywhere'] } }] } }),
      { path: 'spec.workflow.steps[0].if', message: 'step go runs after this one: a condition can only read steps that run before it' },
    ],
    [
      'a webhook step whose url is not http',
      appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere'] } }, { name: 'tell', type: 'webhook', properties: { url: 'ftp://example.com/hook' } }] } }),
      { path: 'spec.workflow.steps[1].properties.url', message: 'expected an http or https URL' },
    ],
    [
      'a notification step with neither slack nor webhook',
      appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere'] } }, { name: 'tell', type: 'notification', properties: {} }] } }),
      { path: 'spec.workflow.steps[1].properties', message: 'a notification step needs `slack` or `webhook`' },
    ],
    [
      'a notification step with KubeVela\'s email channel',
      appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere'] } }, { name: 'tell', type: 'notification', properties: { email: { from: {} }, slack: { url: 'https://hooks.slack.com/services/x' } } }] } }),
      { path: 'spec.workflow.steps[1].properties.email', message: 'unknown field' },
    ],
    [
      'a webhook signing key that is too short',
      appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere'] } }, { name: 'tell', type: 'notification', properties: { webhook: { url: 'https://example.com/h', secret: 'short' } } }] } }),
      { path: 'spec.workflow.steps[1].properties.webhook.secret', message: 'expected at least 16 characters' },
    ],
    ['a deploy step naming a missing policy', appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere', 'nope'] } }] } }), { path: 'spec.workflow.steps[0].properties.policies[1]', message: 'policy nope not found' }],
    [
      'a deploy step without topology',
      appObject({ policies: [topology(), override('o', { components: [] })], workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['o'] } }] } }),
      {
        path: 'spec.workflow.steps[0].properties.policies',
        message: 'a deploy step needs at least one topology policy: without one KubeVela deploys to its local cluster, and Flotilla has no local cluster (its control plane is not a Kubernetes cluster)',
      },
    ],
    ['a parallelism of zero', appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere'], parallelism: 0 } }] } }), { path: 'spec.workflow.steps[0].properties.parallelism', message: 'expected a whole number of clusters from 1 to 10000' }],
    ['a parallelism that is not whole', appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere'], parallelism: 1.5 } }] } }), { path: 'spec.workflow.steps[0].properties.parallelism', message: 'expected a whole number of clusters from 1 to 10000' }],
    ['a parallelism given as text', appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere'], parallelism: '2' } }] } }), { path: 'spec.workflow.steps[0].properties.parallelism', message: 'expected a whole number of clusters from 1 to 10000' }],
    ['a parallelism over MAX_PARALLELISM', appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere'], parallelism: 10001 } }] } }), { path: 'spec.workflow.steps[0].properties.parallelism', message: 'expected a whole number of clusters from 1 to 10000 (MAX_PARALLELISM)' }],
    ['a timeout that is not a Go duration', appObject({ workflow: { steps: [{ name: 'go', type: 'deploy', properties: { policies: ['everywhere'] }, timeout: '5 minutes' }] } }), { path: 'spec.workflow.steps[0].timeout', message: 'expected a Go duration such as 30s, 5m or 1h30m' }],
    ['a suspend duration that is not a Go duration', appObject({ workflow: { steps: [{ name: 'wait', type: 'suspend', properties: { duration: '1d' } }] } }), { path: 'spec.workflow.steps[0].properties.duration', message: 'expected a Go duration such as 30s, 5m or 1h30m' }],
    [
      'two steps with one name',
      appObject({ workflow: { steps: [{ name: 'wait', type: 'suspend' }, { name: 'wait', type: 'suspend' }] } }),
      { path: 'spec.workflow.steps[1].name', message: 'step name wait is already used by spec.workflow.steps[0]' },
    ],
    [
      'a step named like the approval another needs',
      appObject({ workflow: { steps: [{ name: 'manual-approve-go', type: 'deploy', properties: { policies: ['everywhere'] } }, { name: 'go', type: 'deploy', properties: { policies: ['everywhere'], auto: false } }] } }),
      { path: 'spec.workflow.steps[1].properties.auto.name', message: 'step name manual-approve-go is already used by spec.workflow.steps[0]' },
    ],
    ['a step depending on a missing step', appObject({ workflow: { steps: [{ name: 'wait', type: 'suspend', dependsOn: ['nope'] }] } }), { path: 'spec.workflow.steps[0].dependsOn[0]', message: 'step nope not found' }],
    ['a step depending on itself', appObject({ workflow: { steps: [{ name: 'wait', type: 'suspend', dependsOn: ['wait'] }] } }), { path: 'spec.workflow.steps[0].dependsOn[0]', message: 'a step cannot depend on itself' }],
    [
      'a step depending on a later one',
      appObject({ workflow: { steps: [{ name: 'first', type: 'suspend', dependsOn: ['second'] }, { name: 'second', type: 'suspend' }] } }),
      { path: 'spec.workflow.steps[0].dependsOn[0]', message: 'step second runs after this one: declared steps run one after another, in order' },
    ],
    ['workflow.mode, a later KubeVela field', appObject({ workflow: { mode: { steps: 'DAG' }, steps: [] } }), { path: 'spec.workflow.mode', message: 'unknown field' }],
    [
      'an override that breaks a component',
      appObject({ policies: [topology(), override('break', { components: [{ traits: [{ type: 'scaler', properties: { replicas: -1 } }] }] })] }),
      { path: 'spec.components[0].traits[0].properties.replicas', message: 'must be at least 0 (in step deploy-everywhere, after override policies break)' },
    ],
    [
      'an override adding a component without type',
      appObject({ policies: [topology(), override('add', { components: [{ name: 'cache', properties: { image: 'redis' } }] })] }),
      { path: 'spec.policies[1].properties.components[0].type', message: 'no component is named cache, so this entry adds one, and a new component needs a type' },
    ],
    [
      'an override adding a component that does not fit its type',
      appObject({ policies: [topology(), override('add', { components: [{ name: 'cache', type: 'worker' }] })] }),
      { path: 'spec.policies[0]', message: 'component cache (added by an override) in step deploy-everywhere, after override policies add: properties.image: is required' },
    ],
    [
      'two objects with the same identity',
      appObject({ components: [web({ properties: { image: 'nginx', ports: [{ port: 80, expose: true }] }, traits: [{ type: 'gateway', properties: { domain: 'a.example.com', http: { '/': 80 } } }] })] }),
      { path: 'spec.policies[0]', message: 'Service default/web is rendered twice in step deploy-everywhere, by component web' },
    ],
  ])('%s', (_name, value, issue) => {
    expect(issuesOf(value)).toEqual([issue]);
  });

  it('reports every structural problem at once', () => {
    const issues = issuesOf(appObject({ components: [{ name: 'Web' }] }, { name: 'Shop' }));
    expect(issues.map((issue) => issue.path)).toEqual(['metadata.name', 'spec.components[0].name', 'spec.components[0].type']);
  });

  it('then every problem of meaning at once', () => {
    const issues = issuesOf(appObject({ components: [{ name: 'web', type: 'webservice', properties: {} }], policies: [topology('here', { clusters: ['local'] })] }));
    expect(issues.map((issue) => issue.path)).toEqual(['spec.components[0].properties.image', 'spec.policies[0].properties.clusters[0]']);
  });

  it.each([null, 'text', 42, [], { apiVersion: 'core.oam.dev/v1beta1' }])('refuses %j with a ValidationError', (value) => {
    expect(issuesOf(value).length).toBeGreaterThan(0);
  });
});
