import { durationMs } from '../../core/validators';

/*
 * Shared pieces of the Istio webhook rules: how a rule reports, and the value checks
 * (DNS labels, hosts, ports, durations, percentages, IPs, header names) that istiod's validation
 * applies in many places. Patterns are compiled once, here.
 */

/** Reports one problem at a readable field path. */
export interface Reporter {
  /** An error: istiod's validating webhook refuses the object (or Envoy would). */
  error(path: string, message: string): void;
  /** A warning: admitted, but almost certainly not what was meant. */
  warn(path: string, message: string): void;
}

/** `base.key`, or `base["key"]` when the key is not a plain token (so empty or odd keys stay readable). */
export function keyPath(base: string, key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/** The entries of a YAML map, or none when it is not one. */
export function entriesOf(value: unknown): Array<[string, any]> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
}

/** The items of a YAML list, or none when it is not one. */
export function itemsOf(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** True for a field that is set (YAML `null` counts as unset, as in protobuf). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

// Istio's DNS-1123 label admits upper case (pkg/config/labels).
const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_LABEL = /^(?:\*|(?:\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const ALL_DIGITS = /^\d+$/;

/** An RFC 1123 label as istiod checks it (letters of either case, digits, `-`; at most 63). */
export function isDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

function domainPreconditions(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'empty domain name not allowed';
  if (name.length > 255) return `domain name ${JSON.stringify(name)} too long (max 255)`;
  return undefined;
}

function dnsLabelsProblem(whole: string, domain: string): string | undefined {
  const parts = domain.split('.');
  const top = parts[parts.length - 1];
  if (ALL_DIGITS.test(top)) return `domain name ${JSON.stringify(whole)} invalid (top level domain ${JSON.stringify(top)} cannot be all-numeric)`;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined; // a trailing dot (`istio.io.`) is allowed
    if (!isDnsLabel(parts[i])) return `domain name ${JSON.stringify(whole)} invalid (label ${JSON.stringify(parts[i])} invalid)`;
  }
  return undefined;
}

/** What is wrong with a fully qualified domain name, or `undefined`. */
export function fqdnProblem(name: unknown): string | undefined {
  return domainPreconditions(name) ?? dnsLabelsProblem(name as string, name as string);
}

/** What is wrong with a domain that may start with a wildcard label (`*`, `*.example.com`, `*-x.example.com`), or `undefined`. */
export function wildcardDomainProblem(name: unknown): string | undefined {
  const pre = domainPreconditions(name);
  if (pre) return pre;
  const domain = name as string;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (first.length > 63 || !WILDCARD_LABEL.test(first)) return `domain name ${JSON.stringify(domain)} invalid (label ${JSON.stringify(first)} invalid)`;
  return dot < 0 ? undefined : dnsLabelsProblem(domain, domain.slice(dot + 1));
}

/** A `*` anywhere but as the whole host or its leading `*.` label (istiod refuses partial wildcards in Gateway and Sidecar hosts). */
export function isPartialWildcard(host: string): boolean {
  return host.includes('*') && host !== '*' && !host.startsWith('*.');
}

/** A port number 1–65535. */
export function isPort(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** The message for a port outside 1–65535. */
export function portMessage(value: unknown): string {
  return `port number ${JSON.stringify(value)} must be in the range 1..65535`;
}

/** A duration istiod accepts: at least 1 ms, to millisecond precision; otherwise what is wrong. */
export function durationProblem(value: unknown): string | undefined {
  const ms = typeof value === 'string' ? durationMs(value) : undefined;
  if (ms === undefined) return `${JSON.stringify(value)} is not a duration such as "500ms", "3s" or "1m"`;
  const rounded = Math.round(ms * 1e6) / 1e6;
  if (rounded < 1) return `duration ${JSON.stringify(value)} must be at least 1ms`;
  if (!Number.isInteger(rounded)) return `duration ${JSON.stringify(value)}: only durations to ms precision are supported`;
  return undefined;
}

/** Reports a duration field when set and invalid. */
export function checkDuration(r: Reporter, path: string, value: unknown): void {
  if (!isSet(value)) return;
  const problem = durationProblem(value);
  if (problem) r.error(path, problem);
}

/** Reports a `Percent` (`{value: x}`) outside 0–100 or a non-zero value under 0.0001, as istiod's fault-injection check does. */
export function checkPercentMessage(r: Reporter, path: string, percent: unknown): void {
  if (!isSet(percent)) return;
  const v = (percent as any)?.value ?? 0;
  if (typeof v !== 'number' || v < 0 || v > 100 || (v > 0 && v < 0.0001)) {
    r.error(`${path}.value`, `percentage ${JSON.stringify(v)} is neither 0, nor in range [0.0001, 100]`);
  }
}

/** Reports an integer percentage (`maxEjectionPercent`, …) outside 0–100. */
export function checkIntPercent(r: Reporter, path: string, value: unknown): void {
  if (!isSet(value)) return;
  if (typeof value !== 'number' || value < 0 || value > 100) r.error(path, `percentage ${JSON.stringify(value)} is not in range 0..100`);
}

/** Reports a number that must not be negative. */
export function checkNonNegative(r: Reporter, path: string, value: unknown, what: string): void {
  if (typeof value === 'number' && value < 0) r.error(path, `${what} must be non-negative (got ${value})`);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** An IPv4 or IPv6 address (no zone, no prefix). */
export function isIpAddress(value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0) return false;
  if (IPV4.test(value)) return true;
  if (!value.includes(':')) return false;
  let text = value;
  const groupsNeeded = 8;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!IPV4.test(tail)) return false;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (![...head, ...rest].every((g) => IPV6_GROUP.test(g))) return false;
  return halves.length === 2 ? head.length + rest.length < groupsNeeded : head.length === groupsNeeded;
}

/** An IP address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`). */
export function isIpOrCidr(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const slash = value.indexOf('/');
  if (slash < 0) return isIpAddress(value);
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!isIpAddress(ip) || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (ip.includes(':') ? 128 : 32);
}

// istiod's header-name pattern; Istio's API documents header keys as lower-case.
const HEADER_NAME = /^[-_A-Za-z0-9]+$/;

/** What is wrong with a header name used in a match (istiod: `[-_A-Za-z0-9]+`; Istio's API: lower-case), or `undefined`. */
export function matchHeaderNameProblem(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (!HEADER_NAME.test(name)) return `header name ${JSON.stringify(name)} is not a valid header name (letters, digits, "-" and "_" only)`;
  if (name !== name.toLowerCase()) return `header name ${JSON.stringify(name)} must be lower-case (Istio's API: "the header keys must be lowercase")`;
  return undefined;
}

/** A JWT-claim route key (`@request.auth.claims.role`, `@request.auth.claims[role]`), which gateways accept as a header name. */
export function isJwtClaimRouteKey(name: string): boolean {
  return name.startsWith('@request.auth.claims.') || name.startsWith('@request.auth.claims[');
}

/** Istio's port protocols (case-insensitive), and which of them are HTTP or TLS. */
const PROTOCOLS = new Set(['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-WEB', 'HTTPS', 'TLS', 'TCP', 'UDP', 'MONGO', 'REDIS', 'MYSQL']);
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-WEB']);
const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

/** True for a protocol name Istio knows. */
export function isKnownProtocol(protocol: unknown): boolean {
  return typeof protocol === 'string' && PROTOCOLS.has(protocol.toUpperCase());
}
/** True for HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB. */
export function isHttpProtocol(protocol: unknown): boolean {
  return typeof protocol === 'string' && HTTP_PROTOCOLS.has(protocol.toUpperCase());
}
/** True for HTTPS and TLS. */
export function isTlsProtocol(protocol: unknown): boolean {
  return typeof protocol === 'string' && TLS_PROTOCOLS.has(protocol.toUpperCase());
}
/** The supported protocols, for messages. */
export const PROTOCOL_LIST = [...PROTOCOLS].join(', ');

/** Reports a `workloadSelector`/`selector` whose labels are empty or use wildcards (istiod refuses wildcards, warns on none). */
export function checkWorkloadSelector(r: Reporter, path: string, selector: any, labelsField: 'matchLabels' | 'labels'): void {
  if (!isSet(selector)) return;
  const labels = entriesOf(selector[labelsField]);
  if (labels.length === 0) r.warn(`${path}.${labelsField}`, 'workload selector specified without labels: it applies to every workload of the namespace');
  for (const [k, v] of labels) {
    if (k === '') r.error(keyPath(`${path}.${labelsField}`, k), 'empty key is not supported in selector');
    if (k.includes('*') || String(v).includes('*')) r.error(keyPath(`${path}.${labelsField}`, k), `wildcard is not supported in selector: "${k}=${v}"`);
  }
}

const LABEL_KEY = /^(?:[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*\/)?((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
const LABEL_VALUE = /^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Reports label keys and values that are not Kubernetes label syntax (subset labels, source labels). */
export function checkLabels(r: Reporter, path: string, labels: unknown): void {
  for (const [k, v] of entriesOf(labels)) {
    const m = LABEL_KEY.exec(k);
    if (!m || m[1].length > 63 || k.length - m[1].length - 1 > 253) r.error(keyPath(path, k), `invalid label key: ${JSON.stringify(k)}`);
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) r.error(keyPath(path, k), `invalid label value: ${JSON.stringify(v)}`);
  }
}

/** Reports the `exportTo` entries istiod refuses: duplicates, `*` with others, `~` with others, malformed namespaces. */
export function checkExportTo(r: Reporter, path: string, exportTo: unknown, namespace: string | undefined, allowNone: boolean): void {
  const entries = itemsOf(exportTo);
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    const key = e === '.' && namespace ? namespace : e;
    if (seen.has(key)) r.error(`${path}[${i}]`, `duplicate entries in exportTo for entry ${JSON.stringify(e)}`);
    else if (e !== '.' && e !== '*' && !(allowNone && e === '~') && !isDnsLabel(e)) r.error(`${path}[${i}]`, `exportTo ${JSON.stringify(e)} is not ".", "*"${allowNone ? ', "~"' : ''} or a namespace`);
    seen.add(key);
  });
  if (entries.length > 1 && seen.has('*')) r.error(path, 'cannot have both public (*) and non-public exportTo values for a resource');
  if (entries.length > 1 && seen.has('~')) r.error(path, 'cannot export to no one (~) and someone');
}
