import * as net from 'net';
import { isQuantity, quantityValue } from '../../core/quantity';
import { isLabelValue, isQualifiedKey } from '../metadata-check';

/*
 * The value formats and shared rules of the Kubernetes API server's validation
 * (k8s.io/apimachinery/pkg/util/validation and pkg/apis/core/validation), written once for the
 * per-kind modules. Every regular expression is compiled once, here.
 */

/** Where a rule reports: an error refuses the object, a warning is what the server prints but admits. */
export interface Report {
  error(path: string, message: string): void;
  warn(path: string, message: string): void;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_CHARS = /^[-a-z0-9]+$/;
const HAS_LETTER = /[a-z]/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const PERCENT = /^[0-9]+%$/;
const PRINTABLE_NO_EQUALS = /^[\x20-\x3c\x3e-\x7e]+$/;
const HTTP_HEADER_NAME = /^[-A-Za-z0-9!#$%&'*+.^_`|~]+$/;

export { isLabelValue, isQualifiedKey };

/** A DNS-1123 label (63 characters): Namespace, container, volume and port names. */
export function isDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A DNS-1123 subdomain (253 characters): most object names. */
export function isDnsSubdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** A DNS-1035 label (starts with a letter): Service names. */
export function isDns1035Label(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && DNS1035_LABEL.test(value);
}

/** Why `name` is not an IANA service name (container and probe port names), or undefined when it is one. */
export function ianaSvcNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'must be a non-empty string';
  if (name.length > 15) return 'must be no more than 15 characters';
  if (!IANA_SVC_CHARS.test(name)) return 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  if (!HAS_LETTER.test(name)) return 'must contain at least one letter (a-z)';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

/** A ConfigMap/Secret key: alphanumerics, `-`, `_`, `.`; not `.`, `..` or starting with `..`. */
export function isConfigKey(key: unknown): key is string {
  return typeof key === 'string' && key.length <= 253 && CONFIG_KEY.test(key) && key !== '.' && !key.startsWith('..');
}

/** An environment variable name as Kubernetes 1.32 accepts it (relaxed: printable ASCII other than `=`). */
export function isEnvVarName(name: unknown): name is string {
  return typeof name === 'string' && PRINTABLE_NO_EQUALS.test(name);
}

/** An HTTP header field name (RFC 7230 token). */
export function isHttpHeaderName(name: unknown): boolean {
  return typeof name === 'string' && HTTP_HEADER_NAME.test(name);
}

/** An object name usable as a URL path segment (RBAC objects): not `.`/`..`, no `/` or `%`. */
export function pathSegmentProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`;
  if (name.includes('/') || name.includes('%')) return "may not contain '/' or '%'";
  return undefined;
}

/** True for an integer in [min, max]. */
export function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Reports `value` unless it is a non-negative number (absent passes). */
export function nonNegative(r: Report, path: string, value: unknown): void {
  if (typeof value === 'number' && value < 0) r.error(path, `must be greater than or equal to 0 (got ${value})`);
}

/** Reports a value outside `allowed` (absent passes), with the server's "Unsupported value" message. */
export function oneOf(r: Report, path: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    r.error(path, `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
}

/** A port number or IANA service name (probe ports, Service targetPort, NetworkPolicy ports): the problem, or undefined. */
export function portOrNameProblem(port: unknown, allowZero = false): string | undefined {
  if (typeof port === 'number') return isIntIn(port, allowZero ? 0 : 1, 65535) ? undefined : 'must be between 1 and 65535, inclusive';
  if (typeof port === 'string') {
    if (/^\d+$/.test(port)) return 'a numeric port must be an integer, not a string';
    return ianaSvcNameProblem(port);
  }
  return 'a port number or name is required';
}

/** The value of a quantity that may be written as a number; undefined when it is not a quantity. */
export function parseQuantity(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  return isQuantity(text) ? quantityValue(text) : undefined;
}

/** An int-or-percent (`maxSurge`, `minAvailable`): a non-negative integer, or `N%` (at most 100 % when `maxPercent`). */
export function intOrPercentProblem(value: unknown, maxPercent: boolean): string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? undefined : 'must be greater than or equal to 0';
  if (typeof value === 'string') {
    if (!PERCENT.test(value)) return 'a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'1%\',  or \'93%\')';
    if (maxPercent && Number(value.slice(0, -1)) > 100) return 'must not be greater than 100%';
    return undefined;
  }
  return 'must be an integer or a percentage';
}

