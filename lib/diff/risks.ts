import { valueAtPath as at, deepEqual } from './field-diff';
import { ChangedObject, DiffObject, Risk } from './model';

const RECREATE = 'delete and re-create the object (kubectl delete, then apply), or give it a new name; '
  + 'with Argo CD add the sync option Replace=true to this object (annotation argocd.argoproj.io/sync-options: Replace=true)';

const WORKLOADS_WITH_SELECTOR = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet']);
/** Kinds whose pod template is at `spec.template` (CronJob's is under jobTemplate). */
const POD_TEMPLATE_PATH: Record<string, string> = {
  Deployment: 'spec.template',
  ReplicaSet: 'spec.template',
  DaemonSet: 'spec.template',
  StatefulSet: 'spec.template',
  Job: 'spec.template',
  CronJob: 'spec.jobTemplate.spec.template',
};
/** StatefulSet spec fields the API server lets an update change; every other one is forbidden. */
const STATEFULSET_MUTABLE = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'revisionHistoryLimit']);

const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

/** Whether a change of `kind` replaces every pod, for workloads; undefined for other kinds. */
export function rolloutOf(kind: string, before: any, after: any): 'restarts-pods' | 'no-restart' | undefined {
  const p = POD_TEMPLATE_PATH[kind];
  if (!p || kind === 'Job' || kind === 'CronJob') return undefined;
  return deepEqual(at(before, p), at(after, p)) ? 'no-restart' : 'restarts-pods';
}

/** Risks of a changed object: immutable fields, pod restarts, traffic steps, security widening. */
export function changeRisks(change: ChangedObject): Risk[] {
  const before = change.before.manifest;
  const after = change.object.manifest;
  const { kind, id } = change.object;
  const out: Risk[] = [];
  const refuse = (path: string, what: string) => out.push({
    category: 'immutable', object: id, path,
    message: `${what}: the API server refuses this update (field is immutable), so the sync fails`,
    action: RECREATE,
  });

  // Immutable fields.
  if (WORKLOADS_WITH_SELECTOR.has(kind) && !deepEqual(before.spec?.selector, after.spec?.selector)) {
    refuse('spec.selector', `${kind} selector ${show(before.spec?.selector)} → ${show(after.spec?.selector)}`);
  }
  if (kind === 'StatefulSet') {
    const keys = new Set([...Object.keys(before.spec ?? {}), ...Object.keys(after.spec ?? {})]);
    for (const k of [...keys].sort()) {
      if (k === 'selector' || STATEFULSET_MUTABLE.has(k)) continue;
      if (!deepEqual(before.spec?.[k], after.spec?.[k])) refuse(`spec.${k}`, `StatefulSet spec.${k} changed`);
    }
  }
  // An Argo CD hook deleted before it is created again (a migration Job) is never updated in place.
  const recreatedHook = /BeforeHookCreation/.test(after.metadata?.annotations?.['argocd.argoproj.io/hook-delete-policy'] ?? '')
    && after.metadata?.annotations?.['argocd.argoproj.io/hook'] !== undefined;
  if (kind === 'Job' && recreatedHook) {
    if (!deepEqual(before.spec, after.spec)) {
      out.push({
        category: 'immutable', object: id, path: 'spec',
        message: 'Job changed: Argo CD deletes and recreates this hook on every sync (BeforeHookCreation), so it runs as changed',
        action: 'with kubectl apply, delete the Job first (kubectl delete job), as the README\'s migration order says',
      });
    }
  } else if (kind === 'Job') {
    if (!deepEqual(before.spec?.template, after.spec?.template)) refuse('spec.template', 'Job pod template changed');
    if (!deepEqual(before.spec?.selector, after.spec?.selector)) refuse('spec.selector', 'Job selector changed');
    if (before.spec?.completionMode !== after.spec?.completionMode) refuse('spec.completionMode', `Job completionMode ${show(before.spec?.completionMode)} → ${show(after.spec?.completionMode)}`);
    if (before.spec?.completions !== after.spec?.completions) {
      // Only an Indexed Job may change completions, and only together with parallelism to the same value.
      const elastic = after.spec?.completionMode === 'Indexed' && after.spec?.completions === after.spec?.parallelism;
      if (!elastic) refuse('spec.completions', `Job completions ${show(before.spec?.completions)} → ${show(after.spec?.completions)} (allowed only for an Indexed Job with parallelism changed to the same value)`);
    }
  }
  if (kind === 'Service') serviceRisks(before, after, refuse);
  if ((kind === 'ConfigMap' || kind === 'Secret') && before.immutable === true) {
    for (const field of ['data', 'binaryData', 'stringData']) {
      if (!deepEqual(before[field], after[field])) refuse(field, `${kind} is immutable and its ${field} changed`);
    }
    if (after.immutable !== true) refuse('immutable', `${kind} immutable: true → ${show(after.immutable)}`);
  }
  if (kind === 'PersistentVolumeClaim') pvcRisks(before, after, refuse);

  // Rollout.
  if (change.rollout === 'restarts-pods') {
    out.push({ category: 'restart', object: id, path: POD_TEMPLATE_PATH[kind], message: 'pod template changed: every pod is replaced (rolling update)' });
  }
  // Traffic.
  if (kind === 'VirtualService') out.push(...weightSteps(id, before, after));
  // Security widening.
  out.push(...wideningRisks(kind, id, before, after));
  return out;
}

