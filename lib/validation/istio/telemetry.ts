import { entriesOf, isSet, itemsOf, keyPath, Reporter } from './common';
import { checkPolicyTargets } from './policy-target';

function checkProviders(r: Reporter, path: string, providers: unknown): void {
  itemsOf(providers).forEach((p, i) => {
    if (!p?.name) r.error(`${path}[${i}].name`, 'providers.name may not be empty');
  });
}

/** Reports what istiod's ValidateTelemetry refuses. */
export function checkTelemetry(r: Reporter, spec: any): void {
  checkPolicyTargets(r, spec);
  const tracing = itemsOf(spec.tracing);
  if (tracing.length > 1) r.warn('spec.tracing', 'multiple tracing configurations are not supported: only the first applies');
  tracing.forEach((t, i) => {
    const p = `spec.tracing[${i}]`;
    if (!isSet(t)) return;
    if (itemsOf(t.providers).length > 1) r.warn(`${p}.providers`, 'multiple providers are not supported: only the first is used');
    checkProviders(r, `${p}.providers`, t.providers);
    const pct = t.randomSamplingPercentage;
    if (isSet(pct) && (typeof pct !== 'number' || pct < 0 || pct > 100)) r.error(`${p}.randomSamplingPercentage`, `randomSamplingPercentage ${JSON.stringify(pct)} must be in range [0.0, 100.0]`);
    for (const [name, tag] of entriesOf(t.customTags)) {
      const tp = keyPath(`${p}.customTags`, name);
      if (name === '') r.error(tp, 'tag name may not be empty');
      if (!isSet(tag)) {
        r.error(tp, `tag ${JSON.stringify(name)} may not have a null value`);
        continue;
      }
      if (isSet(tag.literal) && !tag.literal.value) r.error(`${tp}.literal.value`, 'literal tag value may not be empty');
      if (isSet(tag.header) && !tag.header.name) r.error(`${tp}.header.name`, 'header tag name may not be empty');
      if (isSet(tag.environment) && !tag.environment.name) r.error(`${tp}.environment.name`, 'environment tag name may not be empty');
    }
  });
  itemsOf(spec.metrics).forEach((m, i) => {
    const p = `spec.metrics[${i}]`;
    if (!isSet(m)) return;
    checkProviders(r, `${p}.providers`, m.providers);
    itemsOf(m.overrides).forEach((o, j) => {
      const op = `${p}.overrides[${j}]`;
      if (!isSet(o)) {
        r.error(op, 'overrides may not be null');
        return;
      }
      for (const [tag, to] of entriesOf(o.tagOverrides)) {
        const tp = keyPath(`${op}.tagOverrides`, tag);
        if (tag === '') r.warn(tp, 'tagOverrides name may not be empty');
        if (!isSet(to)) {
          r.error(tp, 'tagOverrides may not be null');
          continue;
        }
        const operation = to.operation ?? 'UPSERT';
        if (operation === 'UPSERT' && !to.value) r.error(`${tp}.value`, 'tagOverrides.value must be set when operation is UPSERT');
        if (operation === 'REMOVE' && to.value) r.error(`${tp}.value`, 'tagOverrides.value may only be set when operation is UPSERT');
      }
      if (isSet(o.match?.customMetric) && o.match.customMetric === '') r.error(`${op}.match.customMetric`, 'customMetric may not be empty');
    });
  });
  itemsOf(spec.accessLogging).forEach((l, i) => {
    if (isSet(l)) checkProviders(r, `spec.accessLogging[${i}].providers`, l.providers);
  });
}
