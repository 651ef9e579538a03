import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { re2Problem } from '../validation/istio/re2';

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
  /** The port the request was sent to (on the host or gateway). */
  readonly port?: number;
}

/** Helpers for common matches. */
export const Match = {
  /** A header with exactly this value, e.g. `Match.header('x-user-type', 'tester')`. */
  header(name: string, value: string): RouteMatch {
    return { headers: { [headerName('Match.header', name)]: { exact: v.text('Match.header', 'value', value, 'the header value') } } };
  },
  /** A header matching a regular expression (RE2). */
  headerRegex(name: string, regex: string): RouteMatch {
    return { headers: { [headerName('Match.headerRegex', name)]: { regex: v.text('Match.headerRegex', 'regex', regex, 'a regular expression') } } };
  },
  /** A cookie `name=value` anywhere in the Cookie header (Istio matches cookies through it). */
  cookie(name: string, value: string): RouteMatch {
    v.text('Match.cookie', 'name', name, 'the cookie name');
    v.text('Match.cookie', 'value', value, 'the cookie value');
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return { headers: { cookie: { regex: `^(.*?;\\s*)?(${esc(name)}=${esc(value)})(;.*)?$` } } };
  },
  /** Paths starting with `prefix`. */
  pathPrefix(prefix: string): RouteMatch {
    return { uri: { prefix: v.httpPath('Match.pathPrefix', 'prefix', prefix) } };
  },
  /** Exactly this path. */
  path(path: string): RouteMatch {
    return { uri: { exact: v.httpPath('Match.path', 'path', path) } };
  },
};

/** HTTP header names as Istio accepts them in matches: lower-case tokens (RFC 7230). */
const MATCH_HEADER_NAME = /^[a-z0-9!#$%&'*+\-.^_`|~]+$/;

function headerName(factory: string, name: unknown): string {
  const text = v.text(factory, 'name', name, 'a header name such as "x-user-type"');
  if (!MATCH_HEADER_NAME.test(text)) fail(factory, 'name', name, 'a lower-case HTTP header name (letters, digits and !#$%&\'*+-.^_`|~), e.g. "x-user-type"');
  return text;
}

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
  /** Request and response headers set, added or removed (e.g. a Set-Cookie for an A/B cohort). @default none */
  readonly headers?: HeaderManipulation;
  /** Cross-origin resource sharing answered by the proxy. @default none */
  readonly corsPolicy?: CorsPolicyOptions;
}

/** Header operations on one side (request or response). */
export interface HeaderOperations {
  /** Headers overwritten (or created) with these values. @default none */
  readonly set?: Record<string, string>;
  /** Headers appended with these values (repeated headers allowed). @default none */
  readonly add?: Record<string, string>;
  /** Header names removed. @default none */
  readonly remove?: string[];
}

/** Header manipulation of a route. */
export interface HeaderManipulation {
  /** Before the request is forwarded. @default none */
  readonly request?: HeaderOperations;
  /** Before the response is returned. @default none */
  readonly response?: HeaderOperations;
}

/** A route's CORS policy. */
export interface CorsPolicyOptions {
  /** Origins allowed, e.g. `[{ exact: 'https://shop.example.com' }, { regex: 'https://.*\\.example\\.com' }]`. */
  readonly allowOrigins: StringMatch[];
  /** Methods allowed. @default Envoy's default (the request's method) */
  readonly allowMethods?: string[];
  /** Request headers allowed (`Access-Control-Allow-Headers`). @default none */
  readonly allowHeaders?: string[];
  /** Response headers exposed to the browser. @default none */
  readonly exposeHeaders?: string[];
  /** How long a preflight may be cached, in whole seconds (e.g. "24h"). @default not cached */
  readonly maxAge?: string;
  /** Whether credentials (cookies, authorization) may be sent. @default false */
  readonly allowCredentials?: boolean;
}

/** Retry conditions Envoy understands (plus 3-digit status codes, which Istio accepts). */
export const ENVOY_RETRY_ON = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
] as const;

function renderStringMatch(scope: IConstruct, field: string, m: StringMatch): StringMatch {
  const keys = Object.keys(v.object(scope, field, m, 'a string match: { exact }, { prefix } or { regex }'));
  if (keys.length !== 1 || !['exact', 'prefix', 'regex'].includes(keys[0])) fail(scope, field, m, 'exactly one of exact, prefix or regex');
  v.text(scope, `${field}.${keys[0]}`, (m as any)[keys[0]], 'a string');
  // Istio matches with RE2: JavaScript's RegExp would accept look-around and backreferences istiod refuses.
  const problem = 'regex' in m ? re2Problem((m as { regex: string }).regex) : undefined;
  if (problem) fail(scope, `${field}.regex`, (m as { regex: string }).regex, `an RE2 regular expression (${problem.replace(/^".*?" is not /, 'not ')})`);
  return m;
}

