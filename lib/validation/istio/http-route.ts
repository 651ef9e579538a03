import { durationMs } from '../../core/validators';
import {
  checkDuration, checkLabels, checkPercentMessage, entriesOf, isDnsLabel, isJwtClaimRouteKey, isPort, isSet, itemsOf,
  keyPath, matchHeaderNameProblem, portMessage, Reporter,
} from './common';
import { checkDestination, checkRouteDestinations } from './destination';
import { checkGatewayNames } from './gateway-names';
import { checkRegex, checkStringMatch } from './string-match';

/** Retry conditions Envoy knows (`x-envoy-retry-on` and `x-envoy-retry-grpc-on`). */
const RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);

/** HTTP status codes with a standard reason phrase (what istiod accepts as a numeric retryOn entry). */
const STATUS_CODES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424,
  425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE']);

const GRPC_STATUS = new Set([
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE',
  'DATA_LOSS', 'UNAUTHENTICATED',
]);

// Header values: no control characters but tab (protoc-gen-validate's rule, which istiod copies).
const HEADER_VALUE = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
const CORS_HEADER = /^(?:\*|[-_A-Za-z0-9]+)$/;
const KB = 1024;

/** Context of one route: whether the VirtualService binds to gateways only (JWT-claim routing needs that). */
export interface HttpRouteContext {
  readonly gatewayOnly: boolean;
  readonly delegate: boolean;
}

/** Reports everything istiod refuses in one `spec.http[i]` entry. */
export function checkHttpRoute(r: Reporter, path: string, http: any, ctx: HttpRouteContext): void {
  checkConflicts(r, path, http, ctx);
  itemsOf(http.match).forEach((m, i) => checkMatch(r, `${path}.match[${i}]`, m, ctx));
  checkHeaderOperations(r, `${path}.headers`, http.headers);
  checkAuthorityRewrite(r, path, http);
  checkCors(r, `${path}.corsPolicy`, http.corsPolicy);
  checkFault(r, `${path}.fault`, http.fault);
  if (isSet(http.mirrorPercent)) {
    if (typeof http.mirrorPercent !== 'number' || http.mirrorPercent < 0 || http.mirrorPercent > 100) r.error(`${path}.mirrorPercent`, `mirrorPercent must be in range 0..100 (it is ${JSON.stringify(http.mirrorPercent)})`);
    r.warn(`${path}.mirrorPercent`, 'deprecated setting "mirrorPercent": use "mirrorPercentage"');
  }
  checkMirrorPercentage(r, `${path}.mirrorPercentage`, http.mirrorPercentage);
  checkDestination(r, `${path}.mirror`, http.mirror);
  itemsOf(http.mirrors).forEach((m, i) => {
    const p = `${path}.mirrors[${i}]`;
    if (!isSet(m?.destination)) r.error(`${p}.destination`, 'destination is required for mirrors');
    else checkDestination(r, `${p}.destination`, m.destination);
    checkMirrorPercentage(r, `${p}.percentage`, m?.percentage);
  });
  checkRedirect(r, `${path}.redirect`, http.redirect);
  checkDirectResponse(r, `${path}.directResponse`, http.directResponse);
  checkRetries(r, `${path}.retries`, http.retries);
  checkRewrite(r, `${path}.rewrite`, http.rewrite);
  checkRouteDestinations(r, `${path}.route`, http.route, (item, p) => checkHeaderOperations(r, `${p}.headers`, item.headers));
  checkDuration(r, `${path}.timeout`, http.timeout);
}

function checkConflicts(r: Reporter, path: string, http: any, ctx: HttpRouteContext): void {
  const hasRoute = itemsOf(http.route).length > 0;
  if (isSet(http.delegate) && !ctx.delegate) {
    if (isSet(http.redirect)) r.error(`${path}.redirect`, 'a root HTTP route (with delegate) must not specify redirect');
    if (isSet(http.route)) r.error(`${path}.route`, 'a root HTTP route (with delegate) must not specify route');
    return;
  }
  if (ctx.delegate && isSet(http.delegate)) r.error(`${path}.delegate`, 'a delegate HTTP route cannot contain delegate');
  if (isSet(http.redirect)) {
    if (hasRoute) r.error(`${path}.redirect`, 'HTTP route cannot contain both route and redirect');
    if (isSet(http.fault)) r.error(`${path}.redirect`, 'HTTP route cannot contain both fault and redirect');
    if (isSet(http.rewrite)) r.error(`${path}.redirect`, 'HTTP route rule cannot contain both rewrite and redirect');
    if (isSet(http.directResponse)) r.error(`${path}.redirect`, 'HTTP route rule cannot contain both direct_response and redirect');
  } else if (isSet(http.directResponse)) {
    if (hasRoute) r.error(`${path}.directResponse`, 'HTTP route cannot contain both route and direct_response');
    if (isSet(http.fault)) r.error(`${path}.directResponse`, 'HTTP route cannot contain both fault and direct_response');
    if (isSet(http.rewrite)) r.error(`${path}.directResponse`, 'HTTP route rule cannot contain both rewrite and direct_response');
  } else if (!hasRoute) {
    r.error(`${path}.route`, 'HTTP route, redirect or direct_response is required');
  }
  if (isSet(http.mirror) && itemsOf(http.mirrors).length > 0) r.error(`${path}.mirrors`, 'HTTP route cannot contain both mirror and mirrors');
}

