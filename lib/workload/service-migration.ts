import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { EnvVar, KubeServiceAccount } from '../../imports/k8s';
import { ServiceConfigMap, ServiceConfigOptions } from '../config/service-config-map';
import * as v from '../core/validators';
import { EgressRule } from '../networking/service-network-policy';
import { SecretSource } from '../secrets/secret-source';
import { ApplyOrder } from '../synth/apply-order';
import { renderJobSpec } from './job-template';
import { jobNetworkPolicy } from './job-network-policy';
import { EnvValueSource, PodOptions } from './pod-template';
import { ResourceOptions } from './workload-options';

/** The Argo CD annotations of hooks and waves. */
export const ArgoCdSync = {
  HOOK: 'argocd.argoproj.io/hook',
  HOOK_DELETE_POLICY: 'argocd.argoproj.io/hook-delete-policy',
  SYNC_WAVE: 'argocd.argoproj.io/sync-wave',
} as const;

/** A database migration run before each rollout of a service. */
export interface MigrationOptions {
  /** The image with the migration tool. @default the service's image: the canary track's when there is one (the version being rolled out) */
  readonly image?: string;
  /** The migration command, e.g. `["/app/migrate", "up"]`. */
  readonly command: string[];
  /** Its arguments. @default none */
  readonly args?: string[];
  /** Plain environment variables besides the service's config and secrets. @default none */
  readonly env?: Record<string, string>;
  /** Further variables from Secrets, ConfigMaps or pod fields. @default none */
  readonly envValueFrom?: Record<string, EnvValueSource>;
  /** @default requests 100m / 128Mi, limits 1 CPU / 512Mi */
  readonly resources?: ResourceOptions;
  /** Retries before the migration, and so the sync, fails. @default 1 */
  readonly backoffLimit?: number;
  /** Seconds the migration may take in total. @default 600 */
  readonly activeDeadlineSeconds?: number;
  /** Seconds a finished migration Job is kept (its logs with it). @default 86400 */
  readonly ttlSecondsAfterFinished?: number;
  /** Init steps, native sidecars, volumes of the migration's pod. @default none */
  readonly pod?: PodOptions;
}

/** Props of {@link ServiceMigration}. */
export interface ServiceMigrationProps extends MigrationOptions {
  /** The service migrated; the Job is `<service>-migration`. */
  readonly serviceName: string;
  /** Namespace of the service. */
  readonly namespace: string;
  /** The image when `image` is not given (the service's). */
  readonly defaultImage: string;
  /** Labels of the service's objects; the Job's pods get `app: <service>-migration`, which no Service selects. */
  readonly labels: Record<string, string>;
  /** The service's configuration: the migration reads the same, from a copy of its own. @default none */
  readonly config?: ServiceConfigOptions;
  /** The service's secrets: the migration reads the same values. @default none */
  readonly secrets?: SecretSource;
  /** The service's secret variables (variable → key of the service's Secret). @default none */
  readonly secretEnv?: EnvVar[];
  /** Destinations the migration reaches (the service's databases). @default none */
  readonly egress?: EgressRule[];
  /** Pod labels and annotations of the mesh. @default none */
  readonly mesh?: { readonly labels: Record<string, string>; readonly annotations: Record<string, string> };
  /** Image pull Secrets. @default none */
  readonly imagePullSecrets?: string[];
  /** Accept an unpinned image. @default false */
  readonly allowUnpinnedImage?: boolean;
  /** @default "IfNotPresent" */
  readonly imagePullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
  /** UID/GID. @default 1000 */
  readonly runAsUser?: number;
}