function renderMatch(scope: IConstruct, field: string, m: RouteMatch): any {
  v.object(scope, field, m, 'a RouteMatch { headers?, uri?, method?, queryParams?, port? }, e.g. Match.header("x-user-type", "tester")');
  const mapOf = (f: string, record?: Record<string, StringMatch>) => v.isSet(record) ? Object.fromEntries(
    Object.entries(v.object(scope, `${field}.${f}`, record, 'a map of names to string matches'))
      .map(([k, sm]) => {
        if (f === 'headers' && !MATCH_HEADER_NAME.test(k)) fail(scope, `${field}.headers`, k, 'lower-case HTTP header names (letters, digits and !#$%&\'*+-.^_`|~)');
        if (f === 'queryParams' && k.length === 0) fail(scope, `${field}.queryParams`, k, 'non-empty query parameter names');
        return [k, renderStringMatch(scope, `${field}.${f}.${k}`, sm)];
      })) : undefined;
  return {
    headers: mapOf('headers', m.headers),
    uri: v.isSet(m.uri) ? renderStringMatch(scope, `${field}.uri`, m.uri) : undefined,
    method: v.isSet(m.method) ? renderStringMatch(scope, `${field}.method`, m.method) : undefined,
    queryParams: mapOf('queryParams', m.queryParams),
    port: v.isSet(m.port) ? v.port(scope, `${field}.port`, m.port) : undefined,
  };
}

/** A rendered VirtualService destination. */
export interface RenderedDestination {
  readonly host: string;
  readonly subset?: string;
  readonly port?: { readonly number: number };
}

/**
 * What a route's destinations (and mirror) may name and how they render: the subsets of one host
 * ({@link subsetTarget}), or services and ports behind a gateway (GatewayRoute).
 */
export interface RouteTarget<D> {
  /** Checks one destination (errors name `field`) and renders it. */
  destination(field: string, d: D): RenderedDestination;
  /** A short key of a destination, for duplicate checks and messages (e.g. the subset name). */
  key(d: D): string;
  /** Destinations of a route that names none; undefined when a route must name them. */
  readonly defaults?: readonly D[];
  /** The mirror's destination, when mirroring is possible. */
  mirror?(field: string, m: any): RenderedDestination;
  /** The fields of a mirror besides its percentage, for type errors. @default "subset" */
  readonly mirrorFields?: string;
  /** Describes a destination for type errors, e.g. "a RouteDestination { subset, weight? }". */
  readonly describe: string;
}

/** Destinations among the `subsets` of `host` (one DestinationRule); `defaultSubset` when a route names none. */
export function subsetTarget(scope: IConstruct, host: string, subsets: readonly string[], defaultSubset: string): RouteTarget<RouteDestination> {
  const checkSubset = (f: string, subset: string) => {
    if (!subsets.includes(subset)) fail(scope, f, subset, `a subset of ${host}: ${subsets.join(', ')}`);
    return subset;
  };
  return {
    destination: (field, d) => ({ host, subset: checkSubset(`${field}.subset`, d.subset) }),
    key: (d) => d.subset,
    defaults: [{ subset: defaultSubset }],
    mirror: (field, m) => ({ host, subset: checkSubset(`${field}.subset`, m.subset) }),
    describe: 'a RouteDestination { subset, weight? }',
  };
}

/**
 * Validates a route and renders it as a VirtualService `http` entry for `host`.
 * `subsets` are the subsets the DestinationRule defines; `defaultSubset` is used when the route
 * names no destination. Errors name `field` (e.g. `routes[1].timeout`); those about the
 * destinations name `destinationsField` when the destinations came from another prop (the
 * catch-all route: its timeout is `defaultRoute.timeout`, its destinations are the `weights`).
 */
export function renderHttpRoute(scope: IConstruct, field: string, route: HttpRouteOptions, host: string, subsets: readonly string[], defaultSubset: string, destinationsField = `${field}.destinations`): any {
  return renderRoute(scope, field, route, subsetTarget(scope, host, subsets, defaultSubset), destinationsField);
}

/** Header names a route may touch: HTTP tokens, no pseudo-headers. */
const HEADER_NAME = /^[-_A-Za-z0-9]+$/;

