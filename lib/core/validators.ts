import { fail, InputLocation } from './errors';
import { ImageReference, isPinnedImage, parseImage } from './image';
import { isQuantity, quantityValue } from './quantity';

/*
 * The one set of input validators every construct uses. Each takes the construct being
 * configured (or, in a static factory that runs before any construct exists, the factory's name),
 * the prop path of the value and the value, and either returns the value (narrowed) or throws a
 * ConfigurationError naming all four.
 *
 * Input from plain JavaScript is not trusted to match the TypeScript types: every public entry
 * point (construct props, static factories) checks the shape of what it reads before using it,
 * so `null`, `undefined` or a wrong type gives a ConfigurationError with the field path
 * (`routes[1].match[0]`), never a TypeError.
 *
 * `null` for an optional field means the same as leaving it out (`undefined`): optional fields
 * are read with `??`, {@link isSet} or the `optional…` validators below, never with
 * `!== undefined`. The exceptions are the few props whose documentation gives `null` a meaning of
 * its own (`resources.cpuLimit: null`: no CPU limit; `autoscaling.cpuUtilization` /
 * `memoryUtilization: null`: do not scale on it; `null` config values). A required field given
 * `null` is refused like any other wrong value.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** An RFC 1123 DNS label: what Services, Namespaces and most names must be. */
export function dnsLabel(scope: InputLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 63 || !DNS_LABEL.test(value)) {
    fail(scope, field, value, 'an RFC 1123 DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters');
  }
  return value;
}

/** An RFC 1123 DNS subdomain (object names, hosts). */
export function dnsSubdomain(scope: InputLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    fail(scope, field, value, 'an RFC 1123 DNS subdomain: lower-case letters, digits, "-" and ".", at most 253 characters');
  }
  return value;
}

/** A host name for an Ingress or gateway; a leading `*.` wildcard is allowed. */
export function hostName(scope: InputLocation, field: string, value: unknown): string {
  const bare = typeof value === 'string' && value.startsWith('*.') ? value.slice(2) : value;
  if (typeof bare !== 'string' || !bare.includes('.') || bare.length > 253 || !DNS_SUBDOMAIN.test(bare)) {
    fail(scope, field, value, 'a fully qualified lower-case DNS name such as "api.example.com" (optionally "*." in front)');
  }
  return value as string;
}

/** A label value: at most 63 characters of alphanumerics, "-", "_" and ".". */
export function labelValue(scope: InputLocation, field: string, value: unknown): string {
  if (!isLabelValue(value)) {
    fail(scope, field, value, 'a Kubernetes label value: at most 63 characters, alphanumerics, "-", "_" and ".", starting and ending alphanumeric');
  }
  return value;
}

function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

/**
 * Label keys found valid: an app uses a handful (`app.kubernetes.io/name`…) on every object, and
 * checking them again each time was a noticeable part of building 1,000 services.
 */
const VALID_LABEL_KEYS = new Set<string>();

