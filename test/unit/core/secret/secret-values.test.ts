import { describe, expect, it } from 'vitest';
import {
  extractSecretValues,
  redactSecretValues,
  redactedSecretPointers,
  redactedSecretValue,
  restoreSecretValues,
} from '../../../../lib/core/secret/secret-values.ts';

const secret = (data: Record<string, unknown>, stringData?: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db' },
  type: 'Opaque',
  data,
  ...(stringData ? { stringData } : {}),
});

const application = () => ({
  apiVersion: 'core.oam.dev/v1beta1',
  kind: 'Application',
  metadata: { name: 'shop', namespace: 'team-a' },
  spec: {
    components: [
      { name: 'web', type: 'webservice', properties: { image: 'nginx', env: [{ name: 'data', value: 'not-a-secret' }] } },
      {
        name: 'objects',
        type: 'k8s-objects',
        properties: {
          objects: [
            { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'plain' } },
            secret({ password: 'aHVudGVyMg==', 'tls/key': 'a2V5' }, { 'api~token': 's3cr3t' }),
          ],
        },
      },
    ],
  },
});

describe('Secret values in documents', () => {
  it('takes out every data and stringData value of Secret objects, and nothing else', () => {
    const document = application();
    const { redacted, values } = extractSecretValues(document);
    expect(values).toEqual([
      { pointer: '/spec/components/1/properties/objects/1/data/password', value: 'aHVudGVyMg==' },
      { pointer: '/spec/components/1/properties/objects/1/data/tls~1key', value: 'a2V5' },
      { pointer: '/spec/components/1/properties/objects/1/stringData/api~0token', value: 's3cr3t' },
    ]);
    const objects = redacted.spec.components[1]!.properties.objects as Record<string, any>[];
    expect(objects[1]!.data).toEqual({ password: redactedSecretValue, 'tls/key': redactedSecretValue });
    expect(objects[1]!.stringData).toEqual({ 'api~token': redactedSecretValue });
    // A ConfigMap's data and a field merely called data are left alone, and so is the input.
    expect(objects[0]!.data).toEqual({ mode: 'plain' });
    expect(redacted.spec.components[0]).toEqual(document.spec.components[0]);
    expect(JSON.stringify(document)).toContain('aHVudGVyMg==');
    expect(JSON.stringify(redacted)).not.toMatch(/aHVudGVyMg==|a2V5|s3cr3t/);
  });

  it('finds Secrets at the top of a list of rendered objects and in patches without an apiVersion', () => {
    const rendered = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, secret({ token: 'dG9r' })];
    expect(extractSecretValues(rendered).values).toEqual([{ pointer: '/1/data/token', value: 'dG9r' }]);
    expect(extractSecretValues({ patch: { kind: 'Secret', data: { token: 'x' } } }).values).toEqual([{ pointer: '/patch/data/token', value: 'x' }]);
  });

  it('leaves a kind called Secret of another API group alone', () => {
    const custom = { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 'x' }, data: { keep: 'me' } };
    expect(extractSecretValues(custom).values).toEqual([]);
    expect(redactSecretValues(custom)).toEqual(custom);
  });

  it('puts the values back where they were, in a copy', () => {
    const document = application();
    const { redacted, values } = extractSecretValues(document);
    const restored = restoreSecretValues(redacted, values);
    expect(restored).toEqual(document);
    expect(JSON.stringify(redacted)).not.toContain('s3cr3t');
  });

  it('refuses values that do not fit the document instead of writing them somewhere', () => {
    const { redacted } = extractSecretValues(application());
    expect(() => restoreSecretValues(redacted, [{ pointer: '/spec/components/0/properties/image', value: 'x' }])).toThrow(
      /\/spec\/components\/0\/properties\/image is not a redacted value/,
    );
    expect(() => restoreSecretValues(redacted, [{ pointer: '/spec/nowhere/data/x', value: 'x' }])).toThrow(/not a redacted value/);
  });

  it('points at values that are the redaction marker itself', () => {
    const document = { objects: [secret({ password: redactedSecretValue, user: 'YWRtaW4=' })] };
    expect(redactedSecretPointers(document)).toEqual(['/objects/0/data/password']);
    expect(redactedSecretPointers(application())).toEqual([]);
  });
});

describe('notification and webhook step secrets', () => {
  const withSteps = () => ({
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: 'team-a' },
    spec: {
      components: [{ name: 'web', type: 'webservice', properties: { image: 'nginx' } }],
      workflow: {
        steps: [
          { name: 'deploy', type: 'deploy', properties: { policies: ['p'], url: 'https://not-a-secret.example' } },
          { name: 'tell', type: 'notification', properties: { slack: { url: { value: 'https://hooks.slack.com/services/T/B/token' }, message: { text: 'hi' } }, webhook: { url: 'https://example.com/h', secret: 'sixteen-chars-key' } } },
          { name: 'ctx', type: 'webhook', properties: { url: 'https://example.com/ctx' } },
        ],
      },
    },
  });

  it('takes out Slack and webhook URLs and HMAC keys, leaving the rest, and puts them back', () => {
    const document = withSteps();
    const { redacted, values } = extractSecretValues(document);
    expect(values).toEqual([
      { pointer: '/spec/workflow/steps/1/properties/slack/url', value: { value: 'https://hooks.slack.com/services/T/B/token' } },
      { pointer: '/spec/workflow/steps/1/properties/webhook/url', value: 'https://example.com/h' },
      { pointer: '/spec/workflow/steps/1/properties/webhook/secret', value: 'sixteen-chars-key' },
      { pointer: '/spec/workflow/steps/2/properties/url', value: 'https://example.com/ctx' },
    ]);
    const steps = redacted.spec.workflow.steps;
    expect(steps[0]!.properties).toEqual(document.spec.workflow.steps[0]!.properties);
    expect(steps[1]!.properties).toEqual({ slack: { url: redactedSecretValue, message: { text: 'hi' } }, webhook: { url: redactedSecretValue, secret: redactedSecretValue } });
    expect(JSON.stringify(redactSecretValues(document))).not.toMatch(/token|sixteen|example\.com\/(h|ctx)/);
    expect(restoreSecretValues(redacted, values)).toEqual(document);
    // The input is untouched.
    expect(document).toEqual(withSteps());
  });

  it('finds the marker submitted back as a step secret', () => {
    const document = withSteps();
    document.spec.workflow.steps[2]!.properties = { url: redactedSecretValue };
    expect(redactedSecretPointers(document)).toEqual(['/spec/workflow/steps/2/properties/url']);
  });
});