function serviceRisks(before: any, after: any, refuse: (path: string, what: string) => void): void {
  const typeOf = (s: any) => s?.spec?.type ?? 'ClusterIP';
  const tb = typeOf(before);
  const ta = typeOf(after);
  const ipB = before.spec?.clusterIP;
  const ipA = after.spec?.clusterIP;
  if (tb !== ta && ta === 'ExternalName') {
    refuse('spec.type', `Service type ${tb} → ExternalName: the allocated clusterIP stays on the live object and an ExternalName Service may not have one`);
  } else if ((ipB === 'None') !== (ipA === 'None')) {
    refuse('spec.clusterIP', `Service ${ipB === 'None' ? 'headless → with a cluster IP' : 'with a cluster IP → headless'} (clusterIP ${show(ipB)} → ${show(ipA)})`);
  } else if (ipB !== undefined && ipB !== '' && ipB !== ipA && tb !== 'ExternalName') {
    refuse('spec.clusterIP', `Service clusterIP ${show(ipB)} → ${show(ipA)}`);
  }
  const ipsB = before.spec?.clusterIPs;
  if (ipsB !== undefined && !deepEqual(ipsB, after.spec?.clusterIPs) && tb !== 'ExternalName' && ta !== 'ExternalName') {
    refuse('spec.clusterIPs', `Service clusterIPs ${show(ipsB)} → ${show(after.spec?.clusterIPs)}`);
  }
}

function pvcRisks(before: any, after: any, refuse: (path: string, what: string) => void): void {
  const strip = (spec: any) => {
    const copy = JSON.parse(JSON.stringify(spec ?? {}));
    if (copy.resources?.requests) delete copy.resources.requests.storage;
    delete copy.volumeAttributesClassName;
    return copy;
  };
  if (!deepEqual(strip(before.spec), strip(after.spec))) {
    refuse('spec', 'PersistentVolumeClaim spec changed beyond resources.requests.storage');
  }
  const sb = before.spec?.resources?.requests?.storage;
  const sa = after.spec?.resources?.requests?.storage;
  if (sb !== undefined && sa !== undefined && sb !== sa && quantityBytes(sa) < quantityBytes(sb)) {
    refuse('spec.resources.requests.storage', `PersistentVolumeClaim storage ${sb} → ${sa}: a volume cannot shrink`);
  }
}

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
function quantityBytes(q: unknown): number {
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(String(q));
  return m && SUFFIX[m[2]] !== undefined ? Number(m[1]) * SUFFIX[m[2]] : NaN;
}

/** Weight of each destination subset per named HTTP route. */
function weights(vs: any): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  (vs?.spec?.http ?? []).forEach((route: any, i: number) => {
    const dests: any[] = route.route ?? [];
    const m = new Map<string, number>();
    for (const d of dests) m.set(d.destination?.subset ?? d.destination?.host ?? '?', d.weight ?? (dests.length === 1 ? 100 : 0));
    out.set(route.name ?? `http[${i}]`, m);
  });
  return out;
}

