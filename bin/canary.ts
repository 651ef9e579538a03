// `npm run canary -- <service> <stable-weight> <canary-weight> [--env <env>]`
// `npm run canary -- <service> next|promote|rollback|status [--env <env>]`
// The GitOps replacement of canary-deployment.sh: changes the environment's committed canary
// state (config/<env>.canary.json), re-synthesizes dist/ and prints what changed (as `npm run diff`). Commit both
// and Argo CD rolls it out. Bad input changes no file.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { canaryAnalysisDefaults } from '../app/canary-defaults';
import { CANARY_AUTO_EXIT_CODES, runCanaryAuto } from '../lib/canary/canary-auto';
import { GitError, GitRepository } from '../lib/canary/git-repository';
import { formatDuration, ProgressLine } from '../lib/canary/progress-line';
import { durationMs } from '../lib/core/validators';
import { defaultOutdir, synthesizeDefaultApp } from '../app/synthesize-default';
import { canaryStatePath, environments, loadCanaryState, ServiceName } from '../config';
import {
  CanaryOperationError, DEFAULT_CANARY_PLAN, DEFAULT_CANARY_VERSION, describe, describeMeasurement, judgeCanary, measureCanary,
  nextStep, NoCanaryDataError, PrometheusClient, PrometheusUnavailableError, promote, resolveThresholds, rollback,
  diffEnvironment, formatEnvironment, loadManifests, ManifestObject, ServiceCanaryState, setWeights,
} from '../lib';

const USAGE = `usage:
  npm run canary -- <service> <stable-weight> <canary-weight> [--env <env>]   e.g. user-service 90 10 --env prod
  npm run canary -- <service> next|promote|rollback|status [--env <env>]
  npm run canary -- <service> next --prometheus <url> [--max-error-rate 0.01] [--max-p99-ms 500] [--window 5m] [--env <env>]
    advances only while the canary's error rate and P99 are within bounds, rolls back otherwise
  npm run canary -- <service> auto --prometheus <url> [--interval 5m] [--max-duration 2h] [--push] [thresholds as for next]
    unattended: each stage is committed (and pushed), observed for the interval and measured, up to promotion;
    exit 0 promoted, 1 rolled back, 3 timed out, 4 paused (Prometheus unreachable or no data), 130 interrupted`;

class UsageError extends Error {}

/** The objects of one environment's output directory (none when it does not exist yet). */
function readEnvironment(dir: string): ManifestObject[] {
  return fs.existsSync(dir) ? loadManifests([dir], { base: dir }).objects : [];
}

