// Tests are transpiled by SWC (fast, no type-checking); `npm test` type-checks with tsc first.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    }],
  },
  // The CEL library ships as ES modules only.
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  snapshotFormat: { printBasicPrototype: false },
};