function weightSteps(id: string, before: any, after: any): Risk[] {
  const wb = weights(before);
  const wa = weights(after);
  const out: Risk[] = [];
  for (const route of new Set([...wb.keys(), ...wa.keys()])) {
    const b = wb.get(route) ?? new Map();
    const a = wa.get(route) ?? new Map();
    const subsets = [...new Set([...b.keys(), ...a.keys()])];
    if (subsets.every((s) => b.get(s) === a.get(s))) continue;
    const steps = subsets.map((s) => `${s} ${b.get(s) ?? 0} → ${a.get(s) ?? 0}`).join(', ');
    out.push({ category: 'traffic', object: id, path: `spec.http[name=${route}]`, message: `traffic weights of route ${route}: ${steps}` });
  }
  return out;
}

// ---- security widening ----

const PSA_LEVEL: Record<string, number> = { privileged: 0, baseline: 1, restricted: 2 };
const PSA_ENFORCE = 'pod-security.kubernetes.io/enforce';
const SOURCE_FIELDS = ['principals', 'requestPrincipals', 'namespaces', 'ipBlocks', 'remoteIpBlocks'];

/** `field=value` entries of every `from.source` of an AuthorizationPolicy, `*` for a rule without `from` (any source). */
function authorizationSources(policy: any): Set<string> {
  const out = new Set<string>();
  const rules: any[] = policy?.spec?.rules ?? [];
  for (const rule of rules) {
    const froms: any[] = rule.from ?? [];
    if (froms.length === 0) out.add('any source');
    for (const f of froms) {
      const src = f.source ?? {};
      const fields = SOURCE_FIELDS.filter((k) => Array.isArray(src[k]));
      if (fields.length === 0) out.add('any source');
      for (const k of fields) for (const v of src[k]) out.add(`${k}=${v}`);
    }
  }
  return out;
}

/** Canonical peers and ports of each direction of a NetworkPolicy. */
function networkPeers(policy: any, direction: 'ingress' | 'egress'): Set<string> {
  const out = new Set<string>();
  const peerKey = direction === 'ingress' ? 'from' : 'to';
  for (const rule of policy?.spec?.[direction] ?? []) {
    const peers: any[] = rule[peerKey] ?? [];
    const ports: any[] = rule.ports ?? [];
    const peerNames = peers.length === 0 ? ['any peer'] : peers.map((p) => JSON.stringify(p));
    const portNames = ports.length === 0 ? ['any port'] : ports.map((p) => `${p.protocol ?? 'TCP'}/${p.port ?? '*'}${p.endPort ? `-${p.endPort}` : ''}`);
    for (const peer of peerNames) for (const port of portNames) out.add(`${peerKey} ${peer} port ${port}`);
  }
  return out;
}

/** (apiGroup, resource, verb) triples of a Role or ClusterRole. */
function rbacGrants(role: any): Set<string> {
  const out = new Set<string>();
  for (const rule of role?.rules ?? []) {
    const groups: string[] = rule.apiGroups ?? [''];
    const resources: string[] = rule.resources ?? rule.nonResourceURLs ?? [];
    for (const g of groups) for (const r of resources) for (const v of rule.verbs ?? []) out.add(`${v} ${g ? `${g}/` : ''}${r}${rule.resourceNames ? `[${rule.resourceNames.join(',')}]` : ''}`);
  }
  return out;
}

const newIn = (before: Set<string>, after: Set<string>) => [...after].filter((x) => !before.has(x));

/** Containers of a pod spec by name (init containers included). */
function containers(podSpec: any): Map<string, any> {
  return new Map([...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])].map((c: any) => [c.name, c]));
}

