import { FieldChange } from './model';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** True when every item is an object with a distinct string `name` (containers, ports, subsets, routes …). */
function namedItems(items: unknown[]): boolean {
  const names = new Set<string>();
  for (const item of items) {
    if (!isPlainObject(item) || typeof item.name !== 'string' || names.has(item.name)) return false;
    names.add(item.name);
  }
  return true;
}

/** Structural equality of JSON values (key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function child(path: string, key: string): string {
  if (SIMPLE_KEY.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/**
 * The fields that differ between `before` and `after`, as readable paths. Maps recurse; lists of
 * named items (containers, ports, subsets, routes) are matched by name, so inserting one does not
 * show every later item as changed; other lists of objects by position; lists of scalars (verbs,
 * principals, args) are compared whole, which reads better than per-index changes.
 */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, path, out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: FieldChange[]): void {
  if (deepEqual(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) walk(a[k], b[k], child(path, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && (a.some(isPlainObject) || b.some(isPlainObject))) {
    if (namedItems(a) && namedItems(b)) {
      const byName = (items: unknown[]) => new Map(items.map((i) => [(i as { name: string }).name, i]));
      const ma = byName(a);
      const mb = byName(b);
      for (const name of new Set([...ma.keys(), ...mb.keys()])) walk(ma.get(name), mb.get(name), `${path}[name=${name}]`, out);
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  out.push({ path: path || '.', ...(a === undefined ? {} : { before: a }), ...(b === undefined ? {} : { after: b }) });
}

/** The value at a dotted path (`spec.template`), or undefined. */
export function valueAtPath(obj: unknown, path: string): any {
  let cur: any = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[key];
  }
  return cur;
}
