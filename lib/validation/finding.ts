/** One problem found in a rendered manifest. */
export interface Finding {
  /** File the object is written to (relative to the output directory). */
  readonly file: string;
  /** `Kind/namespace/name` of the object. */
  readonly object: string;
  /** JSON path of the field inside the object, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string;
  /** What is wrong and, where possible, what is allowed. */
  readonly message: string;
  /**
   * Errors fail synthesis and `npm run validate`; warnings are printed; `exempted` findings were
   * errors or warnings that the object is exempted from (see {@link exemption}).
   */
  readonly severity: 'error' | 'warning' | 'exempted';
  /** Which check found it, e.g. `schema`, `cel`, `policy/no-plaintext-secret`. */
  readonly check: string;
  /**
   * For an `exempted` finding: the reason recorded in the object's
   * `ignore-check.cdk8s-microservices.io/<check>` annotation and the severity it had. @default none
   */
  readonly exemption?: { readonly reason: string; readonly severity: 'error' | 'warning' };
}

/** A rendered object as checks see it. */
export interface ManifestObject {
  /** File it is written to, relative to the output directory (`prod/50-user-service.yaml`). */
  readonly file: string;
  /** The manifest. */
  readonly manifest: any;
}

/** A check over the whole set of objects (so cross-object rules can be written too). */
export interface ManifestCheck {
  /** Short name, reported with each finding. */
  readonly name: string;
  /** Returns the findings for `objects`. */
  check(objects: readonly ManifestObject[]): Finding[];
}

/**
 * How to build a check on another thread: the module's file, the name of the class it exports
 * and the JSON-serializable arguments of its constructor.
 */
export interface ThreadFactory {
  /** Absolute path of the module. */
  readonly module: string;
  /** Exported class, constructed with `new`. */
  readonly exportName: string;
  /** Its constructor's arguments. */
  readonly args: readonly unknown[];
}

/**
 * A check that can be rebuilt on another thread, so that synthesis runs it on its output thread
 * while the main thread goes on rendering. Findings are the same wherever it runs.
 */
export interface PortableCheck extends ManifestCheck {
  /** Builds the same check on another thread. */
  readonly threadFactory: ThreadFactory;
  /**
   * Each object's findings depend on that object alone, so objects can be checked file by file as
   * they are rendered rather than all at the end. @default false
   */
  readonly perObject?: boolean;
  /** Called on a worker thread when its work is done (worker threads are terminated, not exited): persist caches here. */
  close?(): void;
  /**
   * For a {@link perObject} check whose verdict on an object depends on more than the object, the
   * library's code and its {@link threadFactory} arguments (e.g. the content of schema files):
   * a key identifying that input. Objects found clean are remembered under it between runs.
   * @default none (nothing else)
   */
  readonly verdictKey?: string;
}

/** True when `check` can run on another thread. */
export function isPortableCheck(check: ManifestCheck): check is PortableCheck {
  return (check as Partial<PortableCheck>).threadFactory !== undefined;
}

/** `Kind/namespace/name` (or `Kind/name` for cluster-scoped objects). */
export function objectRef(manifest: any): string {
  const ns = manifest?.metadata?.namespace;
  return `${manifest?.kind ?? '?'}/${ns ? `${ns}/` : ''}${manifest?.metadata?.name ?? '?'}`;
}

/** Converts a JSON pointer (`/spec/ports/0/port`) to a readable path (`spec.ports[0].port`). */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '(root)';
  return pointer.split('/').slice(1).map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** Reports one finding of an object: the field's path and what is wrong. */
export type EmitFinding = (path: string, message: string) => void;

/** Runs `visit` on every object, collecting what it emits as error findings of check `name`. */
export function findingsPerObject(name: string, objects: readonly ManifestObject[], visit: (manifest: any, emit: EmitFinding) => void): Finding[] {
  const findings: Finding[] = [];
  for (const { file, manifest } of objects) {
    visit(manifest, (path, message) => findings.push({ file, object: objectRef(manifest), path, message, severity: 'error', check: name }));
  }
  return findings;
}
