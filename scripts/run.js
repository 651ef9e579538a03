#!/usr/bin/env node
// `node scripts/run.js <entry.ts> [args...]`: runs one of the project's TypeScript entry points
// (main.ts, bin/*.ts, bench/*.ts) from a bundle of the project's own modules (scripts/bundle.js:
// built by esbuild, rebuilt only when one of its inputs changed, compiled from V8's code cache).
const path = require('path');
const Module = require('module');
const { Bundle, entryBundle } = require('./bundle');

require('./swc-register');

const [entryArg, ...args] = process.argv.slice(2);
if (!entryArg) {
  console.error('usage: node scripts/run.js <entry.ts> [args...]');
  process.exit(2);
}
const entry = path.resolve(entryArg);
const bundle = entryBundle(entry);

/**
 * Runs the bundle as the main module, with the entry's arguments (`require.main === module` holds),
 * compiled with V8's code cache of an earlier run: compiling the bundle's functions was ~0.1 s of
 * every run. When there is no usable cache, one is written as the process exits, covering every
 * function the run compiled.
 */
function run() {
  process.argv = [process.argv[0], bundle.file, ...args];
  const main = new Module(bundle.file, null);
  main.id = '.';
  process.mainModule = main;
  bundle.load(main, { saveAtExit: true });
}

/** Without a writable cache (a read-only checkout), the entry runs from source through the SWC hook. */
function runFromSource() {
  process.argv = [process.argv[0], entry, ...args];
  Module.runMain();
}

if (bundle.upToDate()) {
  run();
} else if (!Bundle.writable()) {
  runFromSource();
} else {
  bundle.build().then(run, (e) => {
    console.error(`building ${path.relative(process.cwd(), entry)} failed:\n${e.message}`);
    process.exit(1);
  });
}
