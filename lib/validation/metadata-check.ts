import { Finding, ManifestObject, objectRef, PortableCheck, ThreadFactory } from './finding';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Kinds whose names must be DNS labels (they become DNS names or path segments). */
const LABEL_NAMED = new Set(['Namespace', 'Service']);

/** True when `key` is a valid label or annotation key: an optional DNS-subdomain prefix and `/`, then a qualified name of at most 63 characters. */
export function isQualifiedKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  return name.length <= 63 && QUALIFIED_NAME.test(name)
    && (parts.length === 1 || (parts[0].length <= 253 && DNS_SUBDOMAIN.test(parts[0])));
}

/** True when `value` is a valid label value: empty, or at most 63 alphanumerics, `-`, `_` or `.` between alphanumerics. */
export function isLabelValue(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

/** Names, namespaces, label keys and values and annotation keys follow the Kubernetes rules. */
export class MetadataCheck implements PortableCheck {
  public readonly name = 'metadata';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'MetadataCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    const findings: Finding[] = [];
    for (const { file, manifest } of objects) {
      const emit = (path: string, message: string) => findings.push({ file, object: objectRef(manifest), path, message, severity: 'error', check: this.name });
      const md = manifest?.metadata ?? {};
      const name = md.name;
      if (typeof name !== 'string' || name.length === 0) emit('metadata.name', 'a name is required');
      else if (LABEL_NAMED.has(manifest.kind) ? !(name.length <= 63 && DNS_LABEL.test(name)) : !(name.length <= 253 && DNS_SUBDOMAIN.test(name))) {
        emit('metadata.name', `${JSON.stringify(name)} is not a valid ${LABEL_NAMED.has(manifest.kind) ? 'DNS label (63 characters)' : 'DNS subdomain'} name`);
      }
      if (md.namespace !== undefined && !(typeof md.namespace === 'string' && md.namespace.length <= 63 && DNS_LABEL.test(md.namespace))) {
        emit('metadata.namespace', `${JSON.stringify(md.namespace)} is not a valid namespace name`);
      }
      for (const [k, v] of Object.entries<any>(md.labels ?? {})) {
        if (!isQualifiedKey(k)) emit(`metadata.labels.${k}`, `invalid label key ${JSON.stringify(k)}`);
        if (!isLabelValue(v)) emit(`metadata.labels.${k}`, `invalid label value ${JSON.stringify(v)}: at most 63 alphanumerics, "-", "_" or "."`);
      }
      let annotationBytes = 0;
      for (const [k, v] of Object.entries<any>(md.annotations ?? {})) {
        if (!isQualifiedKey(k)) emit(`metadata.annotations.${k}`, `invalid annotation key ${JSON.stringify(k)}`);
        if (typeof v !== 'string') emit(`metadata.annotations.${k}`, 'annotation values must be strings');
        annotationBytes += k.length + String(v).length;
      }
      if (annotationBytes > 256 * 1024) emit('metadata.annotations', 'annotations exceed 256 KiB in total');
    }
    return findings;
  }
}
