#!/usr/bin/env node
// `node scripts/run.js <entry.ts> [args...]`: runs one of the project's TypeScript entry points
// (main.ts, bin/*.ts, bench/*.ts) from a bundle of the project's own modules, built by esbuild and
// rebuilt only when one of its inputs changed, and compiled from V8's code cache of an earlier run.
// Dependencies stay ordinary `require`s.
//
// Why: loading ~80 modules one by one through the SWC require hook (resolve, read, hash, compile
// each) took 50 ms of the ~350 ms a synth of the default app takes; one bundle loads in one go.
// Nothing is type-checked here: that is `npm test`'s job.
//
// Each bundled module keeps its own __dirname and __filename (files are located relative to their
// source, e.g. config/*.canary.json), and TypeScript files required at run time (the output
// worker, the CEL runtime of cached validators) still load through the SWC hook.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const Module = require('module');
const vm = require('vm');

require('./swc-register');

const ROOT = path.join(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'run');

const [entryArg, ...args] = process.argv.slice(2);
if (!entryArg) {
  console.error('usage: node scripts/run.js <entry.ts> [args...]');
  process.exit(2);
}
const entry = path.resolve(entryArg);
const id = crypto.createHash('sha1').update(entry).digest('hex').slice(0, 12);
const bundle = path.join(CACHE, `${path.basename(entry, path.extname(entry))}-${id}.js`);
const stampsFile = `${bundle}.inputs.json`;
const codeCacheFile = `${bundle}.v8`;

/** A file's identity for staleness: size and modification time (as make and tsc --incremental use). */
function stamp(file) {
  const s = fs.statSync(file);
  return `${s.size}:${s.mtimeMs}`;
}

/** True when the bundle exists and none of its inputs (nor this script, nor tsconfig) changed. */
function upToDate() {
  try {
    const stamps = JSON.parse(fs.readFileSync(stampsFile, 'utf8'));
    for (const [file, recorded] of Object.entries(stamps)) {
      if (stamp(file) !== recorded) return false;
    }
    return fs.existsSync(bundle);
  } catch {
    return false;
  }
}

/** esbuild plugin: each project module gets its own __dirname/__filename, on its first line so line numbers stay. */
const keepModulePaths = {
  name: 'keep-module-paths',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: `const __dirname = ${JSON.stringify(path.dirname(args.path))}, __filename = ${JSON.stringify(args.path)}; ${fs.readFileSync(args.path, 'utf8')}`,
      loader: 'ts',
    }));
  },
};

async function build() {
  const esbuild = require('esbuild');
  const staging = fs.mkdtempSync(path.join(CACHE, '.build-'));
  try {
    const result = await esbuild.build({
      // Input paths of the metafile are relative to this, whatever directory the entry is run from.
      absWorkingDir: ROOT,
      entryPoints: [entry],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // A separate map (node --enable-source-maps reads it): inline, it was read and scanned on every run.
      sourcemap: 'linked',
      // Built under its final name in a directory of this process (the map's URL names the file), then moved.
      outfile: path.join(staging, path.basename(bundle)),
      metafile: true,
      logLevel: 'error',
      plugins: [keepModulePaths],
    });
    const inputs = Object.keys(result.metafile.inputs).map((f) => path.resolve(ROOT, f));
    const stamps = Object.fromEntries([...inputs, __filename, path.join(ROOT, 'tsconfig.json'), require.resolve('esbuild/package.json')]
      .map((f) => [f, stamp(f)]));
    fs.renameSync(path.join(staging, `${path.basename(bundle)}.map`), `${bundle}.map`);
    fs.renameSync(path.join(staging, path.basename(bundle)), bundle);
    fs.rmSync(codeCacheFile, { force: true });
    fs.writeFileSync(`${stampsFile}.${process.pid}`, JSON.stringify(stamps));
    fs.renameSync(`${stampsFile}.${process.pid}`, stampsFile);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Runs the bundle as the main module, with the entry's arguments (`require.main === module` holds),
 * compiled with V8's code cache of an earlier run: compiling the bundle's functions was ~0.1 s of
 * every run. When there is no usable cache, one is written as the process exits, when it covers
 * every function the run compiled.
 */
function run() {
  process.argv = [process.argv[0], bundle, ...args];
  let cachedData;
  try {
    cachedData = fs.readFileSync(codeCacheFile);
  } catch {
    // first run of this bundle
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        fs.writeFileSync(`${codeCacheFile}.${process.pid}`, script.createCachedData());
        fs.renameSync(`${codeCacheFile}.${process.pid}`, codeCacheFile);
      } catch {
        // without a cache the next run compiles again
      }
    });
  }
  const main = new Module(bundle, null);
  main.id = '.';
  main.filename = bundle;
  main.paths = Module._nodeModulePaths(path.dirname(bundle));
  process.mainModule = main;
  Module._cache[bundle] = main;
  script.runInThisContext().call(main.exports, main.exports, Module.createRequire(bundle), main, bundle, path.dirname(bundle));
  main.loaded = true;
}

/** Without a writable cache (a read-only checkout), the entry runs from source through the SWC hook. */
function runFromSource() {
  process.argv = [process.argv[0], entry, ...args];
  Module.runMain();
}

if (upToDate()) {
  run();
} else {
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    fs.accessSync(CACHE, fs.constants.W_OK);
  } catch {
    runFromSource();
    return;
  }
  build().then(run, (e) => {
    console.error(`building ${path.relative(process.cwd(), entry)} failed:\n${e.message}`);
    process.exit(1);
  });
}
