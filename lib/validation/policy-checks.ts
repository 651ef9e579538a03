import { parseImage, isPinnedImage } from '../core/image';
import { isSecretLikeName } from '../secrets/plaintext-guard';
import { Finding, findingsPerObject, ManifestObject, PortableCheck, ThreadFactory } from './finding';
import { containersOf, podTemplateOf } from './pod-templates';


const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'name']);

/** Every pod template meets the Pod Security Standard "restricted" (what PSA enforce=restricted admits). */
export class PodSecurityRestrictedCheck implements PortableCheck {
  public readonly name = 'policy/pod-security-restricted';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'PodSecurityRestrictedCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    return findingsPerObject(this.name, objects, (m, emit) => {
      const pod = podTemplateOf(m);
      if (!pod) return;
      const podSc = pod.spec.securityContext ?? {};
      for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
        if (pod.spec[host]) emit(`${pod.path}.${host}`, `${host} is not allowed by the restricted profile`);
      }
      (pod.spec.volumes ?? []).forEach((vol: any, i: number) => {
        const type = Object.keys(vol).find((k) => k !== 'name');
        if (type && !RESTRICTED_VOLUME_TYPES.has(type)) emit(`${pod.path}.volumes[${i}].${type}`, `volume type ${type} is not allowed by the restricted profile`);
      });
      if (podSc.runAsUser === 0) emit(`${pod.path}.securityContext.runAsUser`, 'must not run as UID 0');
      for (const { container: c, path } of containersOf(pod)) {
        const sc = c.securityContext ?? {};
        if (sc.privileged) emit(`${path}.securityContext.privileged`, 'privileged containers are not allowed');
        if (sc.allowPrivilegeEscalation !== false) emit(`${path}.securityContext.allowPrivilegeEscalation`, 'must be false');
        if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) emit(`${path}.securityContext.runAsNonRoot`, 'must be true (here or in the pod securityContext)');
        if (sc.runAsUser === 0) emit(`${path}.securityContext.runAsUser`, 'must not run as UID 0');
        if (!(sc.capabilities?.drop ?? []).includes('ALL')) emit(`${path}.securityContext.capabilities.drop`, 'must include "ALL"');
        const added = (sc.capabilities?.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
        if (added.length > 0) emit(`${path}.securityContext.capabilities.add`, `only NET_BIND_SERVICE may be added, not ${added.join(', ')}`);
        const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
        if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') emit(`${path}.securityContext.seccompProfile.type`, 'must be RuntimeDefault or Localhost (here or in the pod securityContext)');
        (c.ports ?? []).forEach((p: any, i: number) => {
          if (p.hostPort) emit(`${path}.ports[${i}].hostPort`, 'host ports are not allowed');
        });
      }
    });
  }
}

/**
 * Containers request CPU and memory and limit memory; the containers of pods that keep running
 * (Deployments, StatefulSets, DaemonSets, ReplicaSets) have readiness and liveness probes. Pods that
 * run to completion (Jobs, CronJobs) need no probes, nor do init containers and native sidecars.
 */
export class ResourcesAndProbesCheck implements PortableCheck {
  public readonly name = 'policy/resources-and-probes';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'ResourcesAndProbesCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    return findingsPerObject(this.name, objects, (m, emit) => {
      const pod = podTemplateOf(m);
      if (!pod) return;
      for (const { container: c, path, init } of containersOf(pod)) {
        if (!c.resources?.requests?.cpu) emit(`${path}.resources.requests.cpu`, 'a CPU request is required');
        if (!c.resources?.requests?.memory) emit(`${path}.resources.requests.memory`, 'a memory request is required');
        if (!c.resources?.limits?.memory) emit(`${path}.resources.limits.memory`, 'a memory limit is required');
        if (init || pod.runsToCompletion) continue;
        const kind = m.kind === 'Pod' ? 'a Pod with restartPolicy Always' : `a ${m.kind}`;
        if (!c.readinessProbe) emit(`${path}.readinessProbe`, `a readiness probe is required on every container of ${kind} (it keeps running; traffic and rollouts wait on it)`);
        if (!c.livenessProbe) emit(`${path}.livenessProbe`, `a liveness probe is required on every container of ${kind} (it keeps running; a hung process must be restarted)`);
      }
    });
  }
}

/** Images are pinned: a tag other than `latest`, or a digest. */
export class PinnedImageCheck implements PortableCheck {
  public readonly name = 'policy/pinned-images';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'PinnedImageCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    return findingsPerObject(this.name, objects, (m, emit) => {
      const pod = podTemplateOf(m);
      if (!pod) return;
      for (const { container: c, path } of containersOf(pod)) {
        const ref = typeof c.image === 'string' ? parseImage(c.image) : undefined;
        if (!ref) emit(`${path}.image`, `not a valid image reference: ${JSON.stringify(c.image)}`);
        else if (!isPinnedImage(ref)) emit(`${path}.image`, `image ${c.image} is not pinned: use a tag other than "latest" or a digest`);
      }
    });
  }
}

/** No credential in KEDA trigger metadata: credentials belong in a TriggerAuthentication. */
export class KedaCredentialCheck implements PortableCheck {
  public readonly name = 'policy/keda-credentials';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'KedaCredentialCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    return findingsPerObject(this.name, objects, (m, emit) => {
      if (m.kind !== 'ScaledObject' && m.kind !== 'ScaledJob') return;
      (m.spec?.triggers ?? []).forEach((t: any, i: number) => {
        for (const key of Object.keys(t.metadata ?? {})) {
          if (isSecretLikeName(key) && !/FromEnv$/.test(key)) {
            emit(`spec.triggers[${i}].metadata.${key}`, 'credentials must not be in trigger metadata; reference a Secret through a TriggerAuthentication (authenticationRef)');
          }
        }
      });
    });
  }
}

/** The field each HPA target type requires (the API server refuses a target without it). */
const TARGET_FIELD: Record<string, string> = { Utilization: 'averageUtilization', AverageValue: 'averageValue', Value: 'value' };

/** HPA metric targets carry the value their type names; ScaledObject trigger metadata are strings. */
export class AutoscalerSpecCheck implements PortableCheck {
  public readonly name = 'policy/autoscaler-spec';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'AutoscalerSpecCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    return findingsPerObject(this.name, objects, (m, emit) => {
      if (m.kind === 'HorizontalPodAutoscaler' && m.apiVersion === 'autoscaling/v2') {
        (m.spec?.metrics ?? []).forEach((metric: any, i: number) => {
          const source = metric[String(metric.type ?? '').replace(/^./, (c: string) => c.toLowerCase())];
          const target = source?.target;
          const field = target && TARGET_FIELD[target.type];
          if (!target || !field) emit(`spec.metrics[${i}]`, `a ${metric.type} metric needs a target of type ${Object.keys(TARGET_FIELD).join(', ')}`);
          else if (target[field] === undefined) emit(`spec.metrics[${i}].${String(metric.type).toLowerCase()}.target.${field}`, `a ${target.type} target needs ${field}`);
        });
      }
      if (m.kind === 'ScaledObject') {
        (m.spec?.triggers ?? []).forEach((t: any, i: number) => {
          for (const [k, val] of Object.entries(t.metadata ?? {})) {
            if (typeof val !== 'string') emit(`spec.triggers[${i}].metadata.${k}`, `trigger metadata values must be strings, got ${JSON.stringify(val)}`);
          }
        });
      }
    });
  }
}