/** True when an int-or-percent is zero (`0` or `0%`). */
export function isZeroIntOrPercent(value: unknown): boolean {
  return value === 0 || value === '0%';
}

/** An IP address as the API server parses it (IPv4 with leading zeros is accepted, as by Go's sloppy parser). */
export function normalizeIp(value: unknown): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.includes(':')) return net.isIPv6(value) ? { address: value, family: 'ipv6' } : undefined;
  const parts = value.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return { address: parts.map(Number).join('.'), family: 'ipv4' };
}

/** A CIDR (`10.0.0.0/8`, `fd00::/8`), or undefined when malformed. */
export function parseCidr(value: unknown): { address: string; family: 'ipv4' | 'ipv6'; prefix: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const ip = normalizeIp(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  if (prefix > (ip.family === 'ipv4' ? 32 : 128)) return undefined;
  return { ...ip, prefix };
}

/** True when CIDR `inner` is a strict subset of CIDR `outer` (same family, longer prefix, inside it). */
export function isStrictSubnet(inner: NonNullable<ReturnType<typeof parseCidr>>, outer: NonNullable<ReturnType<typeof parseCidr>>): boolean {
  if (inner.family !== outer.family || inner.prefix <= outer.prefix) return false;
  const list = new net.BlockList();
  list.addSubnet(outer.address, outer.prefix, outer.family);
  return list.check(inner.address, inner.family);
}

/** Validates a metav1.LabelSelector: label keys and values, expression operators and their values. */
export function validateLabelSelector(r: Report, path: string, selector: any): void {
  if (!selector || typeof selector !== 'object') return;
  for (const [k, v] of Object.entries<any>(selector.matchLabels ?? {})) {
    if (!isQualifiedKey(k)) r.error(`${path}.matchLabels`, `invalid label key ${JSON.stringify(k)}`);
    if (!isLabelValue(v)) r.error(`${path}.matchLabels.${k}`, `invalid label value ${JSON.stringify(v)}`);
  }
  (selector.matchExpressions ?? []).forEach((e: any, i: number) => {
    const p = `${path}.matchExpressions[${i}]`;
    if (!isQualifiedKey(String(e?.key ?? ''))) r.error(`${p}.key`, `invalid label key ${JSON.stringify(e?.key)}`);
    const values: unknown[] = e?.values ?? [];
    if (e?.operator === 'In' || e?.operator === 'NotIn') {
      if (values.length === 0) r.error(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\'');
    } else if (e?.operator === 'Exists' || e?.operator === 'DoesNotExist') {
      if (values.length > 0) r.error(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'');
    } else {
      oneOf(r, `${p}.operator`, e?.operator, ['In', 'NotIn', 'Exists', 'DoesNotExist']);
    }
  });
}

/** True when a metav1.LabelSelector is empty (selects everything, or nothing for workloads). */
export function isEmptySelector(selector: any): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}

/** True when a metav1.LabelSelector matches `labels`. */
export function selectorMatches(selector: any, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries<any>(selector?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values: string[] = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Validates the labels and annotations of embedded metadata (pod templates), which the `metadata` check does not see. */
export function validateTemplateMetadata(r: Report, path: string, md: any): void {
  for (const [k, v] of Object.entries<any>(md?.labels ?? {})) {
    if (!isQualifiedKey(k)) r.error(`${path}.labels`, `invalid label key ${JSON.stringify(k)}`);
    if (!isLabelValue(v)) r.error(`${path}.labels.${k}`, `invalid label value ${JSON.stringify(v)}: at most 63 alphanumerics, "-", "_" or "."`);
  }
  for (const k of Object.keys(md?.annotations ?? {})) {
    if (!isQualifiedKey(k)) r.error(`${path}.annotations`, `invalid annotation key ${JSON.stringify(k)}: an optional DNS subdomain prefix and "/", then a name of at most 63 alphanumerics, "-", "_" or "."`);
  }
}
