import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';

/** How a string is matched. */
export type StringMatch = { readonly exact: string } | { readonly prefix: string } | { readonly regex: string };

/** Conditions of one match block; all must hold. */
export interface RouteMatch {
  /** Request headers by (lower-case) name. */
  readonly headers?: Record<string, StringMatch>;
  /** The request path. */
  readonly uri?: StringMatch;
  /** The HTTP method. */
  readonly method?: StringMatch;
  /** Query parameters. */
  readonly queryParams?: Record<string, StringMatch>;
}

/** Helpers for common matches. */
export const Match = {
  /** A header with exactly this value, e.g. `Match.header('x-user-type', 'tester')`. */
  header(name: string, value: string): RouteMatch {
    return { headers: { [name]: { exact: value } } };
  },
  /** A header matching a regular expression (RE2). */
  headerRegex(name: string, regex: string): RouteMatch {
    return { headers: { [name]: { regex } } };
  },
  /** A cookie `name=value` anywhere in the Cookie header (Istio matches cookies through it). */
  cookie(name: string, value: string): RouteMatch {
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return { headers: { cookie: { regex: `^(.*?;\\s*)?(${esc(name)}=${esc(value)})(;.*)?$` } } };
  },
  /** Paths starting with `prefix`. */
  pathPrefix(prefix: string): RouteMatch {
    return { uri: { prefix } };
  },
  /** Exactly this path. */
  path(path: string): RouteMatch {
    return { uri: { exact: path } };
  },
};

/** Where a share of the traffic goes: a subset (track version) of the service and its weight. */
export interface RouteDestination {
  /** The subset, i.e. a track's version label (e.g. "v1", "v2"). */
  readonly subset: string;
  /** Percent of the route's traffic, an integer 0–100; all destinations of a route sum to 100. @default 100 (single destination) */
  readonly weight?: number;
}

/** Retry policy. */
export interface RetryOptions {
  /** Attempts after the first; 0 disables retries. */
  readonly attempts: number;
  /** Timeout of each attempt. @default the route timeout */
  readonly perTryTimeout?: string;
  /** Envoy retry conditions, e.g. ["5xx", "reset", "connect-failure"]. @default Istio's default */
  readonly retryOn?: string[];
}

/** Fault injection for resilience testing. */
export interface FaultOptions {
  /** Delay a share of requests. */
  readonly delay?: { readonly fixedDelay: string; readonly percentage: number };
  /** Fail a share of requests with an HTTP status. */
  readonly abort?: { readonly httpStatus: number; readonly percentage: number };
}

/** One HTTP route rule; rules are evaluated in order, the first match wins. */
export interface HttpRouteOptions {
  /** Name of the rule (shown in Envoy stats). @default none */
  readonly name?: string;
  /** Match blocks, any of which selects the rule. @default every request */
  readonly match?: RouteMatch[];
  /** Destinations and weights. @default the stable subset, 100 % */
  readonly destinations?: RouteDestination[];
  /** Rewrite the path (prefix) before forwarding, e.g. "/api/v2" → "/api". @default none */
  readonly rewriteUri?: string;
  /** Copy a percentage of the traffic to another subset (responses discarded). @default none */
  readonly mirror?: { readonly subset: string; readonly percentage: number };
  /** Overall request timeout. @default none (Istio: disabled) */
  readonly timeout?: string;
  /** Retries. @default Istio's default (2 attempts) */
  readonly retries?: RetryOptions;
  /** Injected faults. @default none */
  readonly fault?: FaultOptions;
}

/** Retry conditions Envoy understands (plus 3-digit status codes, which Istio accepts). */
export const ENVOY_RETRY_ON = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
] as const;

function renderStringMatch(scope: IConstruct, field: string, m: StringMatch): StringMatch {
  const keys = Object.keys(m ?? {});
  if (keys.length !== 1 || !['exact', 'prefix', 'regex'].includes(keys[0])) fail(scope, field, m, 'exactly one of exact, prefix or regex');
  if ('regex' in m) {
    try {
      new RegExp(m.regex);
    } catch {
      fail(scope, `${field}.regex`, m.regex, 'a valid (RE2) regular expression');
    }
  }
  return m;
}

