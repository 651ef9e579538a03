import { isDns1035Label, isDnsLabel, isQualifiedKey, Report } from './rules';

/*
 * Object metadata rules of the API server that the `metadata` check does not cover (it checks
 * name formats, namespaces, labels and annotation keys): Service names are DNS-1035 labels,
 * finalizers are qualified names, owner references are complete with at most one controller.
 */

export function validateObjectMeta(m: any, r: Report): void {
  const md = m.metadata ?? {};
  if (m.kind === 'Service' && isDnsLabel(md.name) && !isDns1035Label(md.name)) {
    r.error('metadata.name', `Invalid value: ${JSON.stringify(md.name)}: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character`);
  }
  (md.finalizers ?? []).forEach((f: unknown, i: number) => {
    if (typeof f !== 'string' || !isQualifiedKey(f)) r.error(`metadata.finalizers[${i}]`, `Invalid value: ${JSON.stringify(f)}: must be a qualified name`);
    else if (!f.includes('/') && f !== 'kubernetes') r.warn(`metadata.finalizers[${i}]`, `prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers`);
  });
  let controllers = 0;
  (md.ownerReferences ?? []).forEach((o: any, i: number) => {
    for (const f of ['apiVersion', 'kind', 'name', 'uid'] as const) if (!o?.[f]) r.error(`metadata.ownerReferences[${i}].${f}`, 'Required value');
    if (o?.controller) controllers++;
  });
  if (controllers > 1) r.error('metadata.ownerReferences', 'Invalid value: Only one reference can have Controller set to true');
}