/**
 * A service's database migration, run before the service's new version rolls out: a Job hardened
 * like the service's pods, with the service's configuration and secret values.
 *
 * For Argo CD every object here is a `PreSync` hook (`hook-delete-policy: BeforeHookCreation`: re-created
 * on each sync), so the migration must finish before anything of the sync is applied, and a failed
 * migration stops the sync. A PreSync hook cannot use objects of the sync itself — on the first sync
 * they do not exist yet, and a changed configuration gets a ConfigMap of a new name — so the migration
 * brings its own: a ServiceAccount `<service>-migration` without token, a copy of the configuration
 * (`<service>-migration-config-<hash>`), a copy of an ExternalSecret (`<service>-migration-secrets`, same
 * store and keys; an existing Secret is referenced as is, a SealedSecret's Secret too, as it is sealed
 * for its own name), and a NetworkPolicy to the service's databases. These are in wave -1, the Job in
 * wave 0: Argo CD waits for them (the ExternalSecret synced) before it starts the Job.
 *
 * For `kubectl apply -f <dir>` the objects are in a file of their own, `40-<service>-migration.yaml`,
 * which sorts before the services' `50-` files (see the README for the order with `kubectl wait`).
 */
export class ServiceMigration extends Chart {
  /** The Job's name. */
  public readonly jobName: string;

  constructor(scope: Construct, props: ServiceMigrationProps) {
    const name = `${props?.serviceName}-migration`;
    super(scope, name, { namespace: props?.namespace, disableResourceNameHashes: true });
    ApplyOrder.set(this, ApplyOrder.MIGRATION);
    v.props(this, props, 'MigrationOptions');
    this.jobName = v.dnsLabel(this, 'migration name', name);
    const labels = { ...props.labels, 'app': this.jobName, 'app.kubernetes.io/component': 'migration' };
    v.nonEmpty(this, 'migration.command', props.command);

    new KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: this.jobName, labels }, automountServiceAccountToken: false });
    const config = props.config && new ServiceConfigMap(this, 'Config', {
      ...props.config,
      mountPath: props.config.mountPath ?? `/etc/${props.serviceName}`,
      previous: undefined,
      retain: undefined,
      serviceName: this.jobName,
      labels,
    });
    const copy = props.secrets?.bindCopy(this, this.jobName, labels);
    const secretEnv = (props.secretEnv ?? []).map((e) => (copy && e.valueFrom?.secretKeyRef
      ? { ...e, valueFrom: { secretKeyRef: { ...e.valueFrom.secretKeyRef, name: copy.secretName } } } : e));

    new ApiObject(this, 'Job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: this.jobName, labels },
      spec: renderJobSpec(this, 'Job', { name: this.jobName, labels }, {
        container: {
          name: 'migration',
          image: props.image ?? props.defaultImage,
          allowUnpinnedImage: props.allowUnpinnedImage,
          imagePullPolicy: props.imagePullPolicy,
          command: props.command,
          args: props.args,
          env: props.env,
          envValueFrom: props.envValueFrom,
          resources: props.resources,
        },
        serviceAccountName: this.jobName,
        runAsUser: props.runAsUser,
        imagePullSecrets: props.imagePullSecrets,
        pod: props.pod,
        podLabels: props.mesh?.labels,
        podAnnotations: props.mesh?.annotations,
        restartPolicy: 'Never',
        backoffLimit: props.backoffLimit ?? 1,
        activeDeadlineSeconds: props.activeDeadlineSeconds ?? 600,
        ttlSecondsAfterFinished: props.ttlSecondsAfterFinished,
      }, { env: secretEnv, envFrom: config?.envFrom(), volumes: config?.volumes() }),
    });

    // The namespace denies everything by default: the migration may reach the service's databases, nothing else.
    jobNetworkPolicy(this, 'NetworkPolicy', this.jobName, labels, props.egress);

    for (const o of this.node.findAll()) {
      if (!(o instanceof ApiObject)) continue;
      o.metadata.addAnnotation(ArgoCdSync.HOOK, 'PreSync');
      o.metadata.addAnnotation(ArgoCdSync.HOOK_DELETE_POLICY, 'BeforeHookCreation');
      o.metadata.addAnnotation(ArgoCdSync.SYNC_WAVE, o.kind === 'Job' ? '0' : '-1');
    }
  }
}
