// `npm run canary -- <service> <stable-weight> <canary-weight> [--env <env>]`
// `npm run canary -- <service> next|promote|rollback|status [--env <env>]`
// The GitOps replacement of canary-deployment.sh: changes the environment's committed canary
// state (config/<env>.canary.json), re-synthesizes dist/ and prints what changed (as `npm run diff`). Commit both
// and Argo CD rolls it out. Bad input changes no file.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { canaryAnalysisDefaults } from '../app/canary-defaults';
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
    advances only while the canary's error rate and P99 are within bounds, rolls back otherwise`;

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
    if (gated && action !== 'next') throw new UsageError('--prometheus goes with next');
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
      const advanced = nextStep(service, current, plan); // refuses before asking Prometheus when there is no next step
      let client: PrometheusClient;
      try {
        client = new PrometheusClient(values.prometheus!);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const destination = `${service}.${env.namespace}.svc.cluster.local`;
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

    const previousText = fs.readFileSync(stateFile, 'utf8');
    const outdir = defaultOutdir();
    const before = readEnvironment(path.join(outdir, env.name));
    fs.writeFileSync(stateFile, JSON.stringify({ ...state, [service]: updated }, null, 2) + '\n');
    try {
      synthesizeDefaultApp(outdir);
    } catch (e) {
      fs.writeFileSync(stateFile, previousText); // nothing changes when the new state does not synthesize
      throw e;
    }
    console.log(`${env.name}: ${describe(service, current, plan)}`);
    console.log(`  → ${describe(service, updated, plan)}`);
    console.log(`changed: ${path.relative(process.cwd(), stateFile)}`);
    // The same review as `npm run diff`: traffic steps and other risks first, then the changed fields.
    const diff = diffEnvironment(env.name, before, readEnvironment(path.join(outdir, env.name)));
    const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
    console.log(`dist/${formatEnvironment(diff, { color }).join('\n')}`);
    console.log('Review, commit config and dist/, and Argo CD applies it.');
    return exitCode;
  } catch (e) {
    if (e instanceof PrometheusUnavailableError || e instanceof NoCanaryDataError) {
      console.error(`canary: nothing changed: ${e.message}`);
      return 1;
    }
    if (e instanceof UsageError) {
      console.error(`canary: ${e.message}\n${USAGE}`);
      return 2;
    }
    console.error(`canary: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
