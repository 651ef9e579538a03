import { Finding, ManifestObject, objectRef, PortableCheck, ThreadFactory } from './finding';
import { podTemplateOf, selects } from './pod-templates';

/** Options of {@link CrossReferenceCheck}. */
export interface CrossReferenceCheckOptions {
  /**
   * Namespaces that exist without being in the output (system and controller namespaces), declared
   * explicitly: none is assumed (`externalNamespaces` in cdk8s-microservices.yaml). @default none
   */
  readonly externalNamespaces?: string[];
  /**
   * ServiceAccounts (`ns/name`) that exist without being in the output, e.g. the Istio ingress
   * gateway's, declared explicitly (`externalObjects: [ServiceAccount/<ns>/<name>]` in
   * cdk8s-microservices.yaml). @default none
   */
  readonly externalServiceAccounts?: string[];
}

const NAMESPACED_EXEMPT = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);

/**
 * References between objects resolve, as the controllers and `istioctl analyze` would see them:
 * namespaces exist, Services and DestinationRule subsets select pods, routes name existing subsets
 * (IST0101), autoscalers target existing workloads with one autoscaler each and no fixed replicas,
 * Ingress backends and ports exist, ConfigMaps, PersistentVolumeClaims and ServiceAccounts referenced exist,
 * a StatefulSet's governing Service is headless, no object is defined twice,
 * AuthorizationPolicy principals name ServiceAccounts.
 */
export class CrossReferenceCheck implements PortableCheck {
  public readonly name = 'cross-reference';
  public readonly threadFactory: ThreadFactory;
  private readonly externalNamespaces: Set<string>;
  private readonly externalServiceAccounts: Set<string>;

  constructor(options: CrossReferenceCheckOptions = {}) {
    this.threadFactory = { module: __filename, exportName: 'CrossReferenceCheck', args: [options] };
    this.externalNamespaces = new Set(options.externalNamespaces ?? []);
    this.externalServiceAccounts = new Set(options.externalServiceAccounts ?? []);
  }