function renderHeaderOperations(scope: IConstruct, field: string, side: 'request' | 'response', ops: HeaderOperations | undefined): any {
  const o = v.optionalObject(scope, field, ops, 'a HeaderOperations object { set?, add?, remove? }');
  if (!o) return undefined;
  const name = (f: string, n: unknown) => {
    if (typeof n !== 'string' || !HEADER_NAME.test(n)) fail(scope, f, n, 'a header name of letters, digits, "-" and "_" (no ":" pseudo-headers)');
    if (n.toLowerCase() === 'host' && (side === 'response' || f.includes('.remove'))) fail(scope, f, n, `a header other than Host (it cannot be ${side === 'response' ? 'set on a response' : 'removed'})`);
    return n;
  };
  const map = (op: 'set' | 'add') => v.isSet(o[op]) ? Object.fromEntries(Object.entries(v.stringMap(scope, `${field}.${op}`, o[op]))
    .map(([k, val]) => [name(`${field}.${op}.${k}`, k), val])) : undefined;
  const remove = v.isSet(o.remove) ? v.stringList(scope, `${field}.remove`, o.remove).map((n, i) => name(`${field}.remove[${i}]`, n)) : undefined;
  return { set: map('set'), add: map('add'), remove };
}

const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'] as const;

function renderCors(scope: IConstruct, field: string, cors: CorsPolicyOptions | undefined): any {
  const c = v.optionalObject(scope, field, cors, 'a CorsPolicyOptions object { allowOrigins, allowMethods?, … }');
  if (!c) return undefined;
  const origins = v.nonEmpty(scope, `${field}.allowOrigins`, c.allowOrigins).map((m, i) => renderStringMatch(scope, `${field}.allowOrigins[${i}]`, m));
  const methods = v.isSet(c.allowMethods) ? v.stringList(scope, `${field}.allowMethods`, c.allowMethods).map((m, i) => v.oneOf(scope, `${field}.allowMethods[${i}]`, m, CORS_METHODS)) : undefined;
  const headers = (f: 'allowHeaders' | 'exposeHeaders') => v.isSet(c[f]) ? v.stringList(scope, `${field}.${f}`, c[f]).map((h, i) => {
    if (h !== '*' && !HEADER_NAME.test(h)) fail(scope, `${field}.${f}[${i}]`, h, 'a header name (letters, digits, "-" and "_") or "*"');
    return h;
  }) : undefined;
  if (v.isSet(c.maxAge)) {
    v.duration(scope, `${field}.maxAge`, c.maxAge, 1000);
    if (v.durationMs(c.maxAge)! % 1000 !== 0) fail(scope, `${field}.maxAge`, c.maxAge, 'a duration in whole seconds (Envoy caches preflights to the second)');
  }
  return {
    allowOrigins: origins, allowMethods: methods, allowHeaders: headers('allowHeaders'), exposeHeaders: headers('exposeHeaders'),
    maxAge: c.maxAge ?? undefined, allowCredentials: v.optionalBoolean(scope, `${field}.allowCredentials`, c.allowCredentials),
  };
}

/**
 * Validates a route and renders it as a VirtualService `http` entry whose destinations `target`
 * checks and renders. See {@link renderHttpRoute} for `field` and `destinationsField`.
 */
