import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicationFromObject, parseApplication } from '../../../../lib/core/admission/parse-application.ts';
import { ValidationError } from '../../../../lib/core/errors/validation-error.ts';
import { appObject, fixtureText } from '../../support/builders.ts';

/** The parser's contract: it returns an Application or throws a ValidationError, and nothing else, whatever it is given. */
function onlyValidationErrors(read: () => unknown): boolean {
  try {
    read();
    return true;
  } catch (error) {
    if (error instanceof ValidationError && error.details.length > 0) return true;
    throw error;
  }
}

const seeds = ['basic', 'intermediate', 'advanced'].map((name) => fixtureText(`seed/${name}.yaml`));

// Pieces of YAML and of Applications, so random texts reach the structural and semantic checks, not only the tokenizer.
const yamlPiece = fc.constantFrom(
  'apiVersion: core.oam.dev/v1beta1\n', 'kind: Application\n', 'metadata:\n', '  name: shop\n', 'spec:\n', '  components:\n',
  '    - name: web\n', '      type: webservice\n', '      properties:\n', '        image: nginx\n', '  policies:\n',
  '    - type: topology\n', '      name: all\n', '      properties:\n', '        clusters: [a, local]\n', '  workflow:\n',
  '    steps:\n', '- ', ': ', '  ', '\n', '&a ', '*a', '!!str ', '!x ', '[', ']', '{', '}', ',', '"', "'", '#', '---\n', '? ',
  '|\n', '>-\n', '0x1F', '.inf', '~', 'null', 'true', '1e999', '\t', '\\', '\u0000', '%YAML 1.2\n', '<<: ',
);

/** Replaces a random character range of `text` with `insert`. */
const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat({ max: 40 }), fc.string({ unit: 'binary-ascii', maxLength: 12 }))
  .map(([text, at, length, insert]) => {
    const start = at % (text.length + 1);
    return text.slice(0, start) + insert + text.slice(start + length);
  });

/** A valid Application object with one field, at a random depth, replaced by arbitrary data. */
const objectWithAnythingSomewhere = fc
  .tuple(fc.array(fc.constantFrom('spec', 'components', 0, 'properties', 'traits', 'policies', 'metadata', 'name', 'type', 'workflow', 'steps', 'image'), { minLength: 1, maxLength: 5 }), fc.anything({ withMap: true, withSet: true, withDate: true, withNullPrototype: true, withBigInt: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }))
  .map(([path, value]) => {
    const root: Record<string | number, unknown> = appObject();
    let node: Record<string | number, unknown> = root;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (next === null || typeof next !== 'object') break;
      node = next as Record<string | number, unknown>;
    }
    node[path.at(-1) ?? 'spec'] = value;
    return root;
  });

describe('the Application parser, on arbitrary input', () => {
  it('throws nothing but a ValidationError for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => onlyValidationErrors(() => parseApplication(text))), { numRuns: 500 });
  });

  it('throws nothing but a ValidationError for texts built from YAML and Application pieces', () => {
    fc.assert(fc.property(fc.array(yamlPiece, { maxLength: 60 }).map((pieces) => pieces.join('')), (text) => onlyValidationErrors(() => parseApplication(text))), { numRuns: 500 });
  });

  it('throws nothing but a ValidationError for the seed files with random damage', () => {
    fc.assert(fc.property(mutated, (text) => onlyValidationErrors(() => parseApplication(text))), { numRuns: 500 });
  });

  it('throws nothing but a ValidationError for any JSON document, in either format', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('json' as const, 'yaml' as const, undefined), (value, format) => onlyValidationErrors(() => parseApplication(JSON.stringify(value) ?? 'null', format))),
      { numRuns: 300 },
    );
  });

  it('throws nothing but a ValidationError for an Application with arbitrary data anywhere', () => {
    fc.assert(fc.property(objectWithAnythingSomewhere, (value) => onlyValidationErrors(() => applicationFromObject(value))), { numRuns: 500 });
  });

  it('still reads the seed files undamaged (the property above is not vacuous)', () => {
    for (const text of seeds) expect(onlyValidationErrors(() => parseApplication(text))).toBe(true);
    expect(parseApplication(seeds[0] ?? '').metadata.name).toBe('example-app');
  });
});
