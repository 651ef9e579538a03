import { Toleration } from '../../imports/k8s';
import { PodOptions, VolumeMountOptions } from './pod-template';
import { Probe } from './probe';

/** CPU and memory for the application container (Kubernetes quantities). */
export interface ResourceOptions {
  /** @default "100m" */
  readonly cpuRequest?: string;
  /** @default "128Mi" */
  readonly memoryRequest?: string;
  /** A CPU limit; `null` sets none (no throttling, the request still reserves capacity). @default "1" */
  readonly cpuLimit?: string | null;
  /** @default "512Mi" */
  readonly memoryLimit?: string;
}

/** A named port of a service besides `http`. */
export interface AdditionalPortOptions {
  /** Port name (IANA service name, at most 15 characters), e.g. "grpc". */
  readonly name: string;
  /** The container port. */
  readonly port: number;
  /** The Service's port. @default the container port */
  readonly servicePort?: number;
  /** `grpc`, `http`, `http2`, `tcp`, `tls`, or a prefixed name such as `kubernetes.io/h2c`. @default the port's name when it is one of those, else "tcp" */
  readonly appProtocol?: string;
}

/** Pod placement. */
export type AntiAffinity = 'soft' | 'hard' | 'none';

/**
 * Options of the pods of one service: container, health checks, security and scheduling.
 * Shared by every track (stable, canary) of the service.
 */
export interface WorkloadOptions {
  /**
   * The image, `registry/repository:tag`, optionally with `@sha256:<digest>` to pin it
   * immutably. `latest` or no tag is refused unless `allowUnpinnedImage` is set.
   */
  readonly image: string;
  /** Accept a `latest` or tag-less image (a mutable reference: what runs can change under you). @default false */
  readonly allowUnpinnedImage?: boolean;
  /** @default "IfNotPresent" */
  readonly imagePullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
  /** Names of docker-registry Secrets for private registries. @default none */
  readonly imagePullSecrets?: string[];
  /** The port the application listens on; named `http` in the pod. @default 8080 */
  readonly port?: number;
  /** Overrides the image's ENTRYPOINT. @default the image's */
  readonly command?: string[];
  /** Overrides the image's CMD. @default the image's */
  readonly args?: string[];
  /** Requests and limits. @default requests 100m CPU / 128Mi, limits 1 CPU / 512Mi */
  readonly resources?: ResourceOptions;
  /** Restarts the container when it fails. @default HTTP GET /health */
  readonly livenessProbe?: Probe;
  /** Takes the pod out of the Service while it fails. @default HTTP GET /ready */
  readonly readinessProbe?: Probe;
  /**
   * Holds off liveness and readiness until the app has started; `false` for none.
   * @default the liveness check every 5 s, up to 30 failures (150 s to start)
   */
  readonly startupProbe?: Probe | false;
  /** Plain (non-secret) environment variables. Secret values go through `secrets`. @default none */
  readonly env?: Record<string, string>;
  /** Value of the `LOG_LEVEL` environment variable. @default "info" */
  readonly logLevel?: string;
  /** UID (and GID) the container runs as; must not be 0. @default 1000 */
  readonly runAsUser?: number;
  /** Directories that get a writable emptyDir while the root file system stays read-only. @default ["/tmp"] */
  readonly writablePaths?: string[];
  /** Seconds Kubernetes waits between SIGTERM and SIGKILL. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Seconds the pod keeps serving after it is taken out of the endpoints, before SIGTERM, so
   * in-flight requests and lagging load balancers drain; 0 for none.
   * @default 5
   */
  readonly preStopSleepSeconds?: number;
  /**
   * Spreads replicas over nodes: `soft` prefers different nodes, `hard` requires them
   * (replicas beyond the node count stay Pending).
   * @default "soft"
   */
  readonly antiAffinity?: AntiAffinity;
  /** Nodes the pods may run on, by label. @default any node */
  readonly nodeSelector?: Record<string, string>;
  /** Taints the pods tolerate. @default none */
  readonly tolerations?: Toleration[];
  /** `Recreate` stops all old pods before starting new ones (for apps that cannot run two versions). @default "RollingUpdate" */
  readonly deploymentStrategy?: 'RollingUpdate' | 'Recreate';
  /** Prometheus scraping of the app's own metrics; `false` for none. @default path "/metrics" on the app port */
  readonly metrics?: { readonly path?: string; readonly port?: number } | false;
  /** Extra pod annotations. @default none */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Init steps, sidecars, extra containers, volumes (Secret and ConfigMap files, emptyDir, PVCs,
   * downward API) and scheduling (topology spreading, node and pod affinity, priority) of the pods;
   * every container is hardened like the application's.
   * @default none
   */
  readonly pod?: PodOptions;
  /**
   * Ports besides `http` (gRPC, a second API): each a container port, a port of the Service with
   * its `appProtocol` (Istio picks the protocol by it), and admitted for callers by the NetworkPolicies.
   * @default none
   */
  readonly additionalPorts?: AdditionalPortOptions[];
  /** Volumes of `pod.volumes` mounted into the application container (a Secret's keys as files). @default none */
  readonly volumeMounts?: VolumeMountOptions[];
}
