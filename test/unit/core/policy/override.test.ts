import { describe, expect, it } from 'vitest';
import type { ApplicationComponent } from '../../../../lib/core/application/component.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { applyOverride, OverrideProperties } from '../../../../lib/core/policy/override.ts';
import { thrown } from '../../support/builders.ts';

const components: ApplicationComponent[] = [
  { name: 'web', type: 'webservice', properties: { image: 'web:1', port: 80 }, traits: [{ type: 'scaler', properties: { replicas: 1 } }, { type: 'labels', properties: { tier: 'front' } }] },
  { name: 'web-admin', type: 'webservice', properties: { image: 'admin:1' } },
  { name: 'queue', type: 'worker', properties: { image: 'queue:1' } },
];

const override = (properties: Record<string, unknown>, cluster?: { name: string; labels: Record<string, string> }) =>
  applyOverride(components, OverrideProperties.parse(properties), cluster);
const byName = (result: ApplicationComponent[]) => Object.fromEntries(result.map((component) => [component.name, component]));

describe('override: which components an entry reaches', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['no name and no type: every component', { properties: { cpu: '1' } }, ['web', 'web-admin', 'queue']],
    ['no name, a type: every component of that type (the blog’s case)', { type: 'webservice', properties: { cpu: '1' } }, ['web', 'web-admin']],
    ['a name: that component only, anchored (web does not reach web-admin)', { name: 'web', properties: { cpu: '1' } }, ['web']],
    ['a name with *: every component the pattern matches', { name: 'web*', properties: { cpu: '1' } }, ['web', 'web-admin']],
    ['a regular expression', { name: 'web|queue', properties: { cpu: '1' } }, ['web', 'queue']],
    ['a name and the same type', { name: 'web', type: 'webservice', properties: { cpu: '1' } }, ['web']],
  ])('%s', (_name, entry, reached) => {
    const result = byName(override({ components: [entry] }));
    for (const component of components) {
      expect(result[component.name]?.properties?.cpu).toBe(reached.includes(component.name) ? '1' : undefined);
    }
  });

  it('replaces a matched component whose type differs from the entry’s, keeping its name and place', () => {
    const result = override({ components: [{ name: 'queue', type: 'webservice', properties: { image: 'api:2' }, traits: [{ type: 'scaler', properties: { replicas: 2 } }, { type: 'labels', disable: true }] }] });
    expect(result.map((component) => component.name)).toEqual(['web', 'web-admin', 'queue']);
    expect(result[2]).toEqual({ name: 'queue', type: 'webservice', properties: { image: 'api:2' }, traits: [{ type: 'scaler', properties: { replicas: 2 } }] });
  });

  it('adds a component when a plain name matches nothing, after the existing ones', () => {
    const result = override({ components: [{ name: 'cache', type: 'worker', properties: { image: 'redis' } }] });
    expect(result.map((component) => component.name)).toEqual(['web', 'web-admin', 'queue', 'cache']);
    expect(result[3]).toEqual({ name: 'cache', type: 'worker', properties: { image: 'redis' }, traits: [] });
  });

  it('adds nothing for a pattern that matches nothing', () => {
    expect(override({ components: [{ name: 'cache-*', type: 'worker', properties: { image: 'redis' } }] })).toEqual(components);
  });

  it('refuses to add a component without a type', () => {
    const error = thrown(() => override({ components: [{ name: 'web' }, { name: 'cache', properties: { image: 'redis' } }] }));
    expect((error as ValidationError).details).toEqual([{ path: 'components[1].type', message: 'no component is named cache, so this entry adds one, and a new component needs a type' }]);
  });

  it('applies entries in order, each to the result of the ones before', () => {
    const result = byName(override({ components: [{ type: 'webservice', properties: { image: 'all:2' } }, { name: 'web', properties: { image: 'web:3' } }] }));
    expect(result.web?.properties?.image).toBe('web:3');
    expect(result['web-admin']?.properties?.image).toBe('all:2');
  });
});