function parseWeight(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} weight must be a whole number from 0 to 100, got "${value}"`);
  return Number(value);
}

function parseNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`${flag} must be a number, got "${value}"`);
  return Number(value);
}

interface Options {
  env?: string;
  help?: boolean;
  prometheus?: string;
  'max-error-rate'?: string;
  'max-p99-ms'?: string;
  window?: string;
  // auto
  'interval'?: string;
  'max-duration'?: string;
  'push'?: boolean;
}

export async function main(argv: string[]): Promise<number> {
  let values: Options;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'env': { type: 'string', default: 'prod' },
        'help': { type: 'boolean', short: 'h' },
        'prometheus': { type: 'string' },
        'max-error-rate': { type: 'string' },
        'max-p99-ms': { type: 'string' },
        'window': { type: 'string' },
        'interval': { type: 'string' },
        'max-duration': { type: 'string' },
        'push': { type: 'boolean' },
      },
    }));
  } catch (e) {
    console.error(`canary: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const [service, action, third, ...rest] = positionals;
    if (!service || !action || rest.length > 0) throw new UsageError('expected a service and an action or two weights');
    const env = environments.find((e) => e.name === values.env);
    if (!env) throw new UsageError(`unknown environment "${values.env}"; known: ${environments.map((e) => e.name).join(', ')}`);
    if (!(service in env.services)) throw new UsageError(`unknown service "${service}" in ${env.name}; known: ${Object.keys(env.services).join(', ')}`);
    const stateFile = canaryStatePath(env.name);
    const state = loadCanaryState(env.name);
    const current: ServiceCanaryState | undefined = state[service];
    const plan = env.traffic?.[service as ServiceName]?.canaryPlan ?? DEFAULT_CANARY_PLAN;
    if (!current) throw new CanaryOperationError(`${service} is not under canary management in ${env.name}: add it to ${path.relative(process.cwd(), stateFile)}`);

    if (action === 'status') {
      if (third !== undefined) throw new UsageError('status takes no further argument');
      console.log(`${env.name}: ${describe(service, current, plan)}`);
      return 0;
    }
    const gated = values.prometheus !== undefined;
    if (!gated && (values['max-error-rate'] ?? values['max-p99-ms'] ?? values.window) !== undefined) {
      throw new UsageError('--max-error-rate, --max-p99-ms and --window go with next --prometheus <url>');
    }
    if (gated && action !== 'next' && action !== 'auto') throw new UsageError('--prometheus goes with next or auto');
    checkAutoFlags(action, third, gated, values);
    let updated: ServiceCanaryState;
    let exitCode = 0;
    if (gated) {
      const defaults = canaryAnalysisDefaults(env, service as ServiceName);
      let thresholds;
      try {
        thresholds = resolveThresholds({
          maxErrorRate: parseNumber('--max-error-rate', values['max-error-rate']) ?? defaults.maxErrorRate,
          maxP99Ms: parseNumber('--max-p99-ms', values['max-p99-ms']) ?? defaults.maxP99Ms,
          window: values.window ?? defaults.window,
        });
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      let client: PrometheusClient;
      try {
        client = new PrometheusClient(values.prometheus!);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const destination = `${service}.${env.namespace}.svc.cluster.local`;
      if (action === 'auto') return await runAuto({ env, service, plan, thresholds, client, destination, values });
      const advanced = nextStep(service, current, plan); // refuses before asking Prometheus when there is no next step
      const measurement = await measureCanary(client, destination, DEFAULT_CANARY_VERSION, thresholds.window);
      const verdict = judgeCanary(measurement, thresholds);
      console.log(`canary ${destination} version ${DEFAULT_CANARY_VERSION}: ${describeMeasurement(measurement, thresholds)}`);
      if (verdict.healthy) {
        console.log(`healthy: advancing to ${advanced.canary!.weight}%`);
        updated = advanced;
      } else {
        console.log(`unhealthy (${verdict.reasons.join('; ')}): rolling back to 100% stable`);
        updated = rollback(service, current);
        exitCode = 1;
      }
    } else if (/^\d/.test(action) || third !== undefined) {
      if (third === undefined) throw new UsageError('give both the stable and the canary weight, e.g. 90 10');
      updated = setWeights(service, current, parseWeight('stable', action), parseWeight('canary', third));
    } else if (action === 'next') {
      updated = nextStep(service, current, plan);
    } else if (action === 'promote') {
      updated = promote(service, current);
    } else if (action === 'rollback') {
      updated = rollback(service, current);
    } else {
      throw new UsageError(`unknown action "${action}"`);
    }

    const diff = writeState(env.name, service, updated);
    console.log(`${env.name}: ${describe(service, current, plan)}`);
    console.log(`  → ${describe(service, updated, plan)}`);
    console.log(`changed: ${path.relative(process.cwd(), stateFile)}`);
    // The same review as `npm run diff`: traffic steps and other risks first, then the changed fields.
    const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
    console.log(`dist/${formatEnvironment(diff, { color }).join('\n')}`);
    console.log('Review, commit config and dist/, and Argo CD applies it.');
    return exitCode;
  } catch (e) {
    if (e instanceof PrometheusUnavailableError || e instanceof NoCanaryDataError) {
      console.error(`canary: nothing changed: ${e.message}`);
      return 1;
    }
    if (e instanceof GitError) {
      console.error(`canary: ${e.message}`);
      return 2;
    }
    if (e instanceof UsageError) {
      console.error(`canary: ${e.message}\n${USAGE}`);
      return 2;
    }
    console.error(`canary: ${(e as Error).message}`);
    return 1;
  }
}

/**
 * Makes `updated` the service's state in `envName`'s state file and re-synthesizes dist/;
 * when the output does not synthesize, the state file is restored and nothing changes.
 * Returns the change of the environment's output.
 */
function writeState(envName: string, service: string, updated: ServiceCanaryState) {
  const stateFile = canaryStatePath(envName);
  const previousText = fs.readFileSync(stateFile, 'utf8');
  const outdir = defaultOutdir();
  const before = readEnvironment(path.join(outdir, envName));
  writeAtomically(stateFile, JSON.stringify({ ...JSON.parse(previousText), [service]: updated }, null, 2) + '\n');
  try {
    synthesizeDefaultApp(outdir);
  } catch (e) {
    writeAtomically(stateFile, previousText); // nothing changes when the new state does not synthesize
    throw e;
  }
  return diffEnvironment(envName, before, readEnvironment(path.join(outdir, envName)));
}

/** Replaces `file` in one step (a new file renamed over it): an interruption leaves the old or the new content, never a part. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

/** The flags of `auto` go with auto only; auto needs Prometheus. */
function checkAutoFlags(action: string, third: string | undefined, gated: boolean, values: Options): void {
  const autoFlags = (['interval', 'max-duration', 'push'] as const).filter((f) => values[f] !== undefined);
  if (action !== 'auto') {
    if (autoFlags.length > 0) throw new UsageError(`--${autoFlags[0]} goes with auto`);
    return;
  }
  if (third !== undefined) throw new UsageError('auto takes no further argument');
  if (!gated) throw new UsageError('auto needs --prometheus <url>: every stage is measured before the next');
}

