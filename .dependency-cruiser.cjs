// The architecture, written once: every room of the product code from the innermost out. A module may import its own
// room and rooms listed before it, never one listed after it, so imports point inward and no two rooms can reach each
// other (a cycle between folders needs an outward edge). docs/architecture.md draws the same picture.
const rooms = [
  // lib/core: the pure domain, by the user's nouns.
  'lib/core/errors',
  'lib/core/cost',
  'lib/core/object',
  'lib/core/secret',
  'lib/core/application',
  'lib/core/definitions',
  'lib/core/render',
  'lib/core/policy',
  'lib/core/workflow',
  'lib/core/tenancy',
  'lib/core/health',
  'lib/core/admission',
  'lib/core/dry-run',
  'lib/core/run',
  'lib/core/notify',
  'lib/core/cluster',
  'lib/core/status',
  'lib/core/query',
  'lib/core/token',
  'lib/core/trigger',
  'lib/core/chatops',
  // lib/engine: its ports, then the pipeline in the order data flows back from (keeper <- applier <- planner).
  'lib/engine/messages',
  'lib/engine/ports',
  'lib/engine/retry',
  'lib/engine/context',
  'lib/engine/secrets',
  'lib/engine/status',
  'lib/engine/clusters',
  'lib/engine/tokens',
  'lib/engine/keeper',
  'lib/engine/applier',
  'lib/engine/planner',
  'lib/engine/queries',
  // lib/adapters: the engine's ports made real.
  'lib/adapters/telemetry',
  'lib/adapters/aws',
  'lib/adapters/secrets',
  'lib/adapters/dynamodb',
  'lib/adapters/sqs',
  'lib/adapters/kubernetes',
  'lib/adapters/outbound',
  // The faces.
  'contract',
  'integrations/triggers',
  'integrations/webhooks',
  'integrations/chatops',
  'integrations',
  'api',
  'cli',
  'functions',
  'local',
  'infra',
];

/** `lib/engine/retry` is the file lib/engine/retry.ts; every other room is a folder. */
const modulesOf = (room) => `^${room}(/|\\.ts$)`;
const productCode = '^(lib|api|contract|cli|integrations|functions|local|infra)/';
/** Folders inside `integrations/` are rooms of their own; `integrations` itself is only its top-level files. */
const roomOf = (room) => (room === 'integrations' ? '^integrations/[^/]+\\.ts$' : modulesOf(room));

const config = {
  forbidden: [
    ...rooms.slice(0, -1).map((room, index) => ({
      name: 'inward-only',
      comment: `${room} may import only itself and the rooms inside it (listed before it in .dependency-cruiser.cjs)`,
      severity: 'error',
      from: { path: roomOf(room) },
      to: { path: rooms.slice(index + 1).map(roomOf) },
    })),
    {
      name: 'in-a-room',
      comment: 'every product module belongs to a room listed in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: productCode, pathNot: rooms.map(roomOf) },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'modules never import each other in a circle',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      // re2js: a pure-JavaScript, dependency-free RE2 port, so override name patterns match in linear time (issue 12).
      comment: 'lib/core uses only node built-ins and small libraries (zod, yaml, re2js; picocolors for its types)',
      severity: 'error',
      from: { path: '^lib/core/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: 'node_modules/(zod|yaml|picocolors|re2js)/' },
    },
    {
      name: 'engine-knows-no-sdk',
      comment: 'the engine reaches AWS and clusters only through its ports',
      severity: 'error',
      from: { path: '^lib/engine/' },
      to: { path: 'node_modules/(@aws-sdk|@kubernetes|undici|dynalite|fauxqs|@middy)/' },
    },
    {
      name: 'product-code-never-imports-tests',
      comment: 'tests, benchmarks and the dev environment depend on the product, never the reverse',
      severity: 'error',
      from: { path: productCode },
      to: { path: '^(test|bench|devenv)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};

// The tests read the room list too (not enumerable, so the config's schema does not see it).
Object.defineProperty(config, 'rooms', { value: rooms, enumerable: false });
module.exports = config;
