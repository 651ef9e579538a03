import { ApiObject, App, ImplicitTokenResolver, IResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/**
 * `ApiObject.prototype.toJson`, as cdk8s ships it. {@link withFastObjectJson} stands in for it
 * while rendering and calls it whenever its own path does not apply.
 */
const CDK8S_OBJECT_JSON: () => any = ApiObject.prototype.toJson;

/** What cdk8s' `toJson` reads from an object; private in its typings, read only here. */
interface ObjectInternals {
  readonly props?: Record<string, unknown>;
  readonly patches?: readonly unknown[];
}

/** What `ApiObjectMetadataDefinition.toJson` reads; private in its typings, read only here. */
interface MetadataInternals {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, unknown>;
  readonly annotations?: Record<string, unknown>;
  readonly finalizers?: readonly unknown[];
  readonly ownerReferences?: readonly unknown[];
  readonly _additionalAttributes?: Record<string, unknown>;
}

/** Thrown inside the fast path when a value needs cdk8s' own path (caught here, never escapes). */
const USE_CDK8S = Symbol('use cdk8s');

/**
 * Runs `render` with `ApiObject.prototype.toJson` replaced by {@link fastObjectJson}, which gives
 * the same JSON in one walk of the object instead of four.
 *
 * Why: cdk8s renders an object by resolving every value (walking to the app's root and allocating
 * a key path per value), then copying it again to sort keys and drop empty values, with the
 * metadata done the same way beforehand; generated classes (`KubeDeployment`…) call that through
 * `super.toJson()` and convert the result. At 13,000 objects that was a third of the rendering
 * time (bench/RESULTS.md). The replacement applies only while `render` runs, on this thread
 * (synthesis is synchronous), and is restored after, whatever happens. One difference cannot be
 * seen in the output: lazy values are produced in key order rather than in insertion order.
 */
export function withFastObjectJson<T>(render: () => T): T {
  const previous = ApiObject.prototype.toJson;
  ApiObject.prototype.toJson = function toJson(this: ApiObject) {
    return fastObjectJson(this);
  };
  try {
    return render();
  } finally {
    ApiObject.prototype.toJson = previous;
  }
}

/**
 * The JSON cdk8s' `ApiObject.toJson` gives for `o` (the base rendering, before a generated class
 * converts it): the props and metadata with lazy values resolved, `null`/`undefined` dropped, keys
 * sorted, `apiVersion`, `kind`, `metadata` first. It resolves and sanitizes in one walk when the
 * app uses only cdk8s' built-in resolvers and every value is plain data or a token those resolvers
 * know; anything else (custom resolvers, class instances left after resolution, JSON patches)
 * goes through cdk8s' own code.
 */
export function fastObjectJson(o: ApiObject): any {
  const internals = o as unknown as ObjectInternals;
  const metadata = o.metadata as unknown as MetadataInternals;
  if (internals.props === undefined || (internals.patches?.length ?? 1) !== 0 || metadata._additionalAttributes === undefined || !hasBuiltInResolversOnly(o)) {
    return CDK8S_OBJECT_JSON.call(o);
  }
  try {
    const meta = resolveClean({
      ...metadata._additionalAttributes,
      name: metadata.name,
      namespace: metadata.namespace,
      annotations: metadata.annotations,
      finalizers: metadata.finalizers,
      ownerReferences: metadata.ownerReferences,
      labels: metadata.labels,
    }, true);
    // The props without their metadata (clean already, above), sanitized straight into the result:
    // `apiVersion`, `kind` and `metadata` first, then the other keys in order.
    const props = internals.props;
    const result: any = {};
    const apiVersion = resolveClean(props.apiVersion, false);
    if (apiVersion !== undefined && apiVersion !== null) result.apiVersion = apiVersion;
    const kind = resolveClean(props.kind, false);
    if (kind !== undefined && kind !== null) result.kind = kind;
    if (meta !== undefined) result.metadata = meta;
    for (const k of sortedKeys(props)) {
      if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
      const v = resolveClean(props[k], false);
      if (v !== null && v !== undefined) result[k] = v;
    }
    return result;
  } catch (e) {
    if (e === USE_CDK8S) return CDK8S_OBJECT_JSON.call(o);
    throw e;
  }
}

/** Whether `o`'s app resolves with cdk8s' three built-in resolvers only (the default). */
function hasBuiltInResolversOnly(o: ApiObject): boolean {
  const resolvers: readonly IResolver[] = (App.of(o) as App).resolvers ?? [];
  return resolvers.length === 3
    && resolvers[0]?.constructor === LazyResolver
    && resolvers[1]?.constructor === ImplicitTokenResolver
    && resolvers[2]?.constructor === NumberStringUnionResolver;
}

/**
 * cdk8s' `sanitizeValue(resolve([], value, o), options)` in one walk, for the built-in resolvers:
 * a `Lazy` is produced, a value with a `resolve()` method resolved, an IntOrString-like instance
 * becomes `{ value }` (each result resolved again); arrays are mapped; plain objects get sorted keys
 * without `null`/`undefined` values. With `filterEmpty` (how metadata is sanitized), empty arrays and
 * objects left empty are dropped too. Throws {@link USE_CDK8S} for any other object.
 */
function resolveClean(value: any, filterEmpty: boolean): any {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' && typeof value !== 'function') return value;
  // The built-in resolvers, in cdk8s' order; the first that replaces the value wins. Of them, only
  // the one of values with a resolve() method can apply to a plain object, so it is asked first.
  const plain = value.constructor === Object;
  if (typeof value.resolve === 'function' && (plain || !(value instanceof Lazy))) return resolveClean(value.resolve(), filterEmpty);
  if (plain) return cleanObject(value, filterEmpty);
  if (value instanceof Lazy) return resolveClean(value.produce(), filterEmpty);
  if (typeof value.value === 'number' || typeof value.value === 'string') return resolveClean({ value: value.value }, filterEmpty);
  if (!Array.isArray(value)) throw USE_CDK8S;
  if (filterEmpty && value.length === 0) return undefined;
  const out = new Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = resolveClean(value[i], filterEmpty);
  return out;
}

/** Up to this many keys, {@link sortedKeys} sorts in place. */
const SMALL_SORT = 32;

/** The keys of `value`, sorted. */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  // Most objects are built in key order already, and the others have a few keys: they are sorted
  // in place (an insertion sort, ordering strings as Array.prototype.sort does), because V8's sort
  // allocates its own state and work array each time, ~80 MB over a 1,000-service synth.
  if (keys.length > SMALL_SORT) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    if (keys[j] < key) continue;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
  return keys;
}

/** The plain object `value` resolved and sanitized: keys sorted, `null`/`undefined` values dropped. */
function cleanObject(value: Record<string, unknown>, filterEmpty: boolean): Record<string, unknown> | undefined {
  const keys = sortedKeys(value);
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const k of keys) {
    const v = resolveClean(value[k], filterEmpty);
    if (v !== null && v !== undefined) {
      out[k] = v;
      kept++;
    }
  }
  return filterEmpty && kept === 0 ? undefined : out;
}