function renderMatch(scope: IConstruct, field: string, m: RouteMatch): any {
  const mapOf = (f: string, record?: Record<string, StringMatch>) => record && Object.fromEntries(
    Object.entries(record).map(([k, sm]) => [k, renderStringMatch(scope, `${field}.${f}.${k}`, sm)]));
  return {
    headers: mapOf('headers', m.headers),
    uri: m.uri && renderStringMatch(scope, `${field}.uri`, m.uri),
    method: m.method && renderStringMatch(scope, `${field}.method`, m.method),
    queryParams: mapOf('queryParams', m.queryParams),
  };
}

/**
 * Validates a route and renders it as a VirtualService `http` entry for `host`.
 * `subsets` are the subsets the DestinationRule defines; `defaultSubset` is used when the route
 * names no destination.
 */
export function renderHttpRoute(scope: IConstruct, field: string, route: HttpRouteOptions, host: string, subsets: readonly string[], defaultSubset: string): any {
  const checkSubset = (f: string, subset: string) => {
    if (!subsets.includes(subset)) fail(scope, f, subset, `a subset of ${host}: ${subsets.join(', ')}`);
  };
  const destinations = route.destinations ?? [{ subset: defaultSubset }];
  v.nonEmpty(scope, `${field}.destinations`, destinations);
  destinations.forEach((d, i) => checkSubset(`${field}.destinations[${i}].subset`, d.subset));
  v.unique(scope, `${field}.destinations (subsets)`, destinations.map((d) => d.subset));
  if (destinations.length > 1 || destinations[0].weight !== undefined) {
    destinations.forEach((d, i) => v.integer(scope, `${field}.destinations[${i}].weight`, d.weight, 0, 100));
    const sum = destinations.reduce((a, d) => a + (d.weight ?? 0), 0);
    if (sum !== 100) fail(scope, `${field}.destinations`, destinations.map((d) => `${d.subset}=${d.weight}`).join(' '), `weights that sum to 100 (they sum to ${sum})`);
  }
  if (route.timeout !== undefined) v.duration(scope, `${field}.timeout`, route.timeout);
  if (route.retries) {
    v.integer(scope, `${field}.retries.attempts`, route.retries.attempts, 0, 100);
    if (route.retries.perTryTimeout !== undefined) v.duration(scope, `${field}.retries.perTryTimeout`, route.retries.perTryTimeout);
    (route.retries.retryOn ?? []).forEach((c, i) => {
      if (!(ENVOY_RETRY_ON as readonly string[]).includes(c) && !/^[1-5]\d\d$/.test(c)) {
        fail(scope, `${field}.retries.retryOn[${i}]`, c, `an Envoy retry condition (${ENVOY_RETRY_ON.join(', ')}) or an HTTP status code`);
      }
    });
  }
  const fault = route.fault;
  if (fault?.delay) {
    v.duration(scope, `${field}.fault.delay.fixedDelay`, fault.delay.fixedDelay);
    v.percentage(scope, `${field}.fault.delay.percentage`, fault.delay.percentage, true);
  }
  if (fault?.abort) {
    v.integer(scope, `${field}.fault.abort.httpStatus`, fault.abort.httpStatus, 200, 599);
    v.percentage(scope, `${field}.fault.abort.percentage`, fault.abort.percentage, true);
  }
  if (route.mirror) {
    checkSubset(`${field}.mirror.subset`, route.mirror.subset);
    v.percentage(scope, `${field}.mirror.percentage`, route.mirror.percentage, true);
  }
  if (route.rewriteUri !== undefined) v.httpPath(scope, `${field}.rewriteUri`, route.rewriteUri);
  return {
    name: route.name,
    match: route.match?.map((m, i) => renderMatch(scope, `${field}.match[${i}]`, m)),
    route: destinations.map((d) => ({ destination: { host, subset: d.subset }, weight: destinations.length > 1 || d.weight !== undefined ? d.weight : undefined })),
    rewrite: route.rewriteUri !== undefined ? { uri: route.rewriteUri } : undefined,
    mirror: route.mirror ? { host, subset: route.mirror.subset } : undefined,
    mirrorPercentage: route.mirror ? { value: route.mirror.percentage } : undefined,
    timeout: route.timeout,
    retries: route.retries && { attempts: route.retries.attempts, perTryTimeout: route.retries.perTryTimeout, retryOn: route.retries.retryOn?.join(',') },
    fault: fault && {
      delay: fault.delay && { fixedDelay: fault.delay.fixedDelay, percentage: { value: fault.delay.percentage } },
      abort: fault.abort && { httpStatus: fault.abort.httpStatus, percentage: { value: fault.abort.percentage } },
    },
  };
}
