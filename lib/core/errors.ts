import { IConstruct } from 'constructs';

/**
 * A bad input to a construct. The message names where (the construct path), what (the field),
 * the offending value and what would have been accepted, so that a failed synth is fixable from
 * the message alone.
 */
export class ConfigurationError extends Error {
  constructor(
    /** Construct path of the construct that was given the value. */
    public readonly constructPath: string,
    /** Prop path of the bad value, e.g. `autoscaling.maxReplicas`. */
    public readonly field: string,
    /** The value as given. */
    public readonly value: unknown,
    /** What is allowed instead. */
    public readonly allowed: string,
  ) {
    super(`[${constructPath}] invalid ${field}: ${describeValue(value)}; allowed: ${allowed}`);
    this.name = 'ConfigurationError';
  }
}

/** Throws a {@link ConfigurationError} for `scope`. */
export function fail(scope: IConstruct, field: string, value: unknown, allowed: string): never {
  throw new ConfigurationError(scope.node.path || '<app>', field, value, allowed);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 200 ? `${json.slice(0, 200)}…` : json;
  } catch {
    return String(value);
  }
}
