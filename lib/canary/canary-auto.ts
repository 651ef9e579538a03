import {
  CanaryAnalysisThresholds, CanaryMeasurement, describeMeasurement, judgeCanary, NoCanaryDataError, PrometheusUnavailableError,
} from './canary-analysis';
import { CanaryOperationError, nextStep, promote, rollback, ServiceCanaryState } from './canary-state';
import { formatDuration, ProgressLine } from './progress-line';

/**
 * How an unattended canary run ended, and the process exit code of each outcome
 * (2 is the command's usage error).
 */
export const CANARY_AUTO_EXIT_CODES = {
  /** Every stage was healthy: the canary is the new stable. */
  'promoted': 0,
  /** A measurement was out of bounds: all traffic is back on stable. */
  'rolled-back': 1,
  /** `--max-duration` elapsed before the end of the plan: the last healthy stage stays, committed. */
  'timed-out': 3,
  /** Prometheus unreachable, an error answer or no data: paused, the current stage stays; run again to resume. */
  'paused': 4,
  /** Interrupted (SIGINT): the current stage stays, committed; run again to resume. */
  'interrupted': 130,
} as const;

/** An outcome of {@link runCanaryAuto}. */
export type CanaryAutoOutcome = keyof typeof CANARY_AUTO_EXIT_CODES;

/** What the loop reads and changes: the committed state, and Prometheus. */
export interface CanaryAutoDriver {
  /** The service's current state (from the committed state file). */
  readState(): ServiceCanaryState;
  /**
   * Makes `state` the service's state: writes the state file, synthesizes the output and commits
   * both (and pushes, when asked) — synchronously, so that an interruption never falls between.
   * Returns a short description of what was recorded (e.g. the commit).
   */
  apply(state: ServiceCanaryState, message: string): string;
  /** When the current state was committed (ms since the epoch), to resume a stage's wait; undefined when unknown. */
  stageStartedAt(): number | undefined;
  /** Throws PrometheusUnavailableError when Prometheus cannot answer a query. */
  probe(): Promise<void>;
  /** The canary's numbers over the analysis window. */
  measure(): Promise<CanaryMeasurement>;
}

/** Settings of one run. */
export interface CanaryAutoOptions {
  /** The service under canary, for messages. */
  readonly service: string;
  /** The environment, for messages. */
  readonly environment: string;
  /** Canary weights of the stages, ascending, e.g. [5, 20, 50, 100]. */
  readonly plan: readonly number[];
  /** Time each stage is observed before it is measured. */
  readonly intervalMs: number;
  /** Longest time this run may take; when the next measurement would come later, it stops (timed out). */
  readonly maxDurationMs: number;
  /** The bounds the canary must stay within. */
  readonly thresholds: Required<CanaryAnalysisThresholds>;
  /** Aborts the run (Ctrl-C): a wait ends at once, a state change in progress completes first. */
  readonly signal?: AbortSignal;
  /** The clock. @default Date.now */
  readonly now?: () => number;
  /** Tick of the live progress line. @default 1000 ms */
  readonly tickMs?: number;
}

/** The result of {@link runCanaryAuto}. */
export interface CanaryAutoResult {
  readonly outcome: CanaryAutoOutcome;
  /** One sentence: why the run ended. */
  readonly reason: string;
  /** The state the service is left in. */
  readonly state: ServiceCanaryState;
  /** Every measurement taken, in order, with the weight it judged. */
  readonly measurements: readonly { readonly weight: number; readonly measurement: CanaryMeasurement; readonly healthy: boolean }[];
}

/**
 * The unattended canary of seed 004's canary-deploy.sh, GitOps-style: for each stage of the
 * plan, the weight is committed (Argo CD applies it), the stage is observed for the interval and
 * measured; in bounds it advances, out of bounds it rolls back, and after the last stage the
 * canary is promoted. It starts from the committed state, so a run that was interrupted resumes
 * where it stopped: the wait of the current stage counts from the commit that set it.
 */