describe('override: properties and traits', () => {
  it('merges properties with KubeVela’s rules: maps merged, lists and scalars replaced, falsy values kept', () => {
    const base: ApplicationComponent[] = [{ name: 'web', type: 'webservice', properties: { image: 'a', env: [{ name: 'A' }], labels: { a: '1', b: '2' }, port: 80 } }];
    const [result] = applyOverride(base, OverrideProperties.parse({ components: [{ properties: { env: [{ name: 'B' }], labels: { b: '3' }, port: 0, image: '' } }] }));
    expect(result?.properties).toEqual({ image: '', env: [{ name: 'B' }], labels: { a: '1', b: '3' }, port: 0 });
  });

  it('patches a trait of the same type, merging its properties', () => {
    const [web] = override({ components: [{ name: 'web', traits: [{ type: 'scaler', properties: { replicas: 5 } }] }] });
    expect(web?.traits).toEqual([{ type: 'scaler', properties: { replicas: 5 } }, { type: 'labels', properties: { tier: 'front' } }]);
  });

  it('appends a trait of a new type after the existing ones, in their order', () => {
    const [web] = override({ components: [{ name: 'web', traits: [{ type: 'annotations', properties: { note: 'x' } }] }] });
    expect(web?.traits?.map((trait) => trait.type)).toEqual(['scaler', 'labels', 'annotations']);
  });

  it('removes a trait with disable: true', () => {
    const [web] = override({ components: [{ name: 'web', traits: [{ type: 'scaler', disable: true }] }] });
    expect(web?.traits).toEqual([{ type: 'labels', properties: { tier: 'front' } }]);
  });

  it('does nothing when disabling a trait the component does not have', () => {
    const [web] = override({ components: [{ name: 'web', traits: [{ type: 'gateway', disable: true }] }] });
    expect(web?.traits).toEqual(components[0]?.traits);
  });

  it('leaves properties and traits alone when the entry has none', () => {
    expect(override({ components: [{ name: 'web' }] })).toEqual(components);
  });

  it('modifies none of its inputs', () => {
    const before = structuredClone(components);
    const result = override({ components: [{ properties: { cpu: '1' }, traits: [{ type: 'scaler', properties: { replicas: 9 } }] }] });
    (result[0]?.traits?.[0]?.properties as Record<string, unknown>).replicas = 10;
    expect(components).toEqual(before);
  });
});

describe('override: selector', () => {
  it('keeps only the selected components after patching, in their order', () => {
    const result = override({ components: [{ name: 'cache', type: 'worker', properties: { image: 'redis' } }], selector: ['cache', 'web'] });
    expect(result.map((component) => component.name)).toEqual(['web', 'cache']);
  });

  it('keeps nothing with an empty selector (KubeVela filters whenever the list is present)', () => {
    expect(override({ components: [], selector: [] })).toEqual([]);
  });
});

describe('override: entries scoped to clusters (Flotilla extension, kubevela#5735)', () => {
  const entries = {
    components: [
      { name: 'web', clusters: ['us-west-1'], properties: { image: 'west' } },
      { name: 'web-admin', clusterLabelSelector: { provider: 'AWS' }, properties: { image: 'aws' } },
      { name: 'queue', clusterLabelSelector: { matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['cn'] }] }, properties: { image: 'abroad' } },
    ],
  };

  it.each<[string, { name: string; labels: Record<string, string> } | undefined, [string, string, string]]>([
    ['a named cluster with the label', { name: 'us-west-1', labels: { provider: 'AWS', region: 'us' } }, ['west', 'aws', 'abroad']],
    ['another cluster with the label', { name: 'us-east-1', labels: { provider: 'AWS', region: 'us' } }, ['web:1', 'aws', 'abroad']],
    ['a cluster matched by no entry', { name: 'beijing-1', labels: { region: 'cn' } }, ['web:1', 'admin:1', 'queue:1']],
    ['no cluster at all: scoped entries are left out', undefined, ['web:1', 'admin:1', 'queue:1']],
  ])('in %s', (_name, cluster, images) => {
    expect(override(entries, cluster).map((component) => component.properties?.image)).toEqual(images);
  });
});