function checkHeaderName(r: Reporter, path: string, name: string, ctx: HttpRouteContext): void {
  if (isJwtClaimRouteKey(name)) {
    if (!ctx.gatewayOnly) r.error(path, `JWT claim based routing (key: ${name}) is only supported for gateways: bind the VirtualService to a gateway other than "mesh"`);
    return;
  }
  const problem = matchHeaderNameProblem(name);
  if (problem) r.error(path, problem);
}

function checkMatch(r: Reporter, path: string, m: any, ctx: HttpRouteContext): void {
  if (!isSet(m)) return;
  for (const [name, sm] of entriesOf(m.headers)) {
    const p = keyPath(`${path}.headers`, name);
    checkHeaderName(r, p, name, ctx);
    if (sm === null) r.error(p, `header match ${JSON.stringify(name)} cannot be null`);
    else checkStringMatch(r, p, sm);
  }
  for (const [name, sm] of entriesOf(m.withoutHeaders)) {
    const p = keyPath(`${path}.withoutHeaders`, name);
    checkHeaderName(r, p, name, ctx);
    // `regex: "*"` is not a regex here: Istio turns it into "header absent".
    if (isSet(sm) && sm.regex !== '*') checkStringMatch(r, p, sm);
  }
  // Envoy accepts an empty URI prefix (match all) but not an empty scheme/method/authority prefix.
  checkStringMatch(r, `${path}.uri`, m.uri, { allowEmptyPrefix: true });
  checkStringMatch(r, `${path}.scheme`, m.scheme);
  checkStringMatch(r, `${path}.method`, m.method);
  checkStringMatch(r, `${path}.authority`, m.authority);
  for (const [name, sm] of entriesOf(m.queryParams)) {
    const p = keyPath(`${path}.queryParams`, name);
    if (name === '') r.error(p, 'query parameter name cannot be empty');
    checkStringMatch(r, p, sm);
  }
  if (isSet(m.port) && m.port !== 0 && !isPort(m.port)) r.error(`${path}.port`, portMessage(m.port));
  checkLabels(r, `${path}.sourceLabels`, m.sourceLabels);
  checkGatewayNames(r, `${path}.gateways`, m.gateways);
  if (isSet(m.sourceNamespace) && m.sourceNamespace !== '' && !isDnsLabel(m.sourceNamespace)) r.error(`${path}.sourceNamespace`, `sourceNamespace match ${JSON.stringify(m.sourceNamespace)} is invalid (a namespace name)`);
}

/** What is wrong with an Envoy header value (`%VAR%` substitutions, `%%` escapes), or `undefined`. */
export function headerValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `header value ${JSON.stringify(value)} must be a string`;
  if (!HEADER_VALUE.test(value)) return `header value ${JSON.stringify(value)} contains control characters`;
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '%') continue;
    if (value[i + 1] === '%') {
      i++;
      continue;
    }
    const end = value.indexOf('%', i + 1);
    if (end < 0) return `header value ${JSON.stringify(value)}: unterminated "%" (write "%%" for a literal percent sign, or %VARIABLE%)`;
    i = end;
  }
  return undefined;
}

const isInternalHeader = (name: string) => name.startsWith(':') || name.toLowerCase() === 'host';
const isAuthorityHeader = (name: string) => name.toLowerCase() === ':authority' || name.toLowerCase() === 'host';

