import { Finding, ManifestObject, objectRef, PortableCheck, ThreadFactory } from '../finding';

/** True when an `http` entry of a VirtualService takes every request (no match, an empty match, or the prefix "/"). */
export function isCatchAll(http: any): boolean {
  const match = http?.match;
  if (!Array.isArray(match) || match.length === 0) return true;
  return match.some((m: any) => {
    if (m === null || typeof m !== 'object') return true;
    const keys = Object.keys(m).filter((k) => m[k] !== undefined && m[k] !== null && k !== 'name');
    return keys.length === 0 || (keys.length === 1 && keys[0] === 'uri' && m.uri?.prefix === '/');
  });
}

/** `host` as the fully qualified name Istio resolves it to from `namespace` (short names are Services of that namespace). */
function qualifiedHost(host: string, namespace: string): string {
  return host.includes('.') || host.includes('*') ? host : `${host}.${namespace}.svc.cluster.local`;
}

interface Claim {
  readonly object: ManifestObject;
  readonly hostIndex: number;
}

/**
 * VirtualServices of one host on one gateway (or the mesh), from different objects, each with a
 * catch-all route: Istio merges them in no defined order, so one catch-all shadows the other
 * object's routes — typically two services claiming one public host. Reported on every object
 * after the first, naming the other one. Objects from different files or apps are compared too
 * (the constructs refuse this within one app).
 */
export class VirtualServiceHostConflictCheck implements PortableCheck {
  public readonly name = 'istio/host-conflict';
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'VirtualServiceHostConflictCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    const claims = new Map<string, Claim>();
    // One finding per host of an object, listing every gateway (and the mesh) where it conflicts.
    const conflicts = new Map<string, { object: ManifestObject; host: string; hostIndex: number; other: ManifestObject; places: string[] }>();
    for (const o of objects) {
      const m = o.manifest;
      if (m?.kind !== 'VirtualService' || typeof m.apiVersion !== 'string' || !m.apiVersion.startsWith('networking.istio.io/')) continue;
      const spec = m.spec;
      if (!Array.isArray(spec?.http) || !spec.http.some(isCatchAll) || !Array.isArray(spec.hosts)) continue;
      const namespace = m.metadata?.namespace ?? 'default';
      const gateways: unknown[] = Array.isArray(spec.gateways) && spec.gateways.length > 0 ? spec.gateways : ['mesh'];
      spec.hosts.forEach((host: unknown, hostIndex: number) => {
        if (typeof host !== 'string') return;
        for (const g of gateways) {
          if (typeof g !== 'string') continue;
          const gateway = g === 'mesh' || g.includes('/') ? g : `${namespace}/${g}`;
          const key = `${gateway}|${qualifiedHost(host, namespace)}`;
          const first = claims.get(key);
          if (!first) {
            claims.set(key, { object: o, hostIndex });
          } else if (first.object !== o) {
            const conflictKey = `${objectRef(m)}|${o.file}|${hostIndex}`;
            const conflict = conflicts.get(conflictKey) ?? { object: o, host, hostIndex, other: first.object, places: [] };
            conflict.places.push(gateway === 'mesh' ? 'in the mesh' : `on gateway ${gateway}`);
            conflicts.set(conflictKey, conflict);
          }
        }
      });
    }
    return [...conflicts.values()].map((c) => ({
      file: c.object.file, object: objectRef(c.object.manifest), path: `spec.hosts[${c.hostIndex}]`, severity: 'error', check: this.name,
      message: `${objectRef(c.other.manifest)} (${c.other.file}) also routes host "${c.host}" ${c.places.join(' and ')} with a catch-all route: `
        + 'Istio merges the two in no defined order, so one catch-all shadows the other\'s routes; route the host from one VirtualService (by path)',
    }));
  }
}
