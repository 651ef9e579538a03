/** A pod template found in a workload object, with the JSON path it lives at. */
export interface PodTemplateRef {
  /** The pod spec. */
  readonly spec: any;
  /** The template's labels. */
  readonly labels: Record<string, string>;
  /** Readable path of the pod spec, e.g. `spec.template.spec`. */
  readonly path: string;
  /**
   * The pods run to completion (a Job's, a CronJob's, a Pod with restartPolicy other than Always):
   * they serve nothing, so readiness and liveness probes do not apply.
   */
  readonly runsToCompletion: boolean;
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * Pod templates found, per manifest: several checks ask for the same objects' templates (at 13,000
 * objects each asking anew was a noticeable part of the whole-directory checks). Checks never
 * change the objects they are given.
 */
const TEMPLATES = new WeakMap<object, PodTemplateRef | null>();

/** The pod template of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod). */
export function podTemplateOf(manifest: any): PodTemplateRef | undefined {
  if (manifest === null || typeof manifest !== 'object') return templateOf(manifest);
  let template = TEMPLATES.get(manifest);
  if (template === undefined) {
    template = templateOf(manifest) ?? null;
    TEMPLATES.set(manifest, template);
  }
  return template ?? undefined;
}

function templateOf(manifest: any): PodTemplateRef | undefined {
  if (TEMPLATE_KINDS.has(manifest?.kind) && manifest.spec?.template) {
    return { spec: manifest.spec.template.spec ?? {}, labels: manifest.spec.template.metadata?.labels ?? {}, path: 'spec.template.spec', runsToCompletion: manifest.kind === 'Job' };
  }
  if (manifest?.kind === 'CronJob' && manifest.spec?.jobTemplate?.spec?.template) {
    const t = manifest.spec.jobTemplate.spec.template;
    return { spec: t.spec ?? {}, labels: t.metadata?.labels ?? {}, path: 'spec.jobTemplate.spec.template.spec', runsToCompletion: true };
  }
  if (manifest?.kind === 'Pod') {
    const spec = manifest.spec ?? {};
    return { spec, labels: manifest.metadata?.labels ?? {}, path: 'spec', runsToCompletion: (spec.restartPolicy ?? 'Always') !== 'Always' };
  }
  return undefined;
}

/** Containers and init containers (native sidecars included) with their paths. */
export function containersOf(pod: PodTemplateRef): Array<{ container: any; path: string; init: boolean }> {
  return [
    ...(pod.spec.initContainers ?? []).map((c: any, i: number) => ({ container: c, path: `${pod.path}.initContainers[${i}]`, init: true })),
    ...(pod.spec.containers ?? []).map((c: any, i: number) => ({ container: c, path: `${pod.path}.containers[${i}]`, init: false })),
  ];
}

/** True when every key/value of `selector` is among `labels`. */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  for (const k of keys) {
    if (labels[k] !== selector[k]) return false;
  }
  return true;
}