  public check(objects: readonly ManifestObject[]): Finding[] {
    const findings: Finding[] = [];
    const index = new Map<string, ManifestObject>();
    const key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;
    for (const o of objects) {
      const k = key(o.manifest.kind, o.manifest.metadata?.namespace, o.manifest.metadata?.name);
      const first = index.get(k);
      if (first) {
        findings.push({ file: o.file, object: objectRef(o.manifest), path: 'metadata.name', message: `defined twice (also in ${first.file}): one would silently overwrite the other`, severity: 'error', check: this.name });
      }
      index.set(k, o);
    }
    // A Flagger Canary generates its Services (`<name>`, `<name>-primary`, `<name>-canary`) in the
    // cluster: references to them (an Ingress of the nginx provider) are satisfied.
    for (const o of objects) {
      const m = o.manifest;
      if (m.kind !== 'Canary' || !String(m.apiVersion).startsWith('flagger.app/')) continue;
      const svc = m.spec?.service ?? {};
      const base = svc.name ?? m.spec?.targetRef?.name;
      for (const name of base ? [base, `${base}-primary`, `${base}-canary`] : []) {
        const k = key('Service', m.metadata?.namespace, name);
        if (!index.has(k)) {
          index.set(k, { file: o.file, manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: m.metadata?.namespace }, spec: { ports: [{ name: svc.portName ?? 'http', port: svc.port }] } } });
        }
      }
    }
    const has = (kind: string, ns: string | undefined, name: string) => index.has(key(kind, ns, name));
    // Pod templates indexed by namespace and `app` label, DestinationRule subsets by host: the
    // lookups below stay linear in the size of the output.
    const podsByNs = new Map<string, Array<Record<string, string>>>();
    const podsByApp = new Map<string, Array<Record<string, string>>>();
    for (const o of objects) {
      const t = podTemplateOf(o.manifest);
      if (!t) continue;
      const ns = o.manifest.metadata?.namespace ?? '';
      push(podsByNs, ns, t.labels);
      if (t.labels.app) push(podsByApp, `${ns}/${t.labels.app}`, t.labels);
    }
    const podsSelected = (ns: string | undefined, selector: Record<string, string>) =>
      (selector.app ? podsByApp.get(`${ns ?? ''}/${selector.app}`) : podsByNs.get(ns ?? ''))?.some((labels) => selects(selector, labels)) ?? false;
    const subsetsByHost = new Map<string, Set<string>>();
    for (const o of objects) {
      if (o.manifest.kind !== 'DestinationRule') continue;
      const h = shortHost(o.manifest.spec?.host, o.manifest.metadata?.namespace);
      const k = `${h.ns}/${h.name}`;
      const set = subsetsByHost.get(k) ?? new Set<string>();
      for (const sub of o.manifest.spec?.subsets ?? []) set.add(sub.name);
      subsetsByHost.set(k, set);
    }
    const scaledBy = new Map<string, string[]>();

    for (const o of objects) {
      const m = o.manifest;
      const ns = m.metadata?.namespace;
      const emit = (path: string, message: string) => findings.push({ file: o.file, object: objectRef(m), path, message, severity: 'error', check: this.name });

      if (ns && !NAMESPACED_EXEMPT.has(m.kind) && !this.externalNamespaces.has(ns) && !has('Namespace', undefined, ns)) {
        emit('metadata.namespace', `namespace "${ns}" is neither created by this output nor declared external`);
      }

      if (m.kind === 'Service' && m.spec?.selector && !podsSelected(ns, m.spec.selector)) {
        emit('spec.selector', `selects no pods: no pod template in "${ns}" has labels ${JSON.stringify(m.spec.selector)}`);
      }

      const pod = podTemplateOf(m);
      if (pod) {
        const sa = pod.spec.serviceAccountName;
        if (sa && sa !== 'default' && !has('ServiceAccount', ns, sa) && !this.externalServiceAccounts.has(`${ns}/${sa}`)) {
          emit(`${pod.path}.serviceAccountName`, `ServiceAccount "${sa}" does not exist in "${ns}"`);
        }
        const configMapRefs: Array<[string, any]> = [];
        (pod.spec.volumes ?? []).forEach((v: any, i: number) => v.configMap && configMapRefs.push([`${pod.path}.volumes[${i}].configMap.name`, v.configMap]));
        (pod.spec.containers ?? []).concat(pod.spec.initContainers ?? []).forEach((c: any, ci: number) => {
          (c.envFrom ?? []).forEach((e: any, i: number) => e.configMapRef && configMapRefs.push([`${pod.path}.containers[${ci}].envFrom[${i}].configMapRef.name`, e.configMapRef]));
          (c.env ?? []).forEach((e: any, i: number) => e.valueFrom?.configMapKeyRef && configMapRefs.push([`${pod.path}.containers[${ci}].env[${i}].valueFrom.configMapKeyRef.name`, e.valueFrom.configMapKeyRef]));
        });
        (pod.spec.volumes ?? []).forEach((v: any, i: number) => (v.projected?.sources ?? []).forEach((src: any, si: number) => {
          if (src.configMap) configMapRefs.push([`${pod.path}.volumes[${i}].projected.sources[${si}].configMap.name`, src.configMap]);
        }));
        for (const [path, ref] of configMapRefs) {
          if (!ref.optional && !has('ConfigMap', ns, ref.name)) emit(path, `ConfigMap "${ref.name}" does not exist in "${ns}"`);
        }
        // A claim a pod mounts must exist: it is not created for a Deployment, Job or DaemonSet's pods
        // (a StatefulSet's claim templates are mounted by the template's name, not as volumes).
        (pod.spec.volumes ?? []).forEach((v: any, i: number) => {
          const claim = v.persistentVolumeClaim?.claimName;
          if (claim && !has('PersistentVolumeClaim', ns, claim)) {
            emit(`${pod.path}.volumes[${i}].persistentVolumeClaim.claimName`, `PersistentVolumeClaim "${claim}" does not exist in "${ns}": create it, or use a StatefulSet volume claim template`);
          }
        });
      }

      if (m.kind === 'StatefulSet' && m.spec?.serviceName) {
        const governing = index.get(key('Service', ns, m.spec.serviceName));
        if (!governing) emit('spec.serviceName', `Service "${m.spec.serviceName}" does not exist in "${ns}": the pods get no stable DNS names (<pod>.${m.spec.serviceName})`);
        else if (governing.manifest.spec?.clusterIP !== 'None') emit('spec.serviceName', `Service "${m.spec.serviceName}" is not headless (clusterIP: None): the pods get no stable DNS names`);
      }

      const target = m.kind === 'HorizontalPodAutoscaler' ? m.spec?.scaleTargetRef
        : m.kind === 'ScaledObject' ? { kind: m.spec?.scaleTargetRef?.kind ?? 'Deployment', name: m.spec?.scaleTargetRef?.name }
          : m.kind === 'VerticalPodAutoscaler' ? m.spec?.targetRef : undefined;
      if (target) {
        const targetPath = m.kind === 'VerticalPodAutoscaler' ? 'spec.targetRef' : 'spec.scaleTargetRef';
        const workload = index.get(key(target.kind, ns, target.name));
        if (!workload) {
          emit(`${targetPath}.name`, `${target.kind} "${target.name}" does not exist in "${ns}"`);
        } else if (m.kind !== 'VerticalPodAutoscaler') {
          push(scaledBy, key(target.kind, ns, target.name), objectRef(m));
          if (workload.manifest.spec?.replicas !== undefined) {
            findings.push({ file: workload.file, object: objectRef(workload.manifest), path: 'spec.replicas', message: `replicas is set while ${objectRef(m)} scales this workload: every apply would reset the autoscaler's count`, severity: 'error', check: this.name });
          }
        }
      }

      if (m.kind === 'Ingress') {
        (m.spec?.rules ?? []).forEach((r: any, ri: number) => (r.http?.paths ?? []).forEach((p: any, pi: number) => {
          const svc = p.backend?.service;
          if (!svc) return;
          const path = `spec.rules[${ri}].http.paths[${pi}].backend.service`;
          const target = index.get(key('Service', ns, svc.name));
          if (!target) emit(`${path}.name`, `Service "${svc.name}" does not exist in "${ns}"`);
          else if (!(target.manifest.spec?.ports ?? []).some((sp: any) => (svc.port?.name ? sp.name === svc.port.name : sp.port === svc.port?.number))) {
            emit(`${path}.port`, `Service "${svc.name}" has no port ${JSON.stringify(svc.port)}`);
          }
        }));
      }

      if (m.kind === 'DestinationRule') {
        const host = shortHost(m.spec?.host, ns);
        (m.spec?.subsets ?? []).forEach((s: any, i: number) => {
          if (s.labels && !podsSelected(host.ns, { ...podSelectorOfService(index, key, host), ...s.labels })) {
            emit(`spec.subsets[${i}].labels`, `subset "${s.name}" selects no pods of ${m.spec.host} (IST0173)`);
          }
        });
      }

      if (m.kind === 'VirtualService') {
        for (const section of ['http', 'tcp', 'tls'] as const) {
          (m.spec?.[section] ?? []).forEach((route: any, ri: number) => {
            const dests: Array<[string, any]> = (route.route ?? []).map((d: any, di: number) => [`spec.${section}[${ri}].route[${di}].destination`, d.destination]);
            if (route.mirror) dests.push([`spec.${section}[${ri}].mirror`, route.mirror]);
            for (const [path, d] of dests) {
              if (!d?.subset) continue;
              const host = shortHost(d.host, ns);
              if (!subsetsByHost.get(`${host.ns}/${host.name}`)?.has(d.subset)) emit(`${path}.subset`, `subset "${d.subset}" of host ${d.host} is not defined by any DestinationRule (IST0101)`);
            }
          });
        }
      }

      if (m.kind === 'AuthorizationPolicy') {
        (m.spec?.rules ?? []).forEach((r: any, ri: number) => (r.from ?? []).forEach((f: any, fi: number) => {
          (f.source?.principals ?? []).forEach((p: string, pi: number) => {
            const match = /^cluster\.local\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(p);
            if (match && !has('ServiceAccount', match[1], match[2]) && !this.externalServiceAccounts.has(`${match[1]}/${match[2]}`)) {
              emit(`spec.rules[${ri}].from[${fi}].source.principals[${pi}]`, `principal ${p} names a ServiceAccount that is not created (nor declared external)`);
            }
          });
        }));
      }
    }

    for (const [workload, scalers] of scaledBy) {
      if (scalers.length > 1) {
        const [kind, ns, name] = workload.split('/');
        const o = index.get(workload)!;
        findings.push({ file: o.file, object: `${kind}/${ns}/${name}`, path: 'metadata.name', message: `scaled by ${scalers.length} autoscalers (${scalers.join(', ')}); they would fight over the replica count`, severity: 'error', check: this.name });
      }
    }
    return findings;
  }
}

interface Host { readonly name: string; readonly ns: string | undefined }

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `user-service`, `user-service.ns`, `user-service.ns.svc.cluster.local` → name + namespace. */
function shortHost(host: string | undefined, defaultNs: string | undefined): Host {
  const parts = (host ?? '').split('.');
  return { name: parts[0], ns: parts.length > 1 ? parts[1] : defaultNs };
}

function podSelectorOfService(index: Map<string, ManifestObject>, key: (k: string, ns: string | undefined, n: string) => string, host: Host): Record<string, string> {
  return index.get(key('Service', host.ns, host.name))?.manifest.spec?.selector ?? {};
}
