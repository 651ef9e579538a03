import { DiffObject, DistDiff, EnvironmentDiff, FieldChange, Risk } from './model';

/** Options of {@link formatDiff}. */
export interface FormatOptions {
  /** ANSI colours (red removed/refused, green added, yellow changed/risk). @default false */
  readonly color?: boolean;
  /** Longest printed value before it is shortened with `…`. @default 120 */
  readonly maxValueLength?: number;
}

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 } as const;
type Paint = (c: keyof typeof CODES, s: string) => string;

/** One value, compact: JSON, shortened; `(none)` when the field is absent. */
export function formatValue(v: unknown, max = 120): string {
  if (v === undefined) return '(none)';
  const s = JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function formatField(f: FieldChange, max: number, paint: Paint): string {
  return `      ${f.path}: ${paint('red', formatValue(f.before, max))} → ${paint('green', formatValue(f.after, max))}`;
}

const RISK_LABEL: Record<Risk['category'], string> = {
  'immutable': 'REFUSED',
  'data-loss': 'DATA LOSS',
  'security': 'WIDENS ACCESS',
  'traffic': 'TRAFFIC',
  'restart': 'RESTART',
};

function formatRisk(r: Risk, paint: Paint): string[] {
  const colour = r.category === 'immutable' || r.category === 'data-loss' ? 'red' : 'yellow';
  const lines = [`  ${paint(colour, `! ${RISK_LABEL[r.category]}`)} ${r.object}${r.path === '-' ? '' : ` ${r.path}`}: ${r.message}`];
  if (r.action) lines.push(`      → ${r.action}`);
  return lines;
}

/** `n added, n removed, n changed` of one environment. */
export function countsOf(e: EnvironmentDiff): string {
  if (e.added.length + e.removed.length + e.changed.length === 0) return 'unchanged';
  const risky = e.risks.filter((r) => r.category !== 'restart').length;
  return `${e.added.length} added, ${e.removed.length} removed, ${e.changed.length} changed${risky ? `, ${risky} risk(s)` : ''}`;
}

/** The per-environment text of a diff: risks first, then added, removed, changed objects with their fields. */
export function formatEnvironment(e: EnvironmentDiff, options: FormatOptions = {}): string[] {
  const paint: Paint = options.color ? (c, s) => `\x1b[${CODES[c]}m${s}\x1b[0m` : (_c, s) => s;
  const max = options.maxValueLength ?? 120;
  const lines = [paint('bold', `${e.environment}: ${countsOf(e)}`)];
  if (countsOf(e) === 'unchanged') return lines;
  for (const r of e.risks) if (r.category !== 'restart') lines.push(...formatRisk(r, paint));
  const restarts = e.risks.filter((r) => r.category === 'restart').map((r) => r.object);
  if (restarts.length > 0) lines.push(`  ${paint('yellow', '! RESTART')} every pod of ${restarts.join(', ')} (pod template changed; rolling update)`);
  const id = (o: DiffObject) => `${o.id} ${paint('dim', `(${o.file})`)}`;
  for (const o of e.added) lines.push(`  ${paint('green', '+')} ${id(o)}`);
  for (const o of e.removed) lines.push(`  ${paint('red', '-')} ${id(o)}`);
  if (e.removed.length > 0) lines.push(paint('dim', '    (a plain kubectl apply leaves removed objects running: apply with --prune --applyset, or let Argo CD prune)'));
  for (const c of e.changed) {
    const rollout = c.rollout === 'restarts-pods' ? ' [restarts every pod]' : c.rollout === 'no-restart' ? ' [no pod restart]' : '';
    lines.push(`  ${paint('yellow', '~')} ${id(c.object)}${rollout}`);
    for (const f of c.fields) lines.push(formatField(f, max, paint));
  }
  return lines;
}

/** The whole diff as text, ending in a summary line. */
export function formatDiff(diff: DistDiff, options: FormatOptions = {}): string {
  const lines = diff.environments.flatMap((e) => formatEnvironment(e, options));
  lines.push(summaryLine(diff));
  return lines.join('\n');
}

/** `summary: 1 added, 2 removed, 3 changed in prod; 2 risk(s)` or `no differences`. */
export function summaryLine(diff: DistDiff): string {
  if (diff.equal) return 'summary: no differences';
  const sum = (f: (e: EnvironmentDiff) => number) => diff.environments.reduce((n, e) => n + f(e), 0);
  const envs = diff.environments.filter((e) => countsOf(e) !== 'unchanged').map((e) => e.environment);
  const risks = sum((e) => e.risks.filter((r) => r.category !== 'restart').length);
  const refused = sum((e) => e.risks.filter((r) => r.category === 'immutable').length);
  return `summary: ${sum((e) => e.added.length)} added, ${sum((e) => e.removed.length)} removed, ${sum((e) => e.changed.length)} changed in ${envs.join(', ')}; `
    + `${risks} risk(s)${refused ? `, ${refused} the server will refuse` : ''}`;
}

/** The JSON shape of `npm run diff -- --json`. */
export interface DiffJson {
  readonly from: string;
  readonly to: string;
  readonly equal: boolean;
  readonly summary: { added: number; removed: number; changed: number; risks: number };
  readonly environments: Array<{
    environment: string;
    added: ObjectRef[];
    removed: ObjectRef[];
    changed: Array<ObjectRef & { rollout?: string; fields: FieldChange[] }>;
    risks: Risk[];
  }>;
}

/** An object as the JSON output names it. */
export interface ObjectRef {
  readonly id: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly file: string;
}

const ref = (o: DiffObject): ObjectRef => ({
  id: o.id, apiVersion: o.manifest.apiVersion, kind: o.kind, ...(o.namespace ? { namespace: o.namespace } : {}), name: o.name, file: o.file,
});

/** The diff for tools (`--json`). */
export function diffToJson(diff: DistDiff, from: string, to: string): DiffJson {
  const environments = diff.environments.map((e) => ({
    environment: e.environment,
    added: e.added.map(ref),
    removed: e.removed.map(ref),
    changed: e.changed.map((c) => ({ ...ref(c.object), ...(c.rollout ? { rollout: c.rollout } : {}), fields: c.fields })),
    risks: e.risks,
  }));
  const sum = (f: (e: EnvironmentDiff) => number) => diff.environments.reduce((n, e) => n + f(e), 0);
  return {
    from, to, equal: diff.equal,
    summary: { added: sum((e) => e.added.length), removed: sum((e) => e.removed.length), changed: sum((e) => e.changed.length), risks: sum((e) => e.risks.filter((r) => r.category !== 'restart').length) },
    environments,
  };
}
