// The dependency rule of .dependency-cruiser.cjs, proven on small trees: `npm run deps` (part of `npm test`) applies it
// to the real one, and these cases show that it refuses what it must.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IFlattenedRuleSet } from 'dependency-cruiser';
import { afterEach, describe, expect, it } from 'vitest';

const config = createRequire(import.meta.url)('../../../.dependency-cruiser.cjs') as IFlattenedRuleSet & { rooms: string[] };
const trees: string[] = [];

/** Cruises a tree of one-line modules (`path -> imports`) with the project's rules; answers the violated rule names. */
async function violations(files: Record<string, string[]>): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'flotilla-rooms-'));
  trees.push(root);
  for (const [file, imports] of Object.entries(files)) {
    await mkdir(join(root, dirname(file)), { recursive: true });
    await writeFile(join(root, file), imports.map((target, n) => `import * as m${n} from '${target}';\nvoid m${n};\n`).join('') + 'export const x = 1;\n');
  }
  const folders = [...new Set(Object.keys(files).map((file) => file.split('/')[0]!))];
  const { output } = await cruise(folders, { validate: true, ruleSet: { forbidden: config.forbidden }, baseDir: root, tsPreCompilationDeps: false });
  return ((output as ICruiseResult).summary.violations ?? []).map((v) => `${v.rule.name} ${v.from} -> ${v.to}`);
}

afterEach(async () => {
  await Promise.all(trees.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

describe('the dependency rule', () => {
  it('lists core, engine, adapters and the faces from the inside out', () => {
    const layer = (room: string) => ['lib/core/', 'lib/engine/', 'lib/adapters/', ''].findIndex((prefix) => room.startsWith(prefix));
    const layers = config.rooms.map(layer);
    expect(layers).toEqual([...layers].sort((a, b) => a - b));
    expect(config.rooms.indexOf('lib/engine/keeper')).toBeLessThan(config.rooms.indexOf('lib/engine/planner'));
  });

  it('lets imports point inward', async () => {
    expect(
      await violations({
        'lib/core/policy/topology.ts': ['../application/application.ts'],
        'lib/core/application/application.ts': [],
        'lib/engine/planner/plan.ts': ['../../core/policy/topology.ts', '../keeper/collect.ts'],
        'lib/engine/keeper/collect.ts': [],
        'api/routes.ts': ['../lib/engine/planner/plan.ts', '../contract/schemas.ts'],
        'contract/schemas.ts': [],
      }),
    ).toEqual([]);
  });

  it('refuses an outward import: the core reaching the engine, an adapter reaching a face', async () => {
    expect(
      await violations({
        'lib/core/run/run-state.ts': ['../../engine/ports/store.ts'],
        'lib/engine/ports/store.ts': [],
        'lib/adapters/dynamodb/store.ts': ['../../../integrations/triggers/rule.ts'],
        'integrations/triggers/rule.ts': [],
      }),
    ).toEqual([
      'inward-only lib/adapters/dynamodb/store.ts -> integrations/triggers/rule.ts',
      'inward-only lib/core/run/run-state.ts -> lib/engine/ports/store.ts',
    ]);
  });

  it('refuses two rooms that import each other, even without a module cycle', async () => {
    expect(
      await violations({
        'lib/engine/planner/plan.ts': ['../keeper/delete.ts'],
        'lib/engine/keeper/delete.ts': ['../planner/supersede.ts'],
        'lib/engine/planner/supersede.ts': [],
      }),
    ).toEqual(['inward-only lib/engine/keeper/delete.ts -> lib/engine/planner/supersede.ts']);
  });

  it('refuses a module cycle inside one room, and product code outside any room', async () => {
    const found = await violations({
      'lib/engine/planner/a.ts': ['./b.ts'],
      'lib/engine/planner/b.ts': ['./a.ts'],
      'lib/scratch/helper.ts': ['../core/errors/e.ts'],
      'lib/core/errors/e.ts': [],
    });
    expect(found).toContain('no-circular lib/engine/planner/a.ts -> lib/engine/planner/b.ts');
    expect(found).toContain('in-a-room lib/scratch/helper.ts -> lib/core/errors/e.ts');
  });

  it('keeps tests, benchmarks and the dev environment out of product code', async () => {
    expect(await violations({ 'functions/api.ts': ['../test/support.ts'], 'test/support.ts': [] })).toEqual([
      'product-code-never-imports-tests functions/api.ts -> test/support.ts',
    ]);
  });
});
