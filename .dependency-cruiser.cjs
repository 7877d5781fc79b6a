/**
 * The layer rule (README "Where things are", DESIGN "Layout"): `npm test` runs `npm run layers` after the type check,
 * so an import that breaks a layer fails the build. test/unit/layers.test.ts proves each rule catches a violation.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing but zod and itself: no I/O, no other layer, no Node module.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '^node_modules/zod/'] },
    },
    {
      name: 'eventstore-knows-no-domain',
      comment: 'The event store stores any event: it imports nothing of the domain (nor of any layer above it).',
      severity: 'error',
      from: { path: '^src/eventstore/' },
      to: { path: '^src/(domain|ledger|projections|personal|ocr|runtime|api|cli|import|export|scans|statistics)/', pathNot: '^src/runtime/config[.]ts$' },
    },
    {
      name: 'nothing-imports-the-top',
      comment: 'api and cli are the top: only they import themselves (and the cli the api, to serve it).',
      severity: 'error',
      from: { pathNot: ['^src/api/', '^src/cli/'] },
      to: { path: '^src/(api|cli)/' },
    },
    {
      name: 'api-does-not-import-cli',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'postgres-adapter-is-private',
      comment:
        'Only the process (src/runtime picks the adapter) opens src/eventstore/postgres; everyone else goes through src/eventstore/contract.ts. ' +
        'Its migration and grant machinery (migrate, grants, schema) is the one public part: every scope migrates with it.',
      severity: 'error',
      from: { pathNot: ['^src/eventstore/postgres/', '^src/eventstore/[^/]+[.]ts$', '^src/runtime/'] },
      to: { path: '^src/eventstore/postgres/', pathNot: '^src/eventstore/postgres/(migrate|grants|schema)[.]ts$' },
    },
    {
      name: 'kurrentdb-adapter-is-private',
      severity: 'error',
      from: { pathNot: ['^src/eventstore/kurrentdb/', '^src/runtime/'] },
      to: { path: '^src/eventstore/kurrentdb/' },
    },
    {
      name: 'lower-layers-do-not-import-capabilities',
      comment: 'ledger, projections, personal, ocr, eventstore and runtime sit below the capabilities (import, export, scans, statistics, …).',
      severity: 'error',
      from: { path: '^src/(domain|eventstore|personal|ocr|ledger|projections|runtime)/' },
      // A capability may give the runner a read model (its `…Projection.ts`, listed by projectionsOf), and the
      // runtime migrates the scopes it opens at start (a capability's `migrations.ts`).
      to: {
        path: '^src/(import|export|scans|statistics|accounts|documents|proofs|recovery|fhir|safety)/',
        pathNot: ['^src/[^/]+/[^/]+Projection[.]ts$', '^src/[^/]+/migrations[.]ts$'],
      },
    },
    {
      name: 'runtime-below-ledger',
      comment: 'The process holds the store, keys, pool and services; it knows neither the ledger nor the read models.',
      severity: 'error',
      from: { path: '^src/runtime/' },
      to: { path: '^src/(ledger|projections|ocr)/' },
    },
    {
      name: 'personal-and-ocr-below-ledger',
      severity: 'error',
      from: { path: '^src/(personal|ocr)/' },
      to: { path: '^src/(ledger|projections|runtime)/', pathNot: '^src/runtime/config[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs'] },
    moduleSystems: ['es6'],
  },
};
