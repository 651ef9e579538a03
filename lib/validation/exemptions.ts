import { Finding, ManifestObject, objectRef } from './finding';

/**
 * Annotation prefix that exempts an object from one check: `ignore-check.cdk8s-microservices.io/<check>`
 * with the reason as its value, where `<check>` is the check's name as printed in brackets with
 * every `/` replaced by `-` (e.g. `…/policy-pinned-images: "digest pinned by the vendor chart"`).
 */
export const EXEMPTION_PREFIX = 'ignore-check.cdk8s-microservices.io/';

/** Project-wide severity of a check's findings: `off` drops them. */
export type CheckSeverity = 'error' | 'warning' | 'off';

/** How findings are judged beyond what the checks report. */
export interface FindingPolicyOptions {
  /** Severity per check name (as printed in brackets), overriding the check's own. @default none */
  readonly severities?: Readonly<Record<string, CheckSeverity>>;
}

/** The annotation key that exempts an object from `check`. */
export function exemptionAnnotation(check: string): string {
  return `${EXEMPTION_PREFIX}${check.replace(/\//g, '-')}`;
}

/**
 * Collects the exemption annotations of objects as they are rendered or read, then applies them
 * and the project's severities to findings. Only objects carrying an exemption are remembered.
 */
export class FindingPolicy {
  private readonly exemptions = new Map<string, Map<string, string>>();
  private readonly invalid: Finding[] = [];

  constructor(private readonly options: FindingPolicyOptions = {}) {}

  /** Records the exemptions of one object (`file`: where it is written, relative to the output). */
  public add(file: string, manifest: any): void {
    const annotations = manifest?.metadata?.annotations;
    if (!annotations || typeof annotations !== 'object') return;
    for (const key in annotations) {
      if (!key.startsWith(EXEMPTION_PREFIX)) continue;
      const ref = objectRef(manifest);
      const reason = annotations[key];
      if (typeof reason !== 'string' || reason.trim() === '') {
        this.invalid.push({
          file, object: ref, path: `metadata.annotations["${key}"]`, severity: 'error', check: 'exemption',
          message: 'an exemption needs its reason as the annotation value (why the check does not apply here)',
        });
        continue;
      }
      const id = `${file}\0${ref}`;
      let forObject = this.exemptions.get(id);
      if (!forObject) this.exemptions.set(id, (forObject = new Map()));
      forObject.set(key.slice(EXEMPTION_PREFIX.length), reason);
    }
  }

  /** Records the exemptions of several objects. */
  public addAll(objects: readonly ManifestObject[]): this {
    for (const o of objects) this.add(o.file, o.manifest);
    return this;
  }

  /**
   * `findings` with the project's severities applied (`off` removed) and exempted findings marked
   * `exempted` with their reason, followed by the errors of exemptions without a reason.
   */
  public apply(findings: readonly Finding[]): Finding[] {
    const severities = this.options.severities ?? {};
    const out: Finding[] = [];
    for (const finding of findings) {
      const configured = severities[finding.check];
      if (configured === 'off') continue;
      const judged: Finding = configured && finding.severity !== 'exempted' ? { ...finding, severity: configured } : finding;
      const reason = this.exemptions.size > 0 ? this.exemptions.get(`${finding.file}\0${finding.object}`)?.get(finding.check.replace(/\//g, '-')) : undefined;
      out.push(reason === undefined || judged.severity === 'exempted'
        ? judged
        : { ...judged, severity: 'exempted', exemption: { reason, severity: judged.severity } });
    }
    return [...out, ...this.invalid];
  }
}
