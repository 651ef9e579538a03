// esbuild bundles of the project's TypeScript modules, rebuilt only when one of their inputs
// changed, and compiled from V8's code cache of an earlier run. Used by scripts/run.js for the
// entry points (main.ts, bin/*.ts, bench/*.ts) and by the output worker of a large synth for its
// own modules (lib/synth/output-worker.ts and the checks it runs). Dependencies stay ordinary
// `require`s; nothing is type-checked here (that is `npm test`'s job).
//
// Why: loading modules one by one through the SWC require hook (resolve, read, hash, compile
// each) took 50 ms of the ~350 ms a synth of the default app takes, and ~0.3 s of the output
// worker's start; one bundle with a code cache loads in one go.
//
// Each bundled module keeps its own __dirname and __filename (files are located relative to their
// source, e.g. config/*.canary.json, and checks name their module by it), and TypeScript files
// required at run time (the CEL runtime of cached validators) still load through the SWC hook.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const Module = require('module');
const vm = require('vm');
const { ESBUILD_OPTIONS, withAssigningSpread } = require('./emit-options');

const ROOT = path.join(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'run');

/** A file's identity for staleness: size and modification time (as make and tsc --incremental use). */
function stamp(file) {
  const s = fs.statSync(file);
  return `${s.size}:${s.mtimeMs}`;
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

/** One bundle in the cache directory: its file, source map, recorded inputs and code cache. */
class Bundle {
  /**
   * @param name the bundle's file name, without `.js` (unique per set of entry modules)
   * @param source what esbuild bundles: `{ entry }` (a module path) or `{ stdin }` (module text
   *   whose requires are resolved from the project's root)
   */
  constructor(name, source) {
    this.file = path.join(CACHE, `${name}.js`);
    this.stampsFile = `${this.file}.inputs.json`;
    this.codeCacheFile = `${this.file}.v8`;
    this.source = source;
  }

  /** True when the bundle exists and none of its inputs (nor this script, nor tsconfig) changed. */
  upToDate() {
    try {
      const stamps = JSON.parse(fs.readFileSync(this.stampsFile, 'utf8'));
      for (const [file, recorded] of Object.entries(stamps)) {
        if (stamp(file) !== recorded) return false;
      }
      return fs.existsSync(this.file);
    } catch {
      return false;
    }
  }

  /** Whether bundles can be written here (not in a read-only checkout). */
  static writable() {
    try {
      fs.mkdirSync(CACHE, { recursive: true });
      fs.accessSync(CACHE, fs.constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  /** Builds the bundle (async: esbuild plugins need the async API) and records its inputs. */
  async build() {
    const esbuild = require('esbuild');
    fs.mkdirSync(CACHE, { recursive: true });
    const staging = fs.mkdtempSync(path.join(CACHE, '.build-'));
    try {
      const result = await esbuild.build({
        // Input paths of the metafile are relative to this, whatever directory the entry is run from.
        absWorkingDir: ROOT,
        ...(this.source.entry ? { entryPoints: [this.source.entry] } : { stdin: { contents: this.source.stdin, resolveDir: ROOT, loader: 'js' } }),
        bundle: true,
        packages: 'external',
        platform: 'node',
        format: 'cjs',
        ...ESBUILD_OPTIONS,
        // A separate map (node --enable-source-maps reads it): inline, it was read and scanned on every run.
        sourcemap: 'linked',
        // Built under its final name in a directory of this process (the map's URL names the file), then moved.
        outfile: path.join(staging, path.basename(this.file)),
        metafile: true,
        // Failures are reported by the caller, with esbuild's messages.
        logLevel: 'silent',
        plugins: [keepModulePaths],
      });
      const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('<')).map((f) => path.resolve(ROOT, f));
      const stamps = Object.fromEntries([...inputs, __filename, require.resolve('./emit-options'), path.join(ROOT, 'tsconfig.json'), require.resolve('esbuild/package.json')]
        .map((f) => [f, stamp(f)]));
      const suffix = `${process.pid}-${require('worker_threads').threadId}`;
      const staged = path.join(staging, path.basename(this.file));
      fs.writeFileSync(staged, withAssigningSpread(fs.readFileSync(staged, 'utf8')));
      fs.renameSync(`${staged}.map`, `${this.file}.map`);
      fs.renameSync(staged, this.file);
      fs.rmSync(this.codeCacheFile, { force: true });
      fs.writeFileSync(`${this.stampsFile}.${suffix}`, JSON.stringify(stamps));
      fs.renameSync(`${this.stampsFile}.${suffix}`, this.stampsFile);
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }

  /**
   * Loads the bundle as module `module` (a new Module, set up by the caller's needs), compiled
   * with V8's code cache of an earlier run. Returns `saveCodeCache`: when there was no usable
   * cache, it writes one covering every function compiled so far (call it once the work is done,
   * so lazily compiled functions are in it too); otherwise it does nothing. With `saveAtExit`, it
   * is called as the process exits, which the module itself may do while it is being loaded
   * (main.ts ends with `process.exit`).
   */
  load(module, { saveAtExit = false } = {}) {
    let cachedData;
    try {
      cachedData = fs.readFileSync(this.codeCacheFile);
    } catch {
      // first run of this bundle
    }
    const script = new vm.Script(Module.wrap(fs.readFileSync(this.file, 'utf8')), { filename: this.file, cachedData });
    let saveCodeCache = () => {};
    if (cachedData === undefined || script.cachedDataRejected) {
      saveCodeCache = () => {
        saveCodeCache = () => {};
        const temporary = `${this.codeCacheFile}.${process.pid}-${require('worker_threads').threadId}`;
        try {
          fs.writeFileSync(temporary, script.createCachedData());
          fs.renameSync(temporary, this.codeCacheFile);
        } catch {
          // without a cache the next run compiles again
        }
      };
    }
    if (saveAtExit) process.once('exit', () => saveCodeCache());
    module.filename = this.file;
    module.paths = Module._nodeModulePaths(path.dirname(this.file));
    Module._cache[this.file] = module;
    script.runInThisContext().call(module.exports, module.exports, Module.createRequire(this.file), module, this.file, path.dirname(this.file));
    module.loaded = true;
    return { exports: module.exports, saveCodeCache: () => saveCodeCache() };
  }
}

/**
 * The bundle of one entry module (main.ts, bin/*.ts…), named after it and a hash of its path.
 */
function entryBundle(entry) {
  const id = crypto.createHash('sha1').update(entry).digest('hex').slice(0, 12);
  return new Bundle(`${path.basename(entry, path.extname(entry))}-${id}`, { entry });
}

/**
 * The exports of each of `modules` (absolute paths of TypeScript modules), all from one bundle
 * (built first when missing or stale), and `saveCodeCache` (see {@link Bundle.load}). Resolves to
 * undefined when bundles cannot be written here: the caller then requires the sources.
 */
async function loadModules(modules) {
  const sorted = [...new Set(modules)].sort();
  const id = crypto.createHash('sha1').update(sorted.join('\0')).digest('hex').slice(0, 12);
  const bundle = new Bundle(`modules-${id}`, {
    stdin: `module.exports = {\n${sorted.map((m) => `  ${JSON.stringify(m)}: require(${JSON.stringify(m)}),`).join('\n')}\n};\n`,
  });
  if (!bundle.upToDate()) {
    if (!Bundle.writable()) return undefined;
    await bundle.build();
  }
  const { exports, saveCodeCache } = bundle.load(new Module(bundle.file, null));
  return { modules: exports, saveCodeCache };
}

module.exports = { Bundle, entryBundle, loadModules };