function parseDuration(flag: string, value: string, minMs: number): number {
  const ms = durationMs(value);
  if (ms === undefined || ms < minMs) throw new UsageError(`${flag} must be a duration such as "30s", "5m" or "2h" of at least ${minMs / 1000}s, got "${value}"`);
  return ms;
}

interface AutoContext {
  readonly env: (typeof environments)[number];
  readonly service: string;
  readonly plan: readonly number[];
  readonly thresholds: ReturnType<typeof resolveThresholds>;
  readonly client: PrometheusClient;
  readonly destination: string;
  readonly values: Options;
}

/** `auto`: the unattended canary (lib/canary/canary-auto.ts), committing each step in the state file's repository. */
async function runAuto(ctx: AutoContext): Promise<number> {
  const { env, service, values } = ctx;
  const intervalMs = parseDuration('--interval', values.interval ?? '5m', 1000);
  const maxDurationMs = parseDuration('--max-duration', values['max-duration'] ?? '2h', 1000);
  const stateFile = canaryStatePath(env.name);
  const outdir = defaultOutdir();
  const repo = GitRepository.containing(stateFile);
  const tracked = [stateFile, outdir];
  const push = values.push === true;
  repo.checkReady(push); // before anything changes
  const commit = (message: string): string => {
    const hash = repo.commit(tracked, message);
    if (hash && push) {
      try {
        repo.push();
      } catch (e) {
        throw new GitError(`committed ${hash} (state and dist/ are consistent) but could not push it, so Argo CD does not see it yet: ${(e as Error).message}. Push by hand, then run again to resume`);
      }
    }
    return hash ? `commit ${hash}${push ? ', pushed' : ''}` : 'no change to commit';
  };

  // Resume: a state change that was written but not committed (an interrupted run) is completed
  // first; uncommitted changes of dist/ alone are someone else's work and stop the run.
  const pending = repo.changedPaths(tracked);
  if (pending.length > 0) {
    if (repo.changedPaths([stateFile]).length === 0) {
      throw new UsageError(`uncommitted changes in ${path.relative(process.cwd(), outdir)} (${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', …' : ''}): commit or discard them before an unattended canary commits there`);
    }
    writeState(env.name, service, loadCanaryState(env.name)[service]);
    console.log(`canary: completed the interrupted step: ${commit(`canary: ${service} in ${env.name}: ${describe(service, loadCanaryState(env.name)[service], ctx.plan)}`)}`);
  }

  const controller = new AbortController();
  const onSigint = () => {
    if (!controller.signal.aborted) process.stderr.write('\ncanary: interrupted, stopping after the current step (Ctrl-C again does the same)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const windowMs = durationMs(ctx.thresholds.window)!;
  if (windowMs > intervalMs) {
    console.log(`canary: note: the window (${ctx.thresholds.window}) is longer than the interval (${formatDuration(intervalMs)}): each measurement also counts traffic from before its stage`);
  }
  const progress = new ProgressLine(process.stdout);
  console.log(`canary: ${env.name}: ${describe(service, loadCanaryState(env.name)[service], ctx.plan)}`);
  console.log(`canary: unattended, every ${formatDuration(intervalMs)}, at most ${formatDuration(maxDurationMs)}; bounds: error rate ≤ ${ctx.thresholds.maxErrorRate * 100}%, P99 ≤ ${ctx.thresholds.maxP99Ms} ms over ${ctx.thresholds.window}`);
  try {
    const result = await runCanaryAuto({
      service, environment: env.name, plan: ctx.plan, intervalMs, maxDurationMs, thresholds: ctx.thresholds, signal: controller.signal,
    }, {
      readState: () => loadCanaryState(env.name)[service],
      apply: (updated, message) => {
        writeState(env.name, service, updated);
        return commit(message);
      },
      stageStartedAt: () => (repo.changedPaths([stateFile]).length === 0 ? repo.lastCommitTime(stateFile) : undefined),
      probe: async () => { await ctx.client.query('vector(1)'); },
      measure: () => measureCanary(ctx.client, ctx.destination, DEFAULT_CANARY_VERSION, ctx.thresholds.window),
    }, progress);
    const line = `canary: ${result.outcome}: ${result.reason}`;
    if (result.outcome === 'promoted') console.log(line);
    else console.error(line);
    return CANARY_AUTO_EXIT_CODES[result.outcome];
  } finally {
    process.off('SIGINT', onSigint);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