function securityContextLoosening(before: any, after: any): string[] {
  const out: string[] = [];
  const sb = before?.securityContext ?? {};
  const sa = after?.securityContext ?? {};
  if (sb.privileged !== true && sa.privileged === true) out.push('privileged: true');
  if (sb.allowPrivilegeEscalation === false && sa.allowPrivilegeEscalation !== false) out.push(`allowPrivilegeEscalation ${show(sa.allowPrivilegeEscalation)}`);
  if (sb.runAsNonRoot === true && sa.runAsNonRoot !== true) out.push(`runAsNonRoot ${show(sa.runAsNonRoot)}`);
  if (sb.readOnlyRootFilesystem === true && sa.readOnlyRootFilesystem !== true) out.push(`readOnlyRootFilesystem ${show(sa.readOnlyRootFilesystem)}`);
  const added = newIn(new Set(sb.capabilities?.add ?? []), new Set(sa.capabilities?.add ?? []));
  if (added.length > 0) out.push(`capabilities added: ${added.join(', ')}`);
  const undropped = newIn(new Set(sa.capabilities?.drop ?? []), new Set(sb.capabilities?.drop ?? []));
  if (undropped.length > 0) out.push(`capabilities no longer dropped: ${undropped.join(', ')}`);
  return out;
}

function wideningRisks(kind: string, id: string, before: any, after: any): Risk[] {
  const out: Risk[] = [];
  const widen = (path: string, message: string) => out.push({ category: 'security', object: id, path, message });
  if (kind === 'AuthorizationPolicy') {
    const action = after.spec?.action ?? 'ALLOW';
    const sb = authorizationSources(before);
    const sa = authorizationSources(after);
    if (action === 'ALLOW' && (before.spec?.action ?? 'ALLOW') === 'ALLOW') {
      const added = newIn(sb, sa);
      if (added.length > 0) widen('spec.rules', `new allowed caller(s): ${added.join(', ')}`);
    } else if (action === 'DENY' && before.spec?.action === 'DENY') {
      const removed = newIn(sa, sb);
      if (removed.length > 0) widen('spec.rules', `no longer denied: ${removed.join(', ')}`);
    }
    if (!deepEqual(before.spec?.selector, after.spec?.selector) && action === 'ALLOW') widen('spec.selector', `now applies to ${show(after.spec?.selector)} (was ${show(before.spec?.selector)})`);
  }
  if (kind === 'NetworkPolicy') {
    for (const dir of ['ingress', 'egress'] as const) {
      const added = newIn(networkPeers(before, dir), networkPeers(after, dir));
      if (added.length > 0) widen(`spec.${dir}`, `new ${dir} allowed: ${added.join('; ')}`);
    }
  }
  if (kind === 'Role' || kind === 'ClusterRole') {
    const added = newIn(rbacGrants(before), rbacGrants(after));
    if (added.length > 0) widen('rules', `new permissions: ${added.join(', ')}`);
  }
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    const subj = (b: any) => new Set<string>((b?.subjects ?? []).map((s: any) => `${s.kind}:${s.namespace ? `${s.namespace}/` : ''}${s.name}`));
    const added = newIn(subj(before), subj(after));
    if (added.length > 0) widen('subjects', `new subjects bound to ${after.roleRef?.kind}/${after.roleRef?.name}: ${added.join(', ')}`);
    if (!deepEqual(before.roleRef, after.roleRef)) widen('roleRef', `role ${show(before.roleRef?.name)} → ${show(after.roleRef?.name)}`);
  }
  if (kind === 'AppProject') {
    // What the project's Applications may now deploy that they could not before.
    const entries = (p: any, field: string, show: (e: any) => string) => new Set<string>((p?.spec?.[field] ?? []).map(show));
    const FIELDS: Array<[string, (e: any) => string]> = [
      ['sourceRepos', (r) => String(r)],
      ['destinations', (d) => `${d.server ?? d.name}/${d.namespace ?? '*'}`],
      ['clusterResourceWhitelist', (k) => `${k.group || 'core'}/${k.kind}${k.name ? `/${k.name}` : ''}`],
      ['namespaceResourceWhitelist', (k) => `${k.group || 'core'}/${k.kind}`],
    ];
    for (const [field, show] of FIELDS) {
      const added = newIn(entries(before, field, show), entries(after, field, show));
      if (added.length > 0) widen(`spec.${field}`, `project admits more: ${added.join(', ')}`);
    }
  }
  if (kind === 'Namespace') {
    const lb = before.metadata?.labels?.[PSA_ENFORCE] ?? 'privileged';
    const la = after.metadata?.labels?.[PSA_ENFORCE] ?? 'privileged';
    if ((PSA_LEVEL[la] ?? 0) < (PSA_LEVEL[lb] ?? 0)) {
      widen(`metadata.labels["${PSA_ENFORCE}"]`, `Pod Security enforce level lowered: ${lb} → ${la}${after.metadata?.labels?.[PSA_ENFORCE] ? '' : ' (label removed)'}`);
    }
  }
  const templatePath = POD_TEMPLATE_PATH[kind] ?? (kind === 'Pod' ? '' : undefined);
  if (templatePath !== undefined) {
    const specPath = templatePath ? `${templatePath}.spec` : 'spec';
    const pb = at(before, specPath);
    const pa = at(after, specPath);
    for (const [name, ca] of containers(pa)) {
      const loosened = securityContextLoosening(containers(pb).get(name) ?? { securityContext: pb?.securityContext }, ca);
      if (loosened.length > 0) widen(`${specPath}.containers[name=${name}].securityContext`, `container ${name} security context loosened: ${loosened.join(', ')}`);
    }
    const podLoosened = securityContextLoosening(pb, pa).filter((l) => l.startsWith('runAsNonRoot'));
    for (const flag of ['hostNetwork', 'hostPID', 'hostIPC']) if (pb?.[flag] !== true && pa?.[flag] === true) podLoosened.push(`${flag}: true`);
    if (podLoosened.length > 0) widen(`${specPath}.securityContext`, `pod security loosened: ${podLoosened.join(', ')}`);
  }
  return out;
}

