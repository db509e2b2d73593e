import { describe, expect, it } from 'vitest';
import { componentDefinition, componentTypes, findTraitDefinition, traitDefinition, traitTypes } from '../../../../lib/core/definitions/registry.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { thrown } from '../../support/builders.ts';

describe('definition registry', () => {
  it('holds the built-in component and trait types', () => {
    expect(componentTypes()).toEqual(['k8s-objects', 'webservice', 'worker']);
    expect(traitTypes()).toEqual(['annotations', 'gateway', 'labels', 'scaler']);
    expect(componentDefinition('webservice').type).toBe('webservice');
    expect(findTraitDefinition('hpa')).toBeUndefined();
  });

  it.each([
    [() => componentDefinition('helm', 'spec.components[2].type'), 'spec.components[2].type', 'unknown component type "helm"; known types: k8s-objects, webservice, worker'],
    [() => traitDefinition('sidecar'), 'type', 'unknown trait type "sidecar"; known types: annotations, gateway, labels, scaler'],
  ])('names the known types when a type is unknown', (lookup, path, message) => {
    const error = thrown(lookup);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([{ path, message }]);
  });
});