function checkHeaderOperations(r: Reporter, path: string, headers: any): void {
  if (!isSet(headers)) return;
  for (const side of ['request', 'response'] as const) {
    const ops = headers[side];
    if (!isSet(ops)) continue;
    for (const op of ['set', 'add'] as const) {
      for (const [name, val] of entriesOf(ops[op])) {
        const p = keyPath(`${path}.${side}.${op}`, name);
        // Requests may set the authority; nothing else may touch pseudo-headers or Host.
        if (name === '') r.error(p, 'header name cannot be empty');
        else if (side === 'request' ? isInternalHeader(name) && !isAuthorityHeader(name) : isInternalHeader(name)) r.error(p, `invalid header ${JSON.stringify(name)}: ${side === 'response' && name.toLowerCase() === 'host' ? 'cannot set Host header' : 'header cannot have ":" prefix'}`);
        const problem = headerValueProblem(val);
        if (problem) r.error(p, problem);
      }
    }
    itemsOf(ops.remove).forEach((name, i) => {
      const p = `${path}.${side}.remove[${i}]`;
      if (name === '' || !isSet(name)) r.error(p, 'header name cannot be empty');
      else if (String(name).toLowerCase() === 'host') r.error(p, 'invalid header "host": cannot remove the Host header');
      else if (String(name).startsWith(':')) r.error(p, `invalid header ${JSON.stringify(name)}: header cannot have ":" prefix`);
    });
  }
}

function checkAuthorityRewrite(r: Reporter, path: string, http: any): void {
  const sources: string[] = [];
  if (isSet(http.rewrite?.authority) && http.rewrite.authority !== '') sources.push(`${path}.rewrite.authority`);
  for (const op of ['set', 'add'] as const) {
    for (const [name] of entriesOf(http.headers?.request?.[op])) {
      if (isAuthorityHeader(name)) sources.push(keyPath(`${path}.headers.request.${op}`, name));
    }
  }
  if (sources.length > 1) r.error(sources[1], `the authority header cannot be set more than once (also set at ${sources[0]})`);
}

function checkCors(r: Reporter, path: string, cors: any): void {
  if (!isSet(cors)) return;
  itemsOf(cors.allowOrigins).forEach((origin, i) => {
    const p = `${path}.allowOrigins[${i}]`;
    const value = origin?.exact ?? origin?.prefix ?? origin?.regex;
    if (typeof value !== 'string' || value === '') r.error(p, 'a CORS allowed origin needs a non-empty exact, prefix or regex');
    else checkStringMatch(r, p, origin);
  });
  itemsOf(cors.allowMethods).forEach((m, i) => {
    if (!HTTP_METHODS.has(m)) r.error(`${path}.allowMethods[${i}]`, `${JSON.stringify(m)} is not a supported HTTP method (${[...HTTP_METHODS].join(', ')})`);
  });
  for (const field of ['allowHeaders', 'exposeHeaders'] as const) {
    itemsOf(cors[field]).forEach((h, i) => {
      if (h === '' || !isSet(h)) r.error(`${path}.${field}[${i}]`, 'header name cannot be empty');
      else if (!CORS_HEADER.test(h)) r.error(`${path}.${field}[${i}]`, `header name ${JSON.stringify(h)} is not a valid header name`);
    });
  }
  if (isSet(cors.maxAge)) {
    checkDuration(r, `${path}.maxAge`, cors.maxAge);
    const ms = typeof cors.maxAge === 'string' ? durationMs(cors.maxAge) : undefined;
    if (ms !== undefined && ms >= 1 && Math.round(ms) % 1000 !== 0) r.error(`${path}.maxAge`, `max_age ${JSON.stringify(cors.maxAge)} is accurate only to seconds precision`);
  }
}

function checkFault(r: Reporter, path: string, fault: any): void {
  if (!isSet(fault)) return;
  if (!isSet(fault.abort) && !isSet(fault.delay)) r.error(path, 'HTTP fault injection must have an abort and/or a delay');
  const abort = fault.abort;
  if (isSet(abort)) {
    const p = `${path}.abort`;
    checkPercentMessage(r, `${p}.percentage`, abort.percentage);
    if (isSet(abort.httpStatus)) {
      // Envoy's abort filter takes 200 ≤ status < 600 (istiod itself lets 600 through; Envoy then rejects the listener).
      if (typeof abort.httpStatus !== 'number' || !Number.isInteger(abort.httpStatus) || abort.httpStatus < 200 || abort.httpStatus > 599) r.error(`${p}.httpStatus`, `HTTP status ${JSON.stringify(abort.httpStatus)} is not in range 200-599`);
    } else if (isSet(abort.grpcStatus)) {
      if (!GRPC_STATUS.has(abort.grpcStatus)) r.error(`${p}.grpcStatus`, `gRPC status ${JSON.stringify(abort.grpcStatus)} is not supported: use a code name such as NOT_FOUND or UNAVAILABLE`);
    } else if (isSet(abort.http2Error)) {
      r.error(`${p}.http2Error`, 'HTTP/2 abort fault injection is not supported');
    } else {
      r.warn(p, 'abort configured, but error type not set (httpStatus or grpcStatus)');
    }
  }
  const delay = fault.delay;
  if (isSet(delay)) {
    const p = `${path}.delay`;
    checkPercentMessage(r, `${p}.percentage`, delay.percentage);
    if (isSet(delay.percent) && (typeof delay.percent !== 'number' || delay.percent < 0 || delay.percent > 100)) r.error(`${p}.percent`, `percentage ${JSON.stringify(delay.percent)} is not in range 0..100`);
    checkDuration(r, `${p}.fixedDelay`, delay.fixedDelay);
    if (isSet(delay.exponentialDelay)) r.error(`${p}.exponentialDelay`, 'exponentialDelay is not supported');
  }
}