function isLabelKey(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (VALID_LABEL_KEYS.has(value)) return true;
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  const prefix = parts.length === 2 ? parts[0] : undefined;
  const ok = name.length <= 63 && LABEL_NAME.test(name)
    && (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
  if (ok && VALID_LABEL_KEYS.size < 10_000) VALID_LABEL_KEYS.add(value);
  return ok;
}

/** A label key, optionally prefixed by a DNS subdomain (`example.com/name`). */
export function labelKey(scope: InputLocation, field: string, value: unknown): string {
  if (!isLabelKey(value)) fail(scope, field, value, 'a Kubernetes label key: [prefix/]name, name at most 63 alphanumerics, "-", "_" or "."');
  return value;
}

/** Every key and value of a label map. */
export function labels(scope: InputLocation, field: string, value: Record<string, string> | undefined | null): Record<string, string> {
  const map = optionalObject<Record<string, string>>(scope, field, value, 'a map of label keys to label values') ?? {};
  for (const key of Object.keys(map)) {
    // The field's path is built only for the message of a bad entry.
    if (!isLabelKey(key)) labelKey(scope, `${field} key`, key);
    if (!isLabelValue(map[key])) labelValue(scope, `${field}[${JSON.stringify(key)}]`, map[key]);
  }
  return value ?? {};
}

/** An integer within [min, max]. */
export function integer(scope: InputLocation, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(scope, field, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

/** A TCP/UDP port number. */
export function port(scope: InputLocation, field: string, value: unknown): number {
  return integer(scope, field, value, 1, 65535);
}

/** A NodePort within the default service-node-port-range. */
export function nodePort(scope: InputLocation, field: string, value: unknown): number {
  return integer(scope, field, value, 30000, 32767);
}

/** A percentage, 0–100 inclusive (integers only unless `fractional`). */
export function percentage(scope: InputLocation, field: string, value: unknown, fractional = false): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || value > 100 || (!fractional && !Number.isInteger(value))) {
    fail(scope, field, value, fractional ? 'a number from 0 to 100' : 'an integer from 0 to 100');
  }
  return value;
}

/** `min <= max`, each at least `floor`. */
export function minMax(scope: InputLocation, minField: string, min: number, maxField: string, max: number, floor = 1): void {
  integer(scope, minField, min, floor, Number.MAX_SAFE_INTEGER);
  integer(scope, maxField, max, floor, Number.MAX_SAFE_INTEGER);
  if (min > max) fail(scope, maxField, max, `an integer no smaller than ${minField} (${min})`);
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(scope: InputLocation, field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(scope, field, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

/** A Kubernetes quantity (`100m`, `512Mi`). */
export function quantity(scope: InputLocation, field: string, value: unknown): string {
  if (!isQuantity(value)) {
    fail(scope, field, value, 'a Kubernetes quantity such as "250m", "1", "512Mi" or "2Gi"');
  }
  if (quantityValue(value) <= 0) fail(scope, field, value, 'a quantity greater than zero');
  return value;
}

/** A request no larger than its limit. */
export function requestWithinLimit(scope: InputLocation, field: string, request: string, limit: string | undefined): void {
  if (limit !== undefined && quantityValue(request) > quantityValue(limit)) {
    fail(scope, field, request, `a request no larger than its limit (${limit})`);
  }
}

/** An environment variable name. */
export function envName(scope: InputLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || !ENV_NAME.test(value)) {
    fail(scope, field, value, 'an environment variable name: letters, digits, "_", "-" and ".", not starting with a digit');
  }
  return value;
}

/** An absolute path for an HTTP probe or route (`/health`). */
export function httpPath(scope: InputLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || /\s/.test(value)) {
    fail(scope, field, value, 'an absolute HTTP path starting with "/" and without spaces');
  }
  return value;
}

/** An absolute file-system path. */
export function absolutePath(scope: InputLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.includes('..') || value.includes(':')) {
    fail(scope, field, value, 'an absolute path starting with "/", without ".." or ":"');
  }
  return value;
}

/**
 * A container image reference, pinned by a tag other than `latest` (and optionally a digest),
 * unless `allowUnpinned` is set.
 */
export function image(scope: InputLocation, field: string, value: unknown, allowUnpinned = false): ImageReference {
  const ref = typeof value === 'string' ? parseImage(value) : undefined;
  if (!ref) {
    fail(scope, field, value, 'an image reference "registry/repository:tag" with an optional "@sha256:<64 hex digits>" digest');
  }
  if (!allowUnpinned && !isPinnedImage(ref)) {
    fail(scope, field, value, 'an image pinned by a tag other than "latest" and/or a sha256 digest (set allowUnpinnedImage to accept a mutable reference)');
  }
  return ref;
}

/** A non-empty list. */
export function nonEmpty<T>(scope: InputLocation, field: string, value: readonly T[] | undefined | null): readonly T[] {
  if (!Array.isArray(value) || value.length === 0) fail(scope, field, value, 'a non-empty list');
  return value;
}

/** No value appears twice. */
export function unique(scope: InputLocation, field: string, values: readonly string[]): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) fail(scope, field, v, 'each value at most once');
    seen.add(v);
  }
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g;
const DURATION = /^(\d+(?:\.\d+)?(ms|us|µs|ns|h|m|s))+$/;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/** Durations read before: an app writes the same few ("5s", "30s") on every service. */
const DURATIONS_MS = new Map<string, number | undefined>();

/** Milliseconds of a Go/Istio duration such as "1.5s", "500ms", "1m30s"; undefined when malformed. */
export function durationMs(value: string): number | undefined {
  if (DURATIONS_MS.has(value)) return DURATIONS_MS.get(value);
  let total: number | undefined;
  if (DURATION.test(value)) {
    total = 0;
    for (const [, n, unit] of value.matchAll(DURATION_PART)) total += Number(n) * UNIT_MS[unit];
  }
  if (DURATIONS_MS.size < 10_000) DURATIONS_MS.set(value, total);
  return total;
}

