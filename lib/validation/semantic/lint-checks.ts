import { Finding, findingsPerObject, ManifestObject, objectRef, PortableCheck, ThreadFactory } from '../finding';
import { containersOf, podTemplateOf, PodTemplateRef } from '../pod-templates';
import { selectorMatches } from './rules';

/*
 * The common linter rules (kube-linter, Polaris defaults) the API server does not enforce but that
 * break at run time: the kubelet refuses unsafe sysctls, a probe on an undeclared port name always
 * fails, a Service targetPort name the pods do not declare gets no endpoints, a PDB that allows no
 * disruption blocks every node drain. Per-object rules are perObject checks; the others see a whole
 * output directory.
 */


/** Sysctls the kubelet allows without `--allowed-unsafe-sysctls` (Kubernetes 1.32). */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

/** Pods set only safe sysctls (kube-linter `unsafe-sysctls`): the kubelet refuses the others unless allowed node by node. */
export class UnsafeSysctlsCheck implements PortableCheck {
  public readonly name = 'lint/unsafe-sysctls';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'UnsafeSysctlsCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    return findingsPerObject(this.name, objects, (m, emit) => {
      const pod = podTemplateOf(m);
      (pod?.spec.securityContext?.sysctls ?? []).forEach((s: any, i: number) => {
        const name = String(s?.name ?? '').replace(/\//g, '.');
        if (!SAFE_SYSCTLS.has(name)) {
          emit(`${pod!.path}.securityContext.sysctls[${i}].name`, `unsafe sysctl ${JSON.stringify(s?.name)}: the kubelet refuses the pod unless every node allows it (--allowed-unsafe-sysctls); safe ones are ${[...SAFE_SYSCTLS].join(', ')}`);
        }
      });
    });
  }
}

/** Containers keep the default /proc mask (kube-linter `unsafe-proc-mount`, Pod Security baseline). */
export class UnsafeProcMountCheck implements PortableCheck {
  public readonly name = 'lint/unsafe-proc-mount';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'UnsafeProcMountCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    return findingsPerObject(this.name, objects, (m, emit) => {
      const pod = podTemplateOf(m);
      if (!pod) return;
      for (const { container, path } of containersOf(pod)) {
        const mount = container?.securityContext?.procMount;
        if (mount !== undefined && mount !== 'Default') emit(`${path}.securityContext.procMount`, `procMount ${JSON.stringify(mount)} unmasks /proc: only "Default" is allowed (Pod Security baseline)`);
      }
    });
  }
}

/** Probes name ports their container declares (kube-linter `liveness-port`, `readiness-port`, `startup-port`). */
export class ProbePortCheck implements PortableCheck {
  public readonly name = 'lint/probe-port';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'ProbePortCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    return findingsPerObject(this.name, objects, (m, emit) => {
      const pod = podTemplateOf(m);
      if (!pod) return;
      for (const { container, path } of containersOf(pod)) {
        const names = new Set((container?.ports ?? []).map((p: any) => p?.name).filter(Boolean));
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
          for (const handler of ['httpGet', 'tcpSocket'] as const) {
            const port = container?.[probe]?.[handler]?.port;
            if (typeof port === 'string' && !/^\d+$/.test(port) && !names.has(port)) {
              emit(`${path}.${probe}.${handler}.port`, `port ${JSON.stringify(port)} is not declared by the container (ports: ${[...names].join(', ') || 'none'}): the kubelet cannot resolve it and the probe always fails`);
            }
          }
        }
      }
    });
  }
}

interface Workload { readonly ref: string; readonly kind: string; readonly name: string; readonly pod: PodTemplateRef; readonly replicas?: number }

/** Pod templates of a directory indexed by namespace and by each label, so selectors are resolved against few candidates. */
class PodIndex {
  /** The index of `objects`, built once for the checks that run one after another over the same list. */
  public static of(objects: readonly ManifestObject[]): PodIndex {
    const built = PodIndex.built.get(objects);
    if (built && built.length === objects.length) return built.index;
    const index = new PodIndex(objects);
    PodIndex.built.set(objects, { length: objects.length, index });
    return index;
  }

  private static readonly built = new WeakMap<readonly ManifestObject[], { readonly length: number; readonly index: PodIndex }>();

  private readonly byNs = new Map<string, Workload[]>();
  private readonly byLabel = new Map<string, Workload[]>();

  private constructor(objects: readonly ManifestObject[]) {
    for (const { manifest } of objects) {
      const pod = podTemplateOf(manifest);
      if (!pod) continue;
      const ns = manifest.metadata?.namespace ?? '';
      const w: Workload = { ref: objectRef(manifest), kind: manifest.kind, name: manifest.metadata?.name, pod, replicas: manifest.spec?.replicas };
      push(this.byNs, ns, w);
      for (const [k, v] of Object.entries(pod.labels)) push(this.byLabel, `${ns}\0${k}\0${v}`, w);
    }
  }