export function renderRoute<D extends { readonly weight?: number }>(scope: IConstruct, field: string, route: Omit<HttpRouteOptions, 'destinations' | 'mirror'> & { readonly destinations?: D[]; readonly mirror?: { readonly percentage: number } }, target: RouteTarget<D>, destinationsField = `${field}.destinations`): any {
  v.object(scope, field, route, 'an HttpRouteOptions object { match?, destinations?, timeout?, retries?, … }');
  if (!v.isSet(route.destinations) && !target.defaults) fail(scope, destinationsField, route.destinations, `a list of destinations (${target.describe})`);
  const destinations = (v.isSet(route.destinations) ? route.destinations : target.defaults!) as readonly D[];
  v.nonEmpty(scope, destinationsField, destinations);
  const rendered = destinations.map((d, i) => {
    v.object(scope, `${destinationsField}[${i}]`, d, target.describe);
    return target.destination(`${destinationsField}[${i}]`, d);
  });
  v.unique(scope, `${destinationsField} (destinations)`, destinations.map((d) => target.key(d)));
  if (destinations.length > 1 || v.isSet(destinations[0].weight)) {
    destinations.forEach((d, i) => v.integer(scope, `${destinationsField}[${i}].weight`, d.weight, 0, 100));
    const sum = destinations.reduce((a, d) => a + (d.weight ?? 0), 0);
    if (sum !== 100) fail(scope, destinationsField, destinations.map((d) => `${target.key(d)}=${d.weight}`).join(' '), `weights that sum to 100 (they sum to ${sum})`);
  }
  v.optionalText(scope, `${field}.name`, route.name);
  if (v.isSet(route.timeout)) v.duration(scope, `${field}.timeout`, route.timeout);
  const retries = v.optionalObject(scope, `${field}.retries`, route.retries, 'a RetryOptions object { attempts, perTryTimeout?, retryOn? }');
  if (retries) {
    v.integer(scope, `${field}.retries.attempts`, retries.attempts, 0, 100);
    if (v.isSet(retries.perTryTimeout)) v.duration(scope, `${field}.retries.perTryTimeout`, retries.perTryTimeout);
    // istiod refuses settings for retries that never happen.
    if (retries.attempts === 0 && (v.isSet(retries.perTryTimeout) || v.isSet(retries.retryOn))) {
      fail(scope, `${field}.retries`, retries, 'perTryTimeout and retryOn only with attempts of 1 or more (attempts: 0 turns retries off)');
    }
    v.optionalList(scope, `${field}.retries.retryOn`, retries.retryOn).forEach((c, i) => {
      if (typeof c !== 'string' || (!(ENVOY_RETRY_ON as readonly string[]).includes(c) && !/^[1-5]\d\d$/.test(c))) {
        fail(scope, `${field}.retries.retryOn[${i}]`, c, `an Envoy retry condition (${ENVOY_RETRY_ON.join(', ')}) or an HTTP status code`);
      }
    });
  }
  const fault = v.optionalObject(scope, `${field}.fault`, route.fault, 'a FaultOptions object { delay?, abort? }');
  const delay = v.optionalObject(scope, `${field}.fault.delay`, fault?.delay, 'an object { fixedDelay, percentage }');
  const abort = v.optionalObject(scope, `${field}.fault.abort`, fault?.abort, 'an object { httpStatus, percentage }');
  if (delay) {
    v.duration(scope, `${field}.fault.delay.fixedDelay`, delay.fixedDelay);
    v.percentage(scope, `${field}.fault.delay.percentage`, delay.percentage, true);
  }
  if (abort) {
    v.integer(scope, `${field}.fault.abort.httpStatus`, abort.httpStatus, 200, 599);
    v.percentage(scope, `${field}.fault.abort.percentage`, abort.percentage, true);
  }
  const mirror = v.optionalObject(scope, `${field}.mirror`, route.mirror, `an object { ${target.mirrorFields ?? 'subset'}, percentage }`);
  let mirrorDestination: RenderedDestination | undefined;
  if (mirror) {
    if (!target.mirror) fail(scope, `${field}.mirror`, mirror, 'no mirror on this kind of route');
    mirrorDestination = target.mirror(`${field}.mirror`, mirror);
    v.percentage(scope, `${field}.mirror.percentage`, mirror.percentage, true);
  }
  if (v.isSet(route.rewriteUri)) v.httpPath(scope, `${field}.rewriteUri`, route.rewriteUri);
  const match = v.optionalList(scope, `${field}.match`, route.match, 'a list of RouteMatch (e.g. [Match.header("x-user-type", "tester")])');
  const headers = v.optionalObject(scope, `${field}.headers`, route.headers, 'a HeaderManipulation object { request?, response? }');
  return {
    name: route.name,
    match: v.isSet(route.match) ? match.map((m, i) => renderMatch(scope, `${field}.match[${i}]`, m)) : undefined,
    route: rendered.map((destination, i) => ({ destination, weight: destinations.length > 1 || destinations[i].weight !== undefined ? destinations[i].weight : undefined })),
    rewrite: v.isSet(route.rewriteUri) ? { uri: route.rewriteUri } : undefined,
    mirror: mirrorDestination,
    mirrorPercentage: mirror ? { value: mirror.percentage } : undefined,
    timeout: route.timeout,
    retries: retries && { attempts: retries.attempts, perTryTimeout: retries.perTryTimeout, retryOn: retries.retryOn?.join(',') },
    fault: fault && {
      delay: delay && { fixedDelay: delay.fixedDelay, percentage: { value: delay.percentage } },
      abort: abort && { httpStatus: abort.httpStatus, percentage: { value: abort.percentage } },
    },
    headers: headers && {
      request: renderHeaderOperations(scope, `${field}.headers.request`, 'request', headers.request),
      response: renderHeaderOperations(scope, `${field}.headers.response`, 'response', headers.response),
    },
    corsPolicy: renderCors(scope, `${field}.corsPolicy`, route.corsPolicy),
  };
}
