import { IConstruct } from 'constructs';

/**
 * Where a value was given: the construct being configured, or, for a static factory that computes
 * with its arguments before any construct exists (`PrometheusMetric.httpRequestsPerSecond`,
 * `Match.cookie`), the factory's name.
 */
export type InputLocation = IConstruct | string;

/**
 * A bad input to a construct. The message names where (the construct path), what (the field),
 * the offending value and what would have been accepted, so that a failed synth is fixable from
 * the message alone.
 */
export class ConfigurationError extends Error {
  /** The message without the `[constructPath] ` prefix (as reported by cdk8s validation). */
  public readonly detail: string;

  constructor(
    /** Construct path of the construct that was given the value (or the factory's name). */
    public readonly constructPath: string,
    /** Prop path of the bad value, e.g. `autoscaling.maxReplicas`. */
    public readonly field: string,
    /** The value as given. */
    public readonly value: unknown,
    /** What is allowed instead. */
    public readonly allowed: string,
  ) {
    const detail = `invalid ${field}: ${describeValue(value)}; allowed: ${allowed}`;
    super(`[${constructPath}] ${detail}`);
    this.detail = detail;
    this.name = 'ConfigurationError';
  }
}

/** Throws a {@link ConfigurationError} for `scope`. */
export function fail(scope: InputLocation, field: string, value: unknown, allowed: string): never {
  const path = typeof scope === 'string' ? scope : scope.node.path || '<app>';
  throw new ConfigurationError(path, field, value, allowed);
}

/**
 * Registers `check` as a cdk8s validation of `scope`, for what can only be judged once the whole
 * app is built (a caller defined later in the app). `check` uses the ordinary validators; a
 * {@link ConfigurationError} it throws becomes a validation message, which `planApp` (and
 * `App.synth()`) report together with every other construct's, with construct paths and without
 * a stack trace, before anything is rendered. Lazy values resolved while rendering must not fail:
 * by then every such check has passed.
 */
export function validateAtSynthesis(scope: IConstruct, check: () => void): void {
  scope.node.addValidation({
    validate: () => {
      try {
        check();
        return [];
      } catch (e) {
        if (!(e instanceof ConfigurationError)) throw e;
        return [e.constructPath === (scope.node.path || '<app>') ? e.detail : e.message];
      }
    },
  });
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return String(value);
    return json.length > 200 ? `${json.slice(0, 200)}…` : json;
  } catch {
    return describeObject(value);
  }
}

/** A readable name for a value JSON cannot show (cycles, e.g. a construct). */
function describeObject(value: unknown): string {
  const ctor = (value as { constructor?: { name?: string } } | null)?.constructor?.name;
  const path = (value as { node?: { path?: unknown } } | null)?.node?.path;
  if (typeof path === 'string') return `${ctor ?? 'construct'} at ${path || '<app>'}`;
  return ctor ? `a ${ctor}` : String(value);
}
