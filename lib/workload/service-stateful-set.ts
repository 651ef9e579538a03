import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IntOrString, KubeService, toJson_PersistentVolumeClaimSpec, toJson_PodTemplateSpec } from '../../imports/k8s';
import { DisruptionBudgetOptions, ServiceDisruptionBudget } from '../availability/service-disruption-budget';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { podWorkloadNetworkPolicy, PodWorkloadProps, renderPodWorkload } from './pod-workload';
import { claimSpec, ClaimOptions } from './volumes';

/** A persistent volume per pod, created from a template and kept across restarts and rescheduling. */
export interface VolumeClaimTemplateOptions extends ClaimOptions {
  /** Name of the claim template; containers mount it by this name (`volumeMounts[].volume`). Each pod's claim is `<name>-<statefulset>-<ordinal>`. */
  readonly name: string;
}

/** Props of {@link ServiceStatefulSet}. */
export interface ServiceStatefulSetProps extends PodWorkloadProps {
  /** Pods; each keeps its name (`<name>-0`, `<name>-1` …), its DNS name and its volumes. @default 1 */
  readonly replicas?: number;
  /** A persistent volume per pod. @default none */
  readonly volumeClaimTemplates?: VolumeClaimTemplateOptions[];
  /** `OrderedReady` starts pods one by one (for primaries before replicas), `Parallel` all at once. @default "OrderedReady" */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /**
   * `RollingUpdate` replaces pods from the highest ordinal down, only those at or above `partition`
   * (a canary of the last pods); `OnDelete` waits for pods to be deleted by hand.
   * @default RollingUpdate, partition 0
   */
  readonly updateStrategy?: { readonly type?: 'RollingUpdate' | 'OnDelete'; readonly partition?: number };
  /** What happens to the claims when the StatefulSet is deleted or scaled down. @default Retain both (the data outlives the pods) */
  readonly persistentVolumeClaimRetentionPolicy?: { readonly whenDeleted?: 'Retain' | 'Delete'; readonly whenScaled?: 'Retain' | 'Delete' };
  /** PodDisruptionBudget; `false` for none. @default maxUnavailable 1 when more than one replica */
  readonly disruptionBudget?: DisruptionBudgetOptions | false;
}

/**
 * A StatefulSet with the pods of the library's builder (hardened, probed), its headless governing
 * Service (`<name>`: each pod is `<name>-<ordinal>.<name>.<namespace>.svc`, ready or not, so peers
 * find each other while starting), a claim per pod and template, its ServiceAccount, a
 * NetworkPolicy admitting the declared sources and the pods' peers, and a PodDisruptionBudget.
 *
 * `volumeClaimTemplates`, `serviceName`, `podManagementPolicy` and the selector cannot change on an
 * existing StatefulSet (the API server refuses the update; `npm run diff` flags it REFUSED): to change
 * them, delete the StatefulSet with `kubectl delete statefulset <name> --cascade=orphan` (pods and
 * claims stay) and apply the new one, which adopts the pods.
 */
export class ServiceStatefulSet extends Construct {
  /** The StatefulSet's (and headless Service's) name. */
  public readonly name: string;
  /** The rendered StatefulSet. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceStatefulSetProps) {
    super(scope, id);
    v.props(this, props, 'ServiceStatefulSetProps');
    const claims = v.optionalList(this, 'volumeClaimTemplates', props.volumeClaimTemplates).map((raw, i) => {
      const c = v.object(this, `volumeClaimTemplates[${i}]`, raw, 'an object { name, size, storageClassName?, accessModes? }');
      return { name: v.dnsLabel(this, `volumeClaimTemplates[${i}].name`, c.name), spec: claimSpec(this, `volumeClaimTemplates[${i}]`, c) };
    });
    v.unique(this, 'volumeClaimTemplates names', claims.map((c) => c.name));
    if (!Array.isArray(props.ports) || props.ports.length === 0) fail(this, 'ports', props.ports, 'at least one named port: the headless Service and peers reach the pods on it');
    const w = renderPodWorkload(this, 'StatefulSet', props, claims.map((c) => c.name));
    this.name = w.name;
    const replicas = v.integer(this, 'replicas', props.replicas ?? 1, 0, 1000);
    const strategy = v.optionalObject(this, 'updateStrategy', props.updateStrategy, 'an object { type?, partition? }') ?? {};
    const type = v.oneOf(this, 'updateStrategy.type', strategy.type ?? 'RollingUpdate', ['RollingUpdate', 'OnDelete'] as const);
    if (type === 'OnDelete' && v.isSet(strategy.partition)) fail(this, 'updateStrategy.partition', strategy.partition, 'a partition only with type RollingUpdate');
    const partition = v.isSet(strategy.partition) ? v.integer(this, 'updateStrategy.partition', strategy.partition, 0, Math.max(replicas, 0)) : undefined;
    const retention = v.optionalObject(this, 'persistentVolumeClaimRetentionPolicy', props.persistentVolumeClaimRetentionPolicy, 'an object { whenDeleted?, whenScaled? }') ?? {};

    new KubeService(this, 'HeadlessService', {
      metadata: { name: w.name, labels: w.labels },
      spec: {
        clusterIp: 'None',
        // Peers resolve each other while starting (before readiness), as clustered databases need.
        publishNotReadyAddresses: true,
        selector: w.selector,
        ports: w.ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: IntOrString.fromString(p.name!), protocol: p.protocol ?? 'TCP' })),
      },
    });

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: w.name, labels: w.labels },
      spec: {
        replicas,
        serviceName: w.name,
        selector: { matchLabels: w.selector },
        podManagementPolicy: v.oneOf(this, 'podManagementPolicy', props.podManagementPolicy ?? 'OrderedReady', ['OrderedReady', 'Parallel'] as const),
        updateStrategy: type === 'OnDelete' ? { type } : { type, rollingUpdate: partition !== undefined ? { partition } : undefined },
        persistentVolumeClaimRetentionPolicy: {
          whenDeleted: v.oneOf(this, 'persistentVolumeClaimRetentionPolicy.whenDeleted', retention.whenDeleted ?? 'Retain', ['Retain', 'Delete'] as const),
          whenScaled: v.oneOf(this, 'persistentVolumeClaimRetentionPolicy.whenScaled', retention.whenScaled ?? 'Retain', ['Retain', 'Delete'] as const),
        },
        revisionHistoryLimit: 10,
        template: toJson_PodTemplateSpec(w.template),
        volumeClaimTemplates: claims.length > 0 ? claims.map((c) => ({ metadata: { name: c.name, labels: w.labels }, spec: toJson_PersistentVolumeClaimSpec(c.spec) })) : undefined,
      },
    });

    podWorkloadNetworkPolicy(this, w, props, true);
    const budget = props.disruptionBudget === false ? false
      : v.optionalObject(this, 'disruptionBudget', props.disruptionBudget, 'false, or an object of DisruptionBudgetOptions');
    if (budget !== false && replicas > 1) {
      new ServiceDisruptionBudget(this, 'DisruptionBudget', { ...budget, name: w.name, selector: w.selector, maxReplicas: replicas, labels: w.labels });
    }
  }
}
