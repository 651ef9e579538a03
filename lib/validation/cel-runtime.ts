import { CelEvaluator } from './cel';

/*
 * What compiled validators call for `x-kubernetes-validations`. It lives in its own module so
 * that validators cached as standalone code can `require` it by path.
 */

const evaluator = new CelEvaluator();

/** A rule of `x-kubernetes-validations`. */
export interface CelRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
}

/**
 * The OpenAPI `default`s below a schema node, only along the branches that have any: what the API
 * server fills in before it evaluates the node's rules (Gateway API's rules read `kind` and
 * `matches`, which are defaulted).
 */
export interface CelDefaults {
  /** The node's own default. */
  readonly value?: unknown;
  /** Defaults of properties. */
  readonly properties?: Readonly<Record<string, CelDefaults>>;
  /** Defaults of array items. */
  readonly items?: CelDefaults;
}

/** The defaults of schema `node` (see {@link CelDefaults}), or undefined when it has none. */
export function celDefaultsOf(node: any): CelDefaults | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const out: { value?: unknown; properties?: Record<string, CelDefaults>; items?: CelDefaults } = {};
  if (node.default !== undefined) out.value = node.default;
  for (const [name, sub] of Object.entries<any>(node.properties ?? {})) {
    const d = celDefaultsOf(sub);
    if (d) (out.properties ??= {})[name] = d;
  }
  const items = celDefaultsOf(node.items);
  if (items) out.items = items;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `data` with `defaults` applied, copied only where something is added; `data` itself is never changed. */
export function withDefaults(data: unknown, defaults: CelDefaults | undefined): unknown {
  if (!defaults) return data;
  if (Array.isArray(data)) {
    return defaults.items ? data.map((item) => withDefaults(item, defaults.items)) : data;
  }
  if (!data || typeof data !== 'object' || !defaults.properties) return data;
  let copy: Record<string, unknown> | undefined;
  for (const [name, d] of Object.entries(defaults.properties)) {
    const current = (data as Record<string, unknown>)[name];
    const next = current === undefined ? (d.value === undefined ? undefined : withDefaults(structuredClone(d.value), d)) : withDefaults(current, d);
    if (next !== current) (copy ??= { ...(data as Record<string, unknown>) })[name] = next;
  }
  return copy ?? data;
}

/** The rules `data` breaks, each with the message to report; `defaults` are applied first, as the API server does. */
export function failedCelRules(rules: readonly CelRule[], data: unknown, defaults?: CelDefaults): Array<{ rule: string; message: string }> {
  const failed: Array<{ rule: string; message: string }> = [];
  const self = withDefaults(data, defaults);
  for (const r of rules) {
    if (/\boldSelf\b/.test(r.rule)) continue; // transition rules do not apply on create
    const failure = evaluator.check(r.rule, self);
    if (failure) failed.push({ rule: r.rule, message: `${r.message ?? `failed rule: ${r.rule}`} (CEL: ${r.rule}; ${failure})` });
  }
  return failed;
}
