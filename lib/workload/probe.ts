import { IConstruct } from 'constructs';
import { Probe as KubeProbe, IntOrString } from '../../imports/k8s';
import * as v from '../core/validators';

/** Each timing field of a probe: its default when not set, and the range allowed. */
const TIMING_RANGES: ReadonlyArray<readonly [string, number, number, number]> = [
  ['initialDelaySeconds', 0, 0, 3600],
  ['periodSeconds', 10, 1, 3600],
  ['timeoutSeconds', 1, 1, 3600],
  ['failureThreshold', 3, 1, 1000],
  ['successThreshold', 1, 1, 1000],
];

/** Timing of a probe; every field maps 1:1 to the Kubernetes probe field of the same name. */
export interface ProbeTiming {
  /** @default 0 for readiness and startup, 10 for liveness (a startup probe guards slow starts) */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 3 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** @default 1 */
  readonly successThreshold?: number;
}

/** How a probe reaches the container. */
type ProbeAction = { readonly kind: 'http'; readonly path: string } | { readonly kind: 'tcp' };

/**
 * A liveness, readiness or startup check. Always aimed at the container's named `http` port,
 * so that changing the port number never leaves a probe behind.
 */
export class Probe {
  /** An HTTP GET of `path`, healthy on 2xx/3xx. */
  public static http(path: string, timing: ProbeTiming = {}): Probe {
    return new Probe({ kind: 'http', path }, timing);
  }

  /** A TCP connect to the port, for services without an HTTP health endpoint. */
  public static tcp(timing: ProbeTiming = {}): Probe {
    return new Probe({ kind: 'tcp' }, timing);
  }

  private constructor(private readonly action: ProbeAction, public readonly timing: ProbeTiming) {}

  /** The HTTP path probed, when this is an HTTP probe. */
  public get path(): string | undefined {
    return this.action.kind === 'http' ? this.action.path : undefined;
  }

  /** The same check with other timing (fields given override this probe's). */
  public withTiming(timing: ProbeTiming): Probe {
    return new Probe(this.action, { ...this.timing, ...timing });
  }

  /** Validates and renders the probe for the port named `portName`. */
  public render(scope: IConstruct, field: string, portName: string, defaults: ProbeTiming): KubeProbe {
    const timing: Record<string, unknown> = this.timing === undefined ? {} : { ...v.optionalObject(scope, `${field}.timing`, this.timing, 'an object of ProbeTiming') };
    // null in a timing field means "not set", as everywhere: the default applies.
    const t: Record<string, unknown> = { ...defaults };
    for (const key of Object.keys(timing)) {
      if (v.isSet(timing[key])) t[key] = timing[key];
    }
    for (const [key, fallback, min, max] of TIMING_RANGES) v.integer(scope, `${field}.${key}`, t[key] ?? fallback, min, max);
    const port = IntOrString.fromString(portName);
    const action = this.action.kind === 'http'
      ? { httpGet: { path: v.httpPath(scope, `${field}.path`, this.action.path), port } }
      : { tcpSocket: { port } };
    return { ...action, ...(t as ProbeTiming) };
  }
}
