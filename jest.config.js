// Native ESM: TypeScript is stripped by swc (types are checked by `tsc --noEmit` in `npm test`).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    // CommonJS packages here require ESM-only ones (@fastify/static → content-disposition, light-my-request → cookie, testcontainers → get-port): compile those to CJS.
    '^.+/node_modules/(content-disposition|cookie|get-port)/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie|get-port)/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  testTimeout: 60000,
  maxWorkers: 2,
};
