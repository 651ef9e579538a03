import { ManifestObject } from '../validation/finding';

/** One rendered object on one side of a diff. */
export interface DiffObject {
  /** `Kind/namespace/name` (`-` for cluster-scoped objects), as validation findings name objects. */
  readonly id: string;
  readonly kind: string;
  /** API group (`""` for core), so two kinds of one name in different groups are not confused. */
  readonly group: string;
  readonly namespace?: string;
  readonly name: string;
  /** File it is written to, relative to the output directory. */
  readonly file: string;
  readonly manifest: any;
}

/** A field that differs between the two sides; `before`/`after` are absent when the field is. */
export interface FieldChange {
  /** Readable path, e.g. `spec.template.spec.containers[name=app].image`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** How a changed workload rolls out. */
export type Rollout = 'restarts-pods' | 'no-restart';

/** An object that exists on both sides with different content. */
export interface ChangedObject {
  readonly object: DiffObject;
  readonly before: DiffObject;
  readonly fields: FieldChange[];
  /** For workloads: whether the change replaces every pod (a pod template change). */
  readonly rollout?: Rollout;
}

/** Kinds of risk, printed first. */
export type RiskCategory =
  /** The API server refuses the update (immutable field). */
  | 'immutable'
  /** Deleting the object loses data. */
  | 'data-loss'
  /** Every pod of a workload is replaced. */
  | 'restart'
  /** Traffic split between canary subsets changes. */
  | 'traffic'
  /** Someone or something is allowed more than before. */
  | 'security';

/** A change a reviewer must look at before it syncs. */
export interface Risk {
  readonly category: RiskCategory;
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** Field path, `-` for the whole object. */
  readonly path: string;
  /** What changes and what happens. */
  readonly message: string;
  /** What to do about it, when there is something to do. */
  readonly action?: string;
}

/** Differences of one environment (a subdirectory of dist/). */
export interface EnvironmentDiff {
  readonly environment: string;
  readonly added: DiffObject[];
  readonly removed: DiffObject[];
  readonly changed: ChangedObject[];
  readonly risks: Risk[];
}

/** Differences between two dist/ trees. */
export interface DistDiff {
  readonly environments: EnvironmentDiff[];
  /** True when nothing differs. */
  readonly equal: boolean;
}

/** Objects of each environment: environment name → its objects. */
export type DistTree = Map<string, ManifestObject[]>;