function checkMirrorPercentage(r: Reporter, path: string, percentage: any): void {
  if (!isSet(percentage)) return;
  const v = percentage.value ?? 0;
  if (typeof v !== 'number' || v < 0 || v > 100) r.error(`${path}.value`, `mirror percentage must be in range 0..100 (it is ${JSON.stringify(v)})`);
}

function checkRedirect(r: Reporter, path: string, redirect: any): void {
  if (!isSet(redirect)) return;
  if (!redirect.uri && !redirect.authority && !isSet(redirect.port) && !isSet(redirect.derivePort) && !redirect.scheme) {
    r.error(path, 'redirect must specify URI, authority, scheme, or port');
  }
  if (isSet(redirect.redirectCode) && redirect.redirectCode !== 0 && (redirect.redirectCode < 300 || redirect.redirectCode > 399)) {
    r.error(`${path}.redirectCode`, `${redirect.redirectCode} is not a valid redirect code, must be 3xx`);
  }
  if (redirect.scheme && redirect.scheme !== 'http' && redirect.scheme !== 'https') r.error(`${path}.scheme`, `invalid redirect scheme ${JSON.stringify(redirect.scheme)}: must be "http" or "https"`);
  if (isSet(redirect.port) && redirect.port !== 0 && !isPort(redirect.port)) r.error(`${path}.port`, portMessage(redirect.port));
}

function checkDirectResponse(r: Reporter, path: string, direct: any): void {
  if (!isSet(direct)) return;
  const body = direct.body;
  if (isSet(body)) {
    const size = typeof body.string === 'string' ? Buffer.byteLength(body.string) : typeof body.bytes === 'string' ? Math.floor(body.bytes.length * 3 / 4) : 0;
    if (size > KB * KB) r.error(`${path}.body`, 'large direct_responses may impact control plane performance, must be less than 1MB');
    else if (size > 100 * KB) r.warn(`${path}.body`, 'large direct_responses may impact control plane performance');
  }
  if (typeof direct.status !== 'number' || direct.status < 200 || direct.status > 599) r.error(`${path}.status`, `HTTP status ${JSON.stringify(direct.status)} is not in range 200-599`);
}

function checkRetries(r: Reporter, path: string, retries: any): void {
  if (!isSet(retries)) return;
  const attempts = retries.attempts ?? 0;
  if (attempts < 0) r.error(`${path}.attempts`, 'attempts cannot be negative');
  if (attempts === 0 && (isSet(retries.perTryTimeout) || (retries.retryOn ?? '') !== '' || isSet(retries.retryRemoteLocalities))) {
    r.error(`${path}.attempts`, 'http retry policy configured when attempts are set to 0 (disabled): set attempts, or drop perTryTimeout/retryOn');
  }
  checkDuration(r, `${path}.perTryTimeout`, retries.perTryTimeout);
  if (typeof retries.retryOn === 'string' && retries.retryOn !== '') {
    for (const policy of retries.retryOn.split(',')) {
      const asStatus = /^\d+$/.test(policy) ? Number(policy) : NaN;
      if (!RETRY_ON.has(policy) && !STATUS_CODES.has(asStatus)) {
        r.error(`${path}.retryOn`, `${JSON.stringify(policy)} is not a valid retryOn policy (${[...RETRY_ON].join(', ')}, or an HTTP status code)`);
      }
    }
  }
}

function checkRewrite(r: Reporter, path: string, rewrite: any): void {
  if (!isSet(rewrite)) return;
  const hasUri = isSet(rewrite.uri) && rewrite.uri !== '';
  const regexRewrite = rewrite.uriRegexRewrite;
  if (hasUri && isSet(regexRewrite)) r.error(path, 'rewrite may only contain one of uri or uriRegexRewrite');
  if (!hasUri && !isSet(regexRewrite) && !rewrite.authority) r.error(path, 'rewrite must specify at least one of uri, uriRegexRewrite or authority');
  if (isSet(regexRewrite)) {
    if (!regexRewrite.match || !regexRewrite.rewrite) r.error(`${path}.uriRegexRewrite`, 'uriRegexRewrite requires both rewrite and match');
    else checkRegex(r, `${path}.uriRegexRewrite.match`, regexRewrite.match);
  }
}
