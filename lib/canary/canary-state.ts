/**
 * The state of progressive delivery for one environment: for each service under canary
 * management, the stable image and, while a canary runs, its image and traffic share. It is
 * data (a committed JSON file next to the environment's config), changed by `npm run canary`
 * and read by the app at synthesis; these functions are the only way it changes.
 */

/** An image version of a track. */
export interface TrackImage {
  /** Image tag. */
  readonly imageTag: string;
  /** Optional digest pinning the tag's content. */
  readonly imageDigest?: string;
}

/** A running canary. */
export interface CanaryTrackState extends TrackImage {
  /** Percent of traffic sent to the canary (0–100). */
  readonly weight: number;
  /** Set by `rollback`: all traffic on stable, no canary routes; cleared by setting weights. */
  readonly rolledBack?: boolean;
}

/** One service's delivery state. */
export interface ServiceCanaryState {
  readonly stable: TrackImage;
  readonly canary?: CanaryTrackState;
}

/** An environment's state file: service name → state. */
export type CanaryStateFile = Record<string, ServiceCanaryState>;

/** The default progression of `next`. */
export const DEFAULT_CANARY_PLAN: readonly number[] = [10, 25, 50, 75, 100];

/** A refused operation; the message says why and what to do. */
export class CanaryOperationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanaryOperationError';
  }
}

function requireCanary(service: string, state: ServiceCanaryState): CanaryTrackState {
  if (!state.canary) {
    throw new CanaryOperationError(`${service} has no canary track: add a "canary" entry (imageTag, weight) for it to the state file first`);
  }
  return state.canary;
}

/** Sets the split to `stable`/`canary` percent (integers summing to 100). */
export function setWeights(service: string, state: ServiceCanaryState, stable: number, canary: number): ServiceCanaryState {
  const track = requireCanary(service, state);
  for (const [name, w] of [['stable', stable], ['canary', canary]] as const) {
    if (!Number.isInteger(w) || w < 0 || w > 100) throw new CanaryOperationError(`${name} weight must be an integer from 0 to 100, got ${w}`);
  }
  if (stable + canary !== 100) throw new CanaryOperationError(`weights must sum to 100, got ${stable} + ${canary} = ${stable + canary}`);
  return { ...state, canary: { ...track, weight: canary, rolledBack: undefined } };
}

/** Advances the canary to the next step of `plan` above its current weight. */
export function nextStep(service: string, state: ServiceCanaryState, plan: readonly number[] = DEFAULT_CANARY_PLAN): ServiceCanaryState {
  const track = requireCanary(service, state);
  if (track.rolledBack) throw new CanaryOperationError(`${service} was rolled back; set weights explicitly (e.g. 90 10) to start again`);
  const next = plan.find((w) => w > track.weight);
  if (next === undefined) throw new CanaryOperationError(`${service} canary is at ${track.weight}%, the end of the plan (${plan.join(' → ')}); run promote`);
  return { ...state, canary: { ...track, weight: next } };
}

/** The canary becomes the new stable: stable takes its image, the canary track is removed. */
export function promote(service: string, state: ServiceCanaryState): ServiceCanaryState {
  const track = requireCanary(service, state);
  if (track.rolledBack) throw new CanaryOperationError(`${service} was rolled back; a rolled-back canary cannot be promoted`);
  return { stable: { imageTag: track.imageTag, imageDigest: track.imageDigest } };
}

/** All traffic back to stable and the canary routes removed; the canary Deployment stays for inspection. */
export function rollback(service: string, state: ServiceCanaryState): ServiceCanaryState {
  const track = requireCanary(service, state);
  return { ...state, canary: { ...track, weight: 0, rolledBack: true } };
}

/** One line describing the split. */
export function describe(service: string, state: ServiceCanaryState, plan: readonly number[] = DEFAULT_CANARY_PLAN): string {
  const stable = `stable ${state.stable.imageTag}`;
  if (!state.canary) return `${service}: ${stable} 100%, no canary`;
  const c = state.canary;
  if (c.rolledBack) return `${service}: ${stable} 100%, canary ${c.imageTag} rolled back (0%, no canary routes)`;
  const next = plan.find((w) => w > c.weight);
  return `${service}: ${stable} ${100 - c.weight}%, canary ${c.imageTag} ${c.weight}% (plan ${plan.join(' → ')}; ${next === undefined ? 'next: promote' : `next: ${next}%`})`;
}
