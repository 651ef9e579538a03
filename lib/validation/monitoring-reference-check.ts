import { Finding, ManifestObject, objectRef, PortableCheck, ThreadFactory } from './finding';
import { podTemplateOf } from './pod-templates';

/** A Kubernetes label selector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: string[] }>;
}

/** True when `selector` selects `labels`; an empty selector selects everything, as the Prometheus Operator reads it. */
export function labelSelectorMatches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  for (const [k, value] of Object.entries(selector?.matchLabels ?? {})) if (labels[k] !== value) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Istio's sidecar declares its metrics port itself, at injection: `http-envoy-prom` (15090). */
const ISTIO_SIDECAR_PORT = /-envoy-prom$/;

/**
 * Prometheus Operator monitors point at something that exists: a ServiceMonitor selects at least
 * one Service of the output (in its own namespace, or those of `namespaceSelector`) and each
 * endpoint's `port` names a port of a selected Service; a PodMonitor selects at least one pod
 * template and each endpoint's `port` names a container port of a selected pod (or the Istio
 * sidecar's injected `http-envoy-prom`). A monitor whose target namespaces this output does not
 * create (a Namespace object: external namespaces, other teams', `namespaceSelector.any`) cannot be
 * judged here and is skipped.
 */
export class MonitoringReferenceCheck implements PortableCheck {
  public readonly name = 'cross-reference/monitoring';
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'MonitoringReferenceCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    const monitors = objects.filter((o) => o.manifest?.apiVersion?.startsWith('monitoring.coreos.com/') && (o.manifest.kind === 'ServiceMonitor' || o.manifest.kind === 'PodMonitor'));
    if (monitors.length === 0) return [];
    const rendered = new Set<string>();
    const services = new Map<string, any[]>();
    const pods = new Map<string, Array<{ labels: Record<string, string>; spec: any; annotations: Record<string, string> }>>();
    for (const { manifest: m } of objects) {
      const ns = m?.metadata?.namespace;
      if (m?.kind === 'Namespace') rendered.add(m.metadata?.name);
      if (!ns) continue;
      if (m.kind === 'Service') push(services, ns, m);
      const t = podTemplateOf(m);
      if (t) {
        const annotations = m.kind === 'Pod' ? m.metadata?.annotations : m.spec?.template?.metadata?.annotations ?? m.spec?.jobTemplate?.spec?.template?.metadata?.annotations;
        push(pods, ns, { labels: t.labels, spec: t.spec, annotations: annotations ?? {} });
      }
    }

    // Candidates by one label of the selector (`key=value`): a scan of every Service or pod per monitor
    // is quadratic in the size of the platform.
    const byLabel = <T>(byNamespace: Map<string, T[]>, labelsOf: (item: T) => Record<string, string>) => {
      const index = new Map<string, T[]>();
      for (const [ns, items] of byNamespace) {
        for (const item of items) for (const [k, value] of Object.entries(labelsOf(item))) push(index, `${ns}\0${k}=${value}`, item);
      }
      return (ns: string, selector: LabelSelector | undefined): T[] => {
        const first = Object.entries(selector?.matchLabels ?? {})[0];
        const candidates = first ? index.get(`${ns}\0${first[0]}=${first[1]}`) ?? [] : byNamespace.get(ns) ?? [];
        return candidates.filter((item) => labelSelectorMatches(selector, labelsOf(item)));
      };
    };
    const servicesSelected = byLabel(services, (svc) => svc.metadata?.labels ?? {});
    const podsSelected = byLabel(pods, (pod) => pod.labels);

    const findings: Finding[] = [];
    for (const o of monitors) {
      const m = o.manifest;
      const emit = (path: string, message: string) => findings.push({ file: o.file, object: objectRef(m), path, message, severity: 'error', check: this.name });
      const nsSel = m.spec?.namespaceSelector;
      if (nsSel?.any) continue;
      const namespaces: string[] = nsSel?.matchNames?.length ? nsSel.matchNames : [m.metadata?.namespace ?? 'default'];
      if (namespaces.some((ns) => !rendered.has(ns))) continue;
      const where = namespaces.map((ns) => `"${ns}"`).join(', ');
      const selector = JSON.stringify(m.spec?.selector ?? {});

      if (m.kind === 'ServiceMonitor') {
        const selected = namespaces.flatMap((ns) => servicesSelected(ns, m.spec?.selector));
        if (selected.length === 0) {
          emit('spec.selector', `selects no Service: no Service in ${where} has labels matching ${selector}`);
          continue;
        }
        (m.spec?.endpoints ?? []).forEach((e: any, i: number) => {
          if (typeof e?.port !== 'string') return;
          if (!selected.some((s) => (s.spec?.ports ?? []).some((p: any) => p.name === e.port))) {
            const names = [...new Set(selected.flatMap((s) => (s.spec?.ports ?? []).map((p: any) => p.name).filter(Boolean)))];
            emit(`spec.endpoints[${i}].port`, `no selected Service (${selected.map((s) => s.metadata?.name).join(', ')}) has a port named "${e.port}"; their named ports: ${names.join(', ') || 'none'}`);
          }
        });
      } else {
        const selected = namespaces.flatMap((ns) => podsSelected(ns, m.spec?.selector));
        if (selected.length === 0) {
          emit('spec.selector', `selects no pods: no pod template in ${where} has labels matching ${selector}`);
          continue;
        }
        (m.spec?.podMetricsEndpoints ?? []).forEach((e: any, i: number) => {
          if (typeof e?.port !== 'string') return;
          const found = selected.some((p) => (p.spec?.containers ?? []).some((c: any) => (c.ports ?? []).some((cp: any) => cp.name === e.port))
            || (ISTIO_SIDECAR_PORT.test(e.port) && p.annotations['sidecar.istio.io/inject'] !== 'false' && p.labels['sidecar.istio.io/inject'] !== 'false'));
          if (!found) emit(`spec.podMetricsEndpoints[${i}].port`, `no container of the selected pods declares a port named "${e.port}"`);
        });
      }
    }
    return findings;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
