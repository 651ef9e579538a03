import { Finding, ManifestCheck, ManifestObject, PortableCheck } from '../validation/finding';

/**
 * Runs checks over objects as files arrive: checks that judge objects one by one
 * ({@link PortableCheck.perObject}) on each file at once, the others over each output
 * directory's objects at the end. Findings come out as if every check had seen all objects of a
 * directory in one call.
 */
export class CheckRunner {
  private readonly byDir = new Map<string, { readonly objects: ManifestObject[]; readonly findings: Finding[][] }>();
  private readonly perObject: readonly boolean[];
  private readonly keepObjects: boolean;

  constructor(private readonly checks: readonly ManifestCheck[]) {
    this.perObject = checks.map((c) => (c as Partial<PortableCheck>).perObject === true);
    this.keepObjects = this.perObject.some((p) => !p);
  }

  /** Checks one file of output directory `dir`. */
  public add(dir: string, rel: string, manifests: readonly unknown[]): void {
    if (this.checks.length === 0) return;
    const target = this.target(dir);
    const objects = manifests.map((manifest) => ({ file: rel, manifest }));
    this.checks.forEach((check, i) => {
      if (this.perObject[i]) target.findings[i].push(...check.check(objects));
    });
    if (this.keepObjects) target.objects.push(...objects);
  }

  /** Runs the checks over whole directories (each of `dirs`, with files or not); per directory, each check's findings. */
  public finish(dirs: readonly string[]): Map<string, Finding[][]> {
    const result = new Map<string, Finding[][]>();
    for (const dir of dirs) {
      const target = this.target(dir);
      this.checks.forEach((check, i) => {
        if (!this.perObject[i]) target.findings[i] = check.check(target.objects);
      });
      result.set(dir, target.findings);
    }
    return result;
  }

  /** Lets the checks persist what they learnt (caches). */
  public close(): void {
    for (const check of this.checks) (check as Partial<PortableCheck>).close?.();
  }

  private target(dir: string) {
    let target = this.byDir.get(dir);
    if (!target) {
      target = { objects: [], findings: this.checks.map(() => []) };
      this.byDir.set(dir, target);
    }
    return target;
  }
}
