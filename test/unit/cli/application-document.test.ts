import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prepareApplication } from '../../../cli/application-document.ts';
import { UsageError } from '../../../cli/usage-error.ts';
import { fixtureText, thrown } from '../support/builders.ts';

const basic = fixtureText('seed/basic.yaml');
const unnamed = 'apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: shop\nspec:\n  components:\n    - name: web\n      type: webservice\n';

describe('prepareApplication', () => {
  it('sends a document that names its namespace as it is, and finds the component names', () => {
    expect(prepareApplication(basic, { namespace: 'team-a', explicit: false })).toEqual({ text: basic, contentType: 'application/yaml', components: ['hello-world-server'] });
    expect(prepareApplication(basic, { namespace: 'default', explicit: true }).text).toBe(basic);
  });

  it('fills in a namespace other than default where none is named', () => {
    expect(prepareApplication(unnamed, { namespace: 'default', explicit: true }).text).toBe(unnamed);
    const prepared = prepareApplication(unnamed, { namespace: 'team-a', explicit: false });
    expect(parse(prepared.text)).toEqual({ ...parse(unnamed), metadata: { name: 'shop', namespace: 'team-a' } });
  });

  it('turns JSON it had to change into YAML, and leaves JSON it did not change as JSON', () => {
    const json = JSON.stringify({ apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: 'shop' }, spec: { components: [{ name: 'web', type: 'webservice' }] } });
    expect(prepareApplication(json, { namespace: 'default', explicit: false })).toEqual({ text: json, contentType: 'application/json', components: ['web'] });
    const changed = prepareApplication(`  ${json}`, { namespace: 'team-a', explicit: false });
    expect(changed.contentType).toBe('application/yaml');
    expect(parse(changed.text)).toMatchObject({ metadata: { name: 'shop', namespace: 'team-a' } });
  });

  it('sends what it cannot read as it is, for the API to explain', () => {
    for (const text of ['a: [', '- 1', 'metadata: 5\nspec: {}', '---\na: 1\n---\nb: 2\n']) {
      expect(prepareApplication(text, { namespace: 'team-a', explicit: true })).toMatchObject({ text, components: [] });
    }
  });

  it('refuses -n naming another namespace than the document', () => {
    const error = thrown(() => prepareApplication(basic, { namespace: 'team-a', explicit: true }));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe("the Application's metadata.namespace is default, not team-a as -n says; drop -n or change the file");
  });
});