/** A duration of at least `minMs` milliseconds (Istio refuses anything under 1 ms). */
export function duration(scope: InputLocation, field: string, value: unknown, minMs = 1): string {
  const ms = typeof value === 'string' ? durationMs(value) : undefined;
  if (ms === undefined || ms < minMs) {
    fail(scope, field, value, `a duration such as "500ms", "3s" or "1m", of at least ${minMs} ms`);
  }
  return value as string;
}

/** True when an optional value was given: neither `undefined` nor `null` (see the note on `null` above). */
export function isSet<T>(value: T | undefined | null): value is T {
  return value !== undefined && value !== null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The props object of a construct or factory (`what` names its type, e.g. "CanaryRouteProps"). */
export function props<T>(scope: InputLocation, value: T | undefined | null, what: string): T {
  if (!isPlainObject(value)) fail(scope, 'props', value, `an object of ${what}`);
  return value;
}

/** A required object (a nested group of props); `what` says what it holds. */
export function object<T>(scope: InputLocation, field: string, value: T | undefined | null, what = 'an object'): T {
  if (!isPlainObject(value)) fail(scope, field, value, what);
  return value;
}

/** An optional object: undefined when not given (or `null`), else as {@link object}. */
export function optionalObject<T>(scope: InputLocation, field: string, value: T | undefined | null, what = 'an object'): T | undefined {
  return isSet(value) ? object(scope, field, value, what) : undefined;
}

/** A required list (possibly empty); `nonEmpty` for one that needs an element. */
export function list<T>(scope: InputLocation, field: string, value: readonly T[] | undefined | null, what = 'a list'): readonly T[] {
  if (!Array.isArray(value)) fail(scope, field, value, what);
  return value;
}

/** An optional list: empty when not given (or `null`), else as {@link list}. */
export function optionalList<T>(scope: InputLocation, field: string, value: readonly T[] | undefined | null, what = 'a list'): readonly T[] {
  return isSet(value) ? list(scope, field, value, what) : [];
}

/** A non-empty string (a name, a query, a URL before its own format check). */
export function text(scope: InputLocation, field: string, value: unknown, what = 'a non-empty string'): string {
  if (typeof value !== 'string' || value.length === 0) fail(scope, field, value, what);
  return value;
}

/** An optional string: undefined when not given (or `null`), else as {@link text}. */
export function optionalText(scope: InputLocation, field: string, value: unknown, what = 'a non-empty string'): string | undefined {
  return isSet(value) ? text(scope, field, value, what) : undefined;
}

/** An optional boolean: undefined when not given (or `null`); a string such as "false" is refused. */
export function optionalBoolean(scope: InputLocation, field: string, value: unknown): boolean | undefined {
  if (!isSet(value)) return undefined;
  if (typeof value !== 'boolean') fail(scope, field, value, 'true or false');
  return value;
}

/** A finite number within [min, max] (fractions allowed; `integer` for whole numbers). */
export function number(scope: InputLocation, field: string, value: unknown, min: number, max: number, what?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(scope, field, value, what ?? `a number from ${min} to ${max}`);
  }
  return value;
}

/** A map whose values are strings (annotations, env, headers); `{}` when not given. */
export function stringMap(scope: InputLocation, field: string, value: Record<string, string> | undefined | null): Record<string, string> {
  const map = optionalObject<Record<string, string>>(scope, field, value, 'a map of strings to strings') ?? {};
  for (const [key, val] of Object.entries(map)) {
    if (typeof val !== 'string') fail(scope, `${field}[${JSON.stringify(key)}]`, val, 'a string');
  }
  return map;
}

/** A list of strings, each non-empty; `[]` when not given. */
export function stringList(scope: InputLocation, field: string, value: readonly string[] | undefined | null): readonly string[] {
  const items = optionalList(scope, field, value, 'a list of strings');
  items.forEach((item, i) => text(scope, `${field}[${i}]`, item));
  return items;
}

/**
 * An instance of `type` (a Probe, an HpaMetric, a MicroserviceChart …), as made by its factory or
 * constructor; `what` says how to make one, e.g. 'a Probe (Probe.http("/ready") or Probe.tcp())'.
 */
export function instance<T>(scope: InputLocation, field: string, value: unknown, type: Function & { readonly prototype: T }, what: string): T {
  if (!(value instanceof type)) fail(scope, field, value, what);
  return value as T;
}
