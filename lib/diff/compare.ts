import * as path from 'path';
import { kindRank } from '../synth/kind-order';
import { ManifestObject } from '../validation/finding';
import { fieldChanges } from './field-diff';
import { ChangedObject, DiffObject, DistDiff, DistTree, EnvironmentDiff, Risk, RiskCategory } from './model';
import { additionRisks, changeRisks, removalRisks, rolloutOf } from './risks';

/**
 * Groups objects by environment: the first directory of their file (`prod/50-x.yaml` → `prod`).
 * Files directly in the root belong to `rootName` (a single environment's directory was given).
 */
export function groupByEnvironment(objects: readonly ManifestObject[], rootName = '.'): DistTree {
  const out: DistTree = new Map();
  for (const o of objects) {
    const parts = o.file.split(/[\\/]/);
    const env = parts.length > 1 ? parts[0] : rootName;
    const list = out.get(env);
    if (list) list.push(o);
    else out.set(env, [o]);
  }
  return out;
}

/** The identity of a rendered object: `Kind/namespace/name` and its API group. */
export function toDiffObject(o: ManifestObject): DiffObject | undefined {
  const m = o.manifest;
  if (m === null || typeof m !== 'object' || typeof m.kind !== 'string' || typeof m.metadata?.name !== 'string') return undefined;
  const apiVersion = String(m.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const namespace: string | undefined = m.metadata.namespace;
  return {
    id: `${m.kind}/${namespace ?? '-'}/${m.metadata.name}`,
    kind: m.kind,
    group,
    namespace,
    name: m.metadata.name,
    file: o.file,
    manifest: m,
  };
}

/** Apply order: kind rank (as inside a synthesized file), then namespace and name. */
export function byApplyOrder(a: DiffObject, b: DiffObject): number {
  return kindRank(a.kind) - kindRank(b.kind) || a.kind.localeCompare(b.kind)
    || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);
}

const RISK_ORDER: RiskCategory[] = ['immutable', 'data-loss', 'security', 'traffic', 'restart'];

function index(objects: readonly ManifestObject[]): Map<string, DiffObject> {
  const out = new Map<string, DiffObject>();
  for (const o of objects) {
    const d = toDiffObject(o);
    // Group in the key: networking.istio.io Gateway and gateway.networking.k8s.io Gateway are different objects.
    if (d) out.set(`${d.group}|${d.id}`, d);
  }
  return out;
}

/** Differences of one environment's objects. */
export function diffEnvironment(environment: string, before: readonly ManifestObject[], after: readonly ManifestObject[]): EnvironmentDiff {
  const ib = index(before);
  const ia = index(after);
  const added: DiffObject[] = [];
  const removed: DiffObject[] = [];
  const changed: ChangedObject[] = [];
  for (const [key, obj] of ia) {
    const old = ib.get(key);
    if (!old) { added.push(obj); continue; }
    const fields = fieldChanges(old.manifest, obj.manifest);
    if (fields.length === 0) continue;
    const rollout = rolloutOf(obj.kind, old.manifest, obj.manifest);
    changed.push({ object: obj, before: old, fields, ...(rollout ? { rollout } : {}) });
  }
  for (const [key, obj] of ib) if (!ia.has(key)) removed.push(obj);
  added.sort(byApplyOrder);
  removed.sort(byApplyOrder);
  changed.sort((a, b) => byApplyOrder(a.object, b.object));
  const risks: Risk[] = [
    ...changed.flatMap(changeRisks),
    ...added.flatMap(additionRisks),
    ...removed.flatMap(removalRisks),
  ];
  risks.sort((a, b) => RISK_ORDER.indexOf(a.category) - RISK_ORDER.indexOf(b.category));
  return { environment, added, removed, changed, risks };
}

/** Differences between two dist/ trees, per environment (in name order). */
export function diffTrees(before: DistTree, after: DistTree): DistDiff {
  const envs = [...new Set([...before.keys(), ...after.keys()])].sort();
  const environments = envs.map((env) => diffEnvironment(env, before.get(env) ?? [], after.get(env) ?? []));
  const equal = environments.every((e) => e.added.length + e.removed.length + e.changed.length === 0);
  return { environments, equal };
}

/** Environment name of a directory given on its own (`dist/prod` → `prod`). */
export function environmentNameOf(dir: string): string {
  return path.basename(path.resolve(dir));
}