export async function runCanaryAuto(options: CanaryAutoOptions, driver: CanaryAutoDriver, progress: ProgressLine): Promise<CanaryAutoResult> {
  const now = options.now ?? Date.now;
  const { service, plan, thresholds } = options;
  const started = now();
  const deadline = started + options.maxDurationMs;
  const measurements: { weight: number; measurement: CanaryMeasurement; healthy: boolean }[] = [];
  let state = driver.readState();
  const end = (outcome: CanaryAutoOutcome, reason: string): CanaryAutoResult => {
    progress.clear();
    return { outcome, reason, state, measurements };
  };
  const change = (updated: ServiceCanaryState, message: string) => {
    const recorded = driver.apply(updated, message);
    state = updated;
    progress.log(`${message}${recorded ? ` (${recorded})` : ''}`);
  };

  if (!state.canary) throw new CanaryOperationError(`${service} has no canary track in ${options.environment}: add a "canary" entry (imageTag, weight 0) to the state file first`);
  if (state.canary.rolledBack) throw new CanaryOperationError(`${service} was rolled back; set weights explicitly (e.g. 95 5) to start again`);

  // Nothing changes unless Prometheus can answer: a run that cannot judge must not start shifting traffic.
  try {
    await driver.probe();
  } catch (e) {
    if (e instanceof PrometheusUnavailableError) return end('paused', `nothing changed: ${e.message}`);
    throw e;
  }
  if (options.signal?.aborted) return end('interrupted', 'interrupted before the first stage; nothing changed');

  let stageStart: number;
  if (state.canary.weight === 0) {
    change(nextStep(service, state, plan), stageMessage(options, nextStep(service, state, plan).canary!.weight));
    stageStart = now();
  } else {
    stageStart = Math.min(driver.stageStartedAt() ?? now(), now());
  }

  let last: string | undefined;
  for (;;) {
    const weight = state.canary!.weight;
    const measureAt = stageStart + options.intervalMs;
    if (measureAt > deadline) {
      return end('timed-out', `--max-duration ${formatDuration(options.maxDurationMs)} reached before the ${weight}% stage could be measured; the canary stays at ${weight}% (committed). Run again to resume, or roll back`);
    }
    const waited = await waitUntil(measureAt, options, now, (left, first) => progress.update(
      `${service} ${stageLabel(plan, weight)}: canary at ${weight}%, measuring in ${formatDuration(left)}${last ? `; last: ${last}` : ''}`,
      first,
    ));
    if (!waited) return end('interrupted', `interrupted while observing the ${weight}% stage; the canary stays at ${weight}% (committed). Run again to resume`);

    let measurement: CanaryMeasurement;
    try {
      measurement = await driver.measure();
    } catch (e) {
      if (e instanceof PrometheusUnavailableError || e instanceof NoCanaryDataError) {
        return end('paused', `paused at ${weight}%, nothing changed: ${e.message}. Run again to resume`);
      }
      throw e;
    }
    if (options.signal?.aborted) return end('interrupted', `interrupted while measuring the ${weight}% stage; the canary stays at ${weight}%`);
    const verdict = judgeCanary(measurement, thresholds);
    measurements.push({ weight, measurement, healthy: verdict.healthy });
    last = describeMeasurement(measurement, thresholds);
    progress.log(`${service} at ${weight}%: ${last}: ${verdict.healthy ? 'healthy' : `unhealthy (${verdict.reasons.join('; ')})`}`);

    if (!verdict.healthy) {
      change(rollback(service, state), `canary: roll back ${service} in ${options.environment} to 100% stable: ${verdict.reasons.join('; ')} at ${weight}%`);
      return end('rolled-back', `rolled back at ${weight}%: ${verdict.reasons.join('; ')}`);
    }
    const next = plan.find((w) => w > weight);
    if (next === undefined || weight >= 100) {
      const image = state.canary!.imageTag;
      change(promote(service, state), `canary: promote ${service} ${image} in ${options.environment} after ${plan.join(' → ')}`);
      return end('promoted', `promoted ${image}: every stage was within bounds`);
    }
    change(nextStep(service, state, plan), stageMessage(options, next));
    stageStart = now();
    if (options.signal?.aborted) return end('interrupted', `interrupted; the canary is at ${next}% (committed). Run again to resume`);
  }
}

function stageMessage(options: CanaryAutoOptions, weight: number): string {
  return `canary: ${options.service} in ${options.environment} to ${weight}% (${stageLabel(options.plan, weight)})`;
}

/** "stage 2/4"; a weight between stages counts as the last stage below it. */
function stageLabel(plan: readonly number[], weight: number): string {
  return `stage ${Math.max(1, plan.filter((w) => w <= weight).length)}/${plan.length}`;
}

/** Waits until `at`, reporting the time left every tick; false when aborted. */
async function waitUntil(at: number, options: CanaryAutoOptions, now: () => number, report: (leftMs: number, first: boolean) => void): Promise<boolean> {
  const tick = options.tickMs ?? 1000;
  const signal = options.signal;
  for (let first = true; ; first = false) {
    if (signal?.aborted) return false;
    const left = at - now();
    report(Math.max(0, left), first);
    if (left <= 0) return true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(tick, left));
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