/** Risks of an added object: new permissions and callers that did not exist before. */
export function additionRisks(obj: DiffObject): Risk[] {
  const m = obj.manifest;
  const none = { spec: {}, rules: [], subjects: [], metadata: {} };
  if (obj.kind === 'AuthorizationPolicy' && (m.spec?.action ?? 'ALLOW') === 'ALLOW') {
    const sources = [...authorizationSources(m)];
    return sources.length > 0 ? [{ category: 'security', object: obj.id, path: 'spec.rules', message: `new ALLOW policy for ${show(m.spec?.selector?.matchLabels ?? 'every workload')}: ${sources.join(', ')}` }] : [];
  }
  if (['NetworkPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'AppProject'].includes(obj.kind)) {
    return wideningRisks(obj.kind, obj.id, none, m);
  }
  if (obj.kind === 'Namespace' && (PSA_LEVEL[m.metadata?.labels?.[PSA_ENFORCE]] ?? 0) === 0) {
    return [{ category: 'security', object: obj.id, path: `metadata.labels["${PSA_ENFORCE}"]`, message: 'new namespace without Pod Security enforcement above privileged' }];
  }
  return [];
}

/** Risks of a removed object: data loss, and protection that goes away. */
export function removalRisks(obj: DiffObject): Risk[] {
  const m = obj.manifest;
  switch (obj.kind) {
    case 'PersistentVolumeClaim':
      return [{ category: 'data-loss', object: obj.id, path: '-', message: 'PersistentVolumeClaim removed: once pruned, its volume is deleted with it (reclaim policy Delete)', action: 'keep it in the output, or annotate it argocd.argoproj.io/sync-options: Prune=false and back the data up first' }];
    case 'StatefulSet':
      return [{ category: 'data-loss', object: obj.id, path: '-', message: 'StatefulSet removed: its pods go; its volume claims stay or go by persistentVolumeClaimRetentionPolicy', action: 'back the data up first' }];
    case 'Namespace':
      return [{ category: 'data-loss', object: obj.id, path: '-', message: 'Namespace removed: when pruned, everything in it is deleted' }];
    case 'NetworkPolicy':
      return [{ category: 'security', object: obj.id, path: '-', message: `NetworkPolicy removed: pods selected by ${show(m.spec?.podSelector)} lose these rules (reachable from anywhere if no other policy selects them)` }];
    case 'AuthorizationPolicy':
      return (m.spec?.action ?? 'ALLOW') === 'ALLOW' ? [] : [{ category: 'security', object: obj.id, path: '-', message: `${m.spec.action} AuthorizationPolicy removed: what it refused is no longer refused by it` }];
    case 'PeerAuthentication':
      return [{ category: 'security', object: obj.id, path: '-', message: 'PeerAuthentication removed: mTLS mode falls back to the next level (mesh default PERMISSIVE)' }];
    default:
      return [];
  }
}