  /** Workloads in `ns` whose pod labels match a LabelSelector (`matchLabels` / `matchExpressions`). */
  public selected(ns: string, selector: any): Workload[] {
    let candidates: Workload[] | undefined;
    for (const [k, v] of Object.entries<any>(selector?.matchLabels ?? {})) {
      const list = this.byLabel.get(`${ns}\0${k}\0${v}`) ?? [];
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    return (candidates ?? this.byNs.get(ns) ?? []).filter((w) => selectorMatches(selector, w.pod.labels));
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A Service's named targetPorts are declared by every pod it selects (kube-linter `dangling-service` ports, Polaris). */
export class ServiceTargetPortCheck implements PortableCheck {
  public readonly name = 'lint/service-target-port';
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'ServiceTargetPortCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    const index = PodIndex.of(objects);
    return findingsPerObject(this.name, objects, (m, emit) => {
      if (m?.kind !== 'Service' || m.apiVersion !== 'v1' || !m.spec?.selector || Object.keys(m.spec.selector).length === 0) return;
      const ports: any[] = m.spec.ports ?? [];
      if (!ports.some((p) => typeof p?.targetPort === 'string')) return;
      const workloads = index.selected(m.metadata?.namespace ?? '', { matchLabels: m.spec.selector });
      ports.forEach((p: any, i: number) => {
        if (typeof p?.targetPort !== 'string' || /^\d+$/.test(p.targetPort)) return;
        for (const w of workloads) {
          const declared = containersOf(w.pod).some(({ container }) => (container?.ports ?? []).some((cp: any) => cp?.name === p.targetPort && (cp.protocol ?? 'TCP') === (p.protocol ?? 'TCP')));
          if (!declared) emit(`spec.ports[${i}].targetPort`, `no container of ${w.ref}, whose pods this Service selects, declares a ${p.protocol ?? 'TCP'} port named ${JSON.stringify(p.targetPort)}: those pods get no endpoint for this port`);
        }
      });
    });
  }
}

/**
 * A PodDisruptionBudget leaves room for at least one voluntary disruption (kube-linter
 * `pdb-max-unavailable`, `pdb-min-available`): not maxUnavailable 0, not minAvailable 100 %, and
 * minAvailable below the replicas its workloads run at their minimum (an autoscaler's minReplicas
 * when one scales them) — otherwise every node drain and cluster upgrade blocks on these pods.
 */
export class PdbDisruptionCheck implements PortableCheck {
  public readonly name = 'lint/pdb-disruptions';
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'PdbDisruptionCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    const index = PodIndex.of(objects);
    const scaledMin = new Map<string, { min: number; by: string }>();
    for (const { manifest: m } of objects) {
      const ns = m?.metadata?.namespace ?? '';
      if (m?.kind === 'HorizontalPodAutoscaler' && m.spec?.scaleTargetRef) {
        scaledMin.set(`${m.spec.scaleTargetRef.kind}/${ns}/${m.spec.scaleTargetRef.name}`, { min: m.spec.minReplicas ?? 1, by: objectRef(m) });
      } else if (m?.kind === 'ScaledObject' && m.spec?.scaleTargetRef) {
        scaledMin.set(`${m.spec.scaleTargetRef.kind ?? 'Deployment'}/${ns}/${m.spec.scaleTargetRef.name}`, { min: m.spec.minReplicaCount ?? 0, by: objectRef(m) });
      }
    }
    return findingsPerObject(this.name, objects, (m, emit) => {
      if (m?.kind !== 'PodDisruptionBudget') return;
      const spec = m.spec ?? {};
      if (spec.maxUnavailable === 0 || spec.maxUnavailable === '0%') {
        emit('spec.maxUnavailable', `maxUnavailable ${JSON.stringify(spec.maxUnavailable)} allows no voluntary disruption: node drains and cluster upgrades block on these pods`);
        return;
      }
      const min = spec.minAvailable;
      if (min === undefined) return;
      if (min === '100%') {
        emit('spec.minAvailable', 'minAvailable "100%" allows no voluntary disruption: node drains and cluster upgrades block on these pods');
        return;
      }
      const ns = m.metadata?.namespace ?? '';
      let total = 0;
      const counted: string[] = [];
      for (const w of index.selected(ns, spec.selector ?? {})) {
        if (!['Deployment', 'StatefulSet', 'ReplicaSet'].includes(w.kind)) continue;
        const scaler = scaledMin.get(`${w.kind}/${ns}/${w.name}`);
        const replicas = scaler ? scaler.min : w.replicas ?? 1;
        total += replicas;
        counted.push(`${w.ref}: ${replicas}${scaler ? ` (minReplicas of ${scaler.by})` : ''}`);
      }
      if (total === 0) return;
      const required = typeof min === 'number' ? min : typeof min === 'string' && /^\d+%$/.test(min) ? Math.ceil((Number(min.slice(0, -1)) * total) / 100) : undefined;
      if (required !== undefined && required >= total) {
        emit('spec.minAvailable', `minAvailable ${JSON.stringify(min)} requires ${required} of the ${total} pods that run at the minimum (${counted.join('; ')}): no pod may ever be evicted`);
      }
    });
  }
}
