import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hiddenClassProbe, readTree, ROOT } from '../helpers';

// scripts/run.js runs the entry points (npm run synth/validate/canary/bench, cdk8s synth) from an
// esbuild bundle of the project's modules. It must behave exactly like running the sources.

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['scripts/run.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

/** The bundle scripts/run.js builds for an entry named `entry.ts`. */
function bundleOf(entry: string): string {
  return path.join(ROOT, 'node_modules', '.cache', 'run', `entry-${createHash('sha1').update(entry).digest('hex').slice(0, 12)}.js`);
}

describe('scripts/run.js', () => {
  test('the bundled synth writes exactly the committed dist/', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'run-')), 'dist');
    const r = run(['main.ts'], { DIST_DIR: out });
    expect(r.stderr).toMatch(/synthesized \d+ objects/);
    expect(r.status).toBe(0);
    expect(readTree(out)).toEqual(readTree(path.join(ROOT, 'dist')));
  }, 60_000);

  test('rebuilds when a module changes, and only then', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-entry-'));
    fs.writeFileSync(path.join(dir, 'dep.ts'), 'export const value: number = 1;\n');
    fs.writeFileSync(path.join(dir, 'entry.ts'), "import { value } from './dep';\nconsole.log(`${value} ${__filename.endsWith('entry.ts')} ${require.main === module} ${process.argv.slice(2).join(',')}`);\n");
    const entry = path.join(dir, 'entry.ts');
    expect(run([entry, 'a', 'b']).stdout.trim()).toBe('1 true true a,b');
    const bundle = bundleOf(entry);
    const built = fs.statSync(bundle).mtimeMs;
    expect(run([entry]).stdout.trim()).toBe('1 true true');
    expect(fs.statSync(bundle).mtimeMs).toBe(built); // unchanged inputs: the bundle is reused
    fs.writeFileSync(path.join(dir, 'dep.ts'), 'export const value: number = 22;\n');
    expect(run([entry]).stdout.trim()).toBe('22 true true');
  }, 60_000);

  test('runs from a V8 code cache written by the first run, as the main module, with its stack traces located', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-entry-'));
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(entry, "const trace = new Error('here').stack!.split('\\n')[1];\nconsole.log(`${require.main === module} ${module.id} ${trace.includes('.js:2')}`);\n");
    const bundle = bundleOf(entry);
    expect(run([entry]).stdout.trim()).toBe('true . true');
    // The first run wrote the cache as it exited; the second runs from it (V8 accepts it: not rewritten).
    const cache = fs.statSync(`${bundle}.v8`);
    expect(cache.size).toBeGreaterThan(0);
    expect(run([entry]).stdout.trim()).toBe('true . true');
    expect(fs.statSync(`${bundle}.v8`).mtimeMs).toBe(cache.mtimeMs);
    // The source map is a file of its own, linked from the bundle (node --enable-source-maps reads it).
    expect(fs.readFileSync(bundle, 'utf8')).toMatch(new RegExp(`//# sourceMappingURL=${path.basename(bundle)}\\.map\\s*$`));
    expect(fs.existsSync(`${bundle}.map`)).toBe(true);
    // A cache V8 rejects (here: damaged) is replaced, and the run is unaffected.
    fs.writeFileSync(`${bundle}.v8`, 'not a code cache');
    expect(run([entry]).stdout.trim()).toBe('true . true');
    expect(fs.readFileSync(`${bundle}.v8`).toString()).not.toBe('not a code cache');
    // Rebuilding the bundle drops the cache of the old one.
    fs.appendFileSync(entry, '// changed\n');
    expect(run([entry]).stdout.trim()).toBe('true . true');
    expect(fs.statSync(`${bundle}.v8`).mtimeMs).toBeGreaterThan(cache.mtimeMs);
  }, 60_000);

  test('an entry that ends with process.exit (as main.ts does) still leaves its code cache for the next run', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-entry-'));
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(entry, "const value: number = 7;\nconsole.log(String(value));\nprocess.exit(0);\n");
    const bundle = bundleOf(entry);
    expect(run([entry]).stdout.trim()).toBe('7');
    const cache = fs.statSync(`${bundle}.v8`);
    expect(cache.size).toBeGreaterThan(0);
    expect(run([entry]).stdout.trim()).toBe('7');
    expect(fs.statSync(`${bundle}.v8`).mtimeMs).toBe(cache.mtimeMs); // accepted, not written again
  }, 60_000);

  test('a bundle first built from another working directory records its inputs by their real paths', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-entry-'));
    fs.writeFileSync(path.join(dir, 'dep.ts'), 'export const value: number = 3;\n');
    fs.writeFileSync(path.join(dir, 'entry.ts'), "import { value } from './dep';\nconsole.log(String(value));\n");
    const entry = path.join(dir, 'entry.ts');
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'run-cwd-'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run.js'), entry], { cwd: elsewhere, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('3');
    const stamps = `${bundleOf(entry)}.inputs.json`;
    expect(Object.keys(JSON.parse(fs.readFileSync(stamps, 'utf8')))).toContain(path.join(dir, 'dep.ts'));
  }, 60_000);

  test('the output worker\'s modules: one bundle of several, each with its exports and own __filename, rebuilt when one changes', async () => {
    const { loadModules } = require('../../scripts/bundle');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-modules-'));
    const shared = path.join(dir, 'shared.ts');
    const a = path.join(dir, 'a.ts');
    const b = path.join(dir, 'b.ts');
    fs.writeFileSync(shared, 'export const loads = { count: 0 };\nloads.count++;\n');
    fs.writeFileSync(a, "import { loads } from './shared';\nexport const file = __filename;\nexport const count = () => loads.count;\n");
    fs.writeFileSync(b, "import { loads } from './shared';\nexport const file: string = __filename;\nexport const count = () => loads.count;\n");
    const first = await loadModules([b, a, a]);
    expect(Object.keys(first.modules).sort()).toEqual([a, b]);
    expect(first.modules[a].file).toBe(a);
    expect(first.modules[b].file).toBe(b);
    expect(first.modules[a].count()).toBe(1); // one bundle: the module both import is loaded once
    const bundle = path.join(ROOT, 'node_modules', '.cache', 'run', `modules-${createHash('sha1').update([a, b].join('\0')).digest('hex').slice(0, 12)}.js`);
    expect(fs.existsSync(`${bundle}.v8`)).toBe(false);
    first.saveCodeCache();
    expect(fs.statSync(`${bundle}.v8`).size).toBeGreaterThan(0);
    fs.writeFileSync(b, "export const file = 'changed';\n");
    expect((await loadModules([a, b])).modules[b].file).toBe('changed');
    // A module that cannot be bundled: the caller requires the sources instead (and learns why).
    await expect(loadModules([path.join(dir, 'missing.ts')])).rejects.toThrow(/missing\.ts/);
  }, 60_000);

  test('every entry point runs node with the same options as npm run synth, the cdk8s CLI\'s app too', () => {
    const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    const runs = Object.entries(scripts).filter(([, command]) => command.includes('scripts/run.js'));
    expect(runs.map(([name]) => name).sort()).toEqual(['bench', 'canary', 'diff', 'synth', 'validate']);
    for (const [, command] of runs) expect(command).toMatch(/^node --v8-pool-size=1 scripts\/run\.js /);
    expect(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')).toMatch(/^app: node --v8-pool-size=1 scripts\/run\.js main\.ts$/m);
  });

  test('objects the library builds by spreading share their hidden classes (object spread lowered in bundles)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-entry-'));
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(entry, hiddenClassProbe(path.join(ROOT, 'lib')));
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', 'scripts/run.js', entry], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ props: true, probe: true, podLabels: true, container: true });
  }, 60_000);

  test('a module that does not compile fails with the reason', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-entry-'));
    fs.writeFileSync(path.join(dir, 'entry.ts'), 'const = 1;\n');
    const r = run([path.join(dir, 'entry.ts')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/building .*entry\.ts failed/);
  }, 60_000);
});
