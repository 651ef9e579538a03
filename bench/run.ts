// `npm run bench -- [--services <n>] [--runs <k>] [--json] [--cold]`
//   Synthesizes a synthetic platform in a child process (process start included, as a user runs
//   it) into a stable output directory, and reports the median of k runs after one unmeasured run:
//   wallMs is a re-synth after editing one service (each run edits another one, so nothing keyed
//   by the whole output can be reused), unchangedMs a re-synth of the same platform (as CI checking
//   that dist/ is up to date does). --cold disables the caches of derived data (compiled
//   validators, objects found valid, YAML of objects, findings): a first run ever. Without
//   --services: 10, 100 and 1,000 services and the ratio t(1000)/t(100).
// `npm run bench -- --default-app [--runs <k>] [--json]`
//   Times `npm run synth` and `npx cdk8s synth` of the default app (both environments).
// With HELM=<path to helm>, each also times `helm template` of bench/helm/microservice rendering
// the same services: the synthetic platform in one invocation, the default app's services one
// invocation per service, one after another (how a chart per service is rendered today).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import * as yaml from 'js-yaml';
import { buildDefaultApps } from '../app';
import { renderApp } from '../lib';
import { helmValuesFrom, HelmServiceValues } from './helm-values';

const ROOT = path.join(__dirname, '..');
const CHART = path.join(__dirname, 'helm', 'microservice');

/**
 * The node options `npm run synth` runs with (package.json): the benchmark's child runs node as a
 * user's synth does (`--v8-pool-size=1`: see README, Speed).
 */
const SYNTH_NODE_OPTIONS: readonly string[] = (() => {
  const words = String(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.synth).split(/\s+/);
  return words.slice(1, words.indexOf('scripts/run.js'));
})();

interface Sample { services: number; objects: number; bytes: number; wallMs: number; peakRssMb: number; nodeOptions: string[]; outdir: string }

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs `command`, returning its wall time in ms; throws with its stderr when it fails. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; stdout: string } {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function readManifests(dir: string): any[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')));
}

/** `helm template` of the chart with `services`: wall ms, objects and bytes of its output. */
function helmTemplate(helm: string, release: string, services: readonly HelmServiceValues[]) {
  const values = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-helm-')), 'values.yaml');
  fs.writeFileSync(values, yaml.dump({ services }, { noRefs: true }));
  try {
    const { ms, stdout } = timed(helm, ['template', release, CHART, '-f', values]);
    return { ms, objects: stdout.split('\n').filter((l) => l.startsWith('kind: ')).length, bytes: Buffer.byteLength(stdout) };
  } finally {
    fs.rmSync(path.dirname(values), { recursive: true, force: true });
  }
}

/** One synth of the platform; `edit` changes one service (see synthetic-platform.ts). */
function runOnce(services: number, cold: boolean, edit?: number): Sample {
  const outdir = path.join(os.tmpdir(), `cdk8s-microservices-bench-${os.userInfo().uid}`, String(services), 'dist');
  const env = cold ? { ...process.env, CDK8S_MICROSERVICES_CACHE: 'off' } : process.env;
  const args = ['scripts/run.js', 'bench/synthetic-platform.ts', String(services), outdir, 'checks', ...(edit === undefined ? [] : [String(edit)])];
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...SYNTH_NODE_OPTIONS, ...args], { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`benchmark child failed:\n${r.stderr}`);
  // Wall time as the user sees it: process start to exit.
  const wallMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  const sample: Sample = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return { ...sample, wallMs };
}

/**
 * Runs each of `commands` once per round, `runs` rounds, interleaved: on a shared machine whose
 * speed drifts, the commands compared see the same conditions. Returns each command's median ms.
 */
function interleaved(runs: number, commands: Record<string, () => number>): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [name, command] of Object.entries(commands)) samples[name].push(command());
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]));
}

