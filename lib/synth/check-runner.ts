import { Finding, ManifestCheck, ManifestObject, objectRef, PortableCheck } from '../validation/finding';
import { DigestSetFile } from '../core/digest-set-file';
import { openCleanObjectCache } from './clean-object-cache';
import { DirectoryFindingsCache } from './directory-findings-cache';
import { SerializedManifests } from './serialized-manifests';

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
  private readonly clean?: DigestSetFile;
  private readonly directories?: DirectoryFindingsCache;

  /**
   * @param checks the checks
   * @param cacheDir where objects found clean by the per-object checks, and the findings over
   *   whole directories, are remembered between runs (see {@link openCleanObjectCache} and
   *   {@link DirectoryFindingsCache}); `null` for nowhere. @default nowhere
   * @param output the output the directories are written to (`dist`): the findings over whole
   *   directories are remembered per output. @default none (one entry per directory name)
   */
  constructor(private readonly checks: readonly ManifestCheck[], cacheDir: string | null = null, output?: string) {
    this.perObject = checks.map((c) => (c as Partial<PortableCheck>).perObject === true);
    this.keepObjects = this.perObject.some((p) => !p);
    this.clean = openCleanObjectCache(cacheDir, checks.filter((_c, i) => this.perObject[i]) as PortableCheck[]);
    this.directories = DirectoryFindingsCache.open(cacheDir, checks.filter((_c, i) => !this.perObject[i]) as PortableCheck[], output);
  }

  /**
   * Checks one file of output directory `dir` (its objects, or their JSON).
   * @param json the objects as {@link SerializedManifests.encode} gives them, when the caller has
   *   them so (read here, not kept): what the findings over the whole directory are cached by.
   *   @default encoded here when needed
   */
  public add(dir: string, rel: string, manifests: readonly unknown[] | SerializedManifests, json?: ArrayBuffer): void {
    if (this.checks.length === 0) return;
    const target = this.target(dir);
    const file = manifests instanceof SerializedManifests ? manifests : SerializedManifests.fromObjects(manifests);
    this.directories?.addFile(dir, rel, json ?? SerializedManifests.encode(file.all()));
    // Objects found clean by these checks before need no per-object check again (nor parsing).
    const unknown: ManifestObject[] = [];
    const unknownDigests: Array<string | undefined> = [];
    for (let i = 0; i < file.length; i++) {
      const digest = this.clean ? file.digest(i) : undefined;
      if (digest !== undefined && this.clean!.has(digest)) continue;
      unknown.push({ file: rel, manifest: file.manifest(i) });
      unknownDigests.push(digest);
    }
    const flagged = new Set<string>();
    if (unknown.length > 0) {
      this.checks.forEach((check, i) => {
        if (!this.perObject[i]) return;
        const found = check.check(unknown);
        for (const f of found) flagged.add(f.object);
        target.findings[i].push(...found);
      });
    }
    if (this.clean) {
      unknown.forEach((o, i) => {
        if (unknownDigests[i] !== undefined && !flagged.has(objectRef(o.manifest))) this.clean!.add(unknownDigests[i]!);
      });
    }
    if (this.keepObjects) target.objects.push(...file.all().map((manifest) => ({ file: rel, manifest })));
  }

  /** Reads what the runner's cache remembers now rather than at the first file. */
  public warm(): void {
    this.clean?.warm();
  }

  /** Runs the checks over whole directories (each of `dirs`, with files or not); per directory, each check's findings. */
  public finish(dirs: readonly string[]): Map<string, Finding[][]> {
    const result = new Map<string, Finding[][]>();
    for (const dir of dirs) {
      const target = this.target(dir);
      // Findings on exactly this content before are those the checks would find again.
      const known = this.directories?.get(dir);
      const found: Finding[][] = [];
      this.checks.forEach((check, i) => {
        if (this.perObject[i]) return;
        target.findings[i] = known ? known[found.length] : check.check(target.objects);
        found.push(target.findings[i]);
      });
      if (!known) this.directories?.set(dir, found);
      result.set(dir, target.findings);
    }
    return result;
  }

  /** Lets the checks persist what they learnt (caches). */
  public close(): void {
    this.clean?.persist();
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
