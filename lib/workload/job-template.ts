import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { EnvFromSource, EnvVar, toJson_PodTemplateSpec, Volume, VolumeMount } from '../../imports/k8s';
import { buildPodTemplate, ContainerOptions, PodOptions, renderContainer, WorkloadKind } from './pod-template';

/** The pods of a Job (or of each run of a CronJob) and how the Job retries and ends. */
export interface JobTemplateOptions {
  /** The container that does the work. Its name defaults to the job's. */
  readonly container: Omit<ContainerOptions, 'name'> & { readonly name?: string };
  /** ServiceAccount of the pods (its token is never mounted). */
  readonly serviceAccountName: string;
  /** UID/GID of the pods. @default 1000 */
  readonly runAsUser?: number;
  /** Image pull Secrets. @default none */
  readonly imagePullSecrets?: string[];
  /** Init steps, native sidecars, volumes, scheduling. @default none */
  readonly pod?: PodOptions;
  /** Extra pod labels (e.g. `sidecar.istio.io/inject`). @default none */
  readonly podLabels?: Record<string, string>;
  /** Extra pod annotations (e.g. the mesh's proxy resources). @default none */
  readonly podAnnotations?: Record<string, string>;
  /** `OnFailure` restarts the container in the same pod; `Never` starts a new pod per attempt. @default "OnFailure" */
  readonly restartPolicy?: 'OnFailure' | 'Never';
  /** Retries before the Job is marked failed. @default 3 */
  readonly backoffLimit?: number;
  /** Seconds the Job may run in total before it is stopped. @default no limit */
  readonly activeDeadlineSeconds?: number;
  /** Seconds a finished Job (and its pods, and their logs) is kept. @default 86400 (one day) */
  readonly ttlSecondsAfterFinished?: number;
  /** Pods running at once. @default 1 */
  readonly parallelism?: number;
  /** Successful pods needed. @default 1 */
  readonly completions?: number;
  /** Seconds between SIGTERM and SIGKILL. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
}

/** Names and labels of a Job's pods. */
export interface JobIdentity {
  /** The Job's (or CronJob's) name; also the container's unless given. */
  readonly name: string;
  /** Labels of the pods (never an `app` label a Service selects: the pods would receive traffic). */
  readonly labels: Record<string, string>;
}

/** What a construct adds to a job's container from its own objects (a service's config and secrets). */
export interface JobContainerAdditions {
  /** Variables from Secrets (already validated). @default none */
  readonly env?: EnvVar[];
  /** ConfigMaps as variables. @default none */
  readonly envFrom?: EnvFromSource[];
  /** Volumes and their mounts (config files). @default none */
  readonly volumes?: ReadonlyArray<{ readonly volume: Volume; readonly mount: VolumeMount }>;
}

/** The `spec` of a Job (a CronJob's `jobTemplate.spec`), hardened through {@link buildPodTemplate}. */
export function renderJobSpec(scope: IConstruct, kind: Extract<WorkloadKind, 'Job' | 'CronJob'>, identity: JobIdentity, props: JobTemplateOptions, additions: JobContainerAdditions = {}): Record<string, unknown> {
  const given = v.object(scope, 'container', props.container, 'an object of ContainerOptions ({ image, command?, … })');
  const rendered = renderContainer(scope, 'container', { ...given, name: given.name ?? identity.name }, 'app', kind);
  const container = {
    ...rendered,
    env: [...(rendered.env ?? []), ...(additions.env ?? [])],
    envFrom: [...(additions.envFrom ?? []), ...(rendered.envFrom ?? [])],
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...(rendered.volumeMounts ?? []), ...(additions.volumes ?? []).map((x) => x.mount)],
  };
  const parallelism = v.integer(scope, 'parallelism', props.parallelism ?? 1, 0, 10_000);
  const completions = v.integer(scope, 'completions', props.completions ?? 1, 1, 100_000);
  if (parallelism > completions) fail(scope, 'parallelism', parallelism, `at most completions (${completions}): more pods would never be needed`);
  v.labels(scope, 'podLabels', props.podLabels);
  const template = buildPodTemplate(scope, {
    kind,
    labels: { ...props.podLabels, ...identity.labels },
    annotations: v.stringMap(scope, 'podAnnotations', props.podAnnotations),
    serviceAccountName: v.dnsSubdomain(scope, 'serviceAccountName', props.serviceAccountName),
    runAsUser: v.integer(scope, 'runAsUser', props.runAsUser ?? 1000, 1, 2 ** 31 - 1),
    restartPolicy: v.oneOf(scope, 'restartPolicy', props.restartPolicy ?? 'OnFailure', ['OnFailure', 'Never'] as const),
    terminationGracePeriodSeconds: v.integer(scope, 'terminationGracePeriodSeconds', props.terminationGracePeriodSeconds ?? 30, 1, 3600),
    imagePullSecrets: v.stringList(scope, 'imagePullSecrets', props.imagePullSecrets).map((s, i) => v.dnsSubdomain(scope, `imagePullSecrets[${i}]`, s)),
    containers: [container],
    // A read-only root: the job gets a writable /tmp, as every app container does.
    volumes: [{ name: 'tmp', emptyDir: {} }, ...(additions.volumes ?? []).map((x) => x.volume)],
    pod: props.pod,
    podField: 'pod',
  });
  return {
    parallelism,
    completions,
    backoffLimit: v.integer(scope, 'backoffLimit', props.backoffLimit ?? 3, 0, 10_000),
    activeDeadlineSeconds: v.isSet(props.activeDeadlineSeconds) ? v.integer(scope, 'activeDeadlineSeconds', props.activeDeadlineSeconds, 1, 2 ** 31 - 1) : undefined,
    ttlSecondsAfterFinished: v.integer(scope, 'ttlSecondsAfterFinished', props.ttlSecondsAfterFinished ?? 86_400, 0, 2 ** 31 - 1),
    template: toJson_PodTemplateSpec(template),
  };
}