function measure(services: number, runs: number, helm: string | undefined, cold: boolean) {
  const first = runOnce(services, cold); // unmeasured: fills the caches a project's dist/ has after its first synth
  const values = helm ? helmValuesFrom(readManifests(first.outdir)) : [];
  const samples: Sample[] = [];
  let helmOutput = { objects: 0, bytes: 0 };
  let edits = 0;
  const medians = interleaved(runs, {
    synth: () => {
      samples.push(runOnce(services, cold, ++edits));
      return samples[samples.length - 1].wallMs;
    },
    unchanged: () => {
      // Twice: the first makes the output what it was before the last edit again.
      runOnce(services, cold);
      return runOnce(services, cold).wallMs;
    },
    ...(helm ? {
      helm: () => {
        const h = helmTemplate(helm, 'bench', values);
        helmOutput = h;
        return h.ms;
      },
    } : {}),
  });
  const result = {
    services,
    objects: first.objects,
    bytes: first.bytes,
    wallMs: medians.synth,
    unchangedMs: medians.unchanged,
    peakRssMb: median(samples.map((s) => s.peakRssMb)),
    nodeOptions: first.nodeOptions,
  };
  if (!helm) return result;
  return { ...result, helmMs: medians.helm, helmObjects: helmOutput.objects, helmBytes: helmOutput.bytes, helmRatio: Number((result.wallMs / medians.helm).toFixed(2)) };
}

function defaultApp(runs: number, helm: string | undefined, cold: boolean) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-default-'));
  // Both write dist/ of a scratch directory, never the project's.
  const env = { ...process.env, DIST_DIR: path.join(scratch, 'dist'), CDK8S_CHECK_UPGRADE: 'false', ...(cold ? { CDK8S_MICROSERVICES_CACHE: 'off' } : {}) };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  try {
    timed(npm, ['run', '--silent', 'synth'], env); // warm caches, as every run after the first has them
    // The same services, one chart release per service and environment, one after another.
    const apps = buildDefaultApps();
    const releases = (['dev', 'prod'] as const).flatMap((e) => helmValuesFrom(renderApp(apps[e]).flatMap((f) => f.objects.map((o) => o.manifest))));
    const medians = interleaved(runs, {
      npmRunSynth: () => timed(npm, ['run', '--silent', 'synth'], env).ms,
      cdk8sSynth: () => timed(npx, ['cdk8s', 'synth', '--output', path.join(scratch, 'cli')], env).ms,
      ...(helm ? { helmSequential: () => releases.reduce((sum, service) => sum + helmTemplate(helm, service.name, [service]).ms, 0) } : {}),
    });
    const result = { objects: readManifests(env.DIST_DIR).length, npmRunSynthMs: medians.npmRunSynth, cdk8sSynthMs: medians.cdk8sSynth };
    if (!helm) return result;
    return { ...result, helmReleases: releases.length, helmSequentialMs: medians.helmSequential, helmRatio: Number((medians.npmRunSynth / medians.helmSequential).toFixed(2)) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function main() {
  const { values } = parseArgs({
    options: {
      'services': { type: 'string' },
      'runs': { type: 'string', default: '3' },
      'json': { type: 'boolean', default: false },
      'default-app': { type: 'boolean', default: false },
      'cold': { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: "${values.runs}" is not a positive integer`);
  const helm = process.env.HELM || undefined;
  if (helm) timed(helm, ['version', '--short']);

  if (values['default-app']) {
    const result = defaultApp(runs, helm, values.cold!);
    console.log(values.json ? JSON.stringify(result) : result);
    return;
  }
  if (values.services) {
    const services = Number(values.services);
    if (!Number.isInteger(services) || services < 1) throw new Error(`--services: "${values.services}" is not a positive integer`);
    const result = measure(services, runs, helm, values.cold!);
    console.log(values.json ? JSON.stringify(result) : result);
    return;
  }
  const results = [10, 100, 1000].map((n) => measure(n, runs, helm, values.cold!));
  if (values.json) {
    console.log(JSON.stringify(results));
    return;
  }
  console.log(`services  objects     bytes   wall ms  unchanged ms  peak RSS MB${helm ? '  helm ms  helm objects  synth/helm' : ''}`);
  for (const r of results) {
    const h = 'helmMs' in r ? `${String(r.helmMs).padStart(9)} ${String(r.helmObjects).padStart(13)} ${String(r.helmRatio).padStart(11)}` : '';
    console.log(`${String(r.services).padStart(8)} ${String(r.objects).padStart(8)} ${String(r.bytes).padStart(9)} ${String(r.wallMs).padStart(9)} ${String(r.unchangedMs).padStart(13)} ${String(r.peakRssMb).padStart(12)}${h}`);
  }
  console.log(`t(1000)/t(100) = ${(results[2].wallMs / results[1].wallMs).toFixed(2)}`);
}

main();
