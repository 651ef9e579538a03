import { checkExportTo, checkLabels, checkWorkloadSelector, entriesOf, isSet, itemsOf, Reporter, wildcardDomainProblem } from './common';
import { checkSubsetName } from './destination';
import { checkTrafficPolicy } from './traffic-policy';

/** Reports what istiod's ValidateDestinationRule refuses. */
export function checkDestinationRule(r: Reporter, spec: any, namespace: string | undefined): void {
  const problem = wildcardDomainProblem(spec.host);
  if (problem) r.error('spec.host', problem);
  checkTrafficPolicy(r, 'spec.trafficPolicy', spec.trafficPolicy);
  const seen = new Map<string, number>();
  itemsOf(spec.subsets).forEach((subset, i) => {
    const p = `spec.subsets[${i}]`;
    if (!isSet(subset)) {
      r.error(p, 'subset may not be null');
      return;
    }
    checkSubsetName(r, `${p}.name`, subset.name);
    const first = seen.get(subset.name);
    if (first !== undefined) r.error(`${p}.name`, `duplicate subset name ${JSON.stringify(subset.name)} (also spec.subsets[${first}])`);
    else seen.set(subset.name, i);
    // A subset without labels selects every endpoint of the host: never what a version split means.
    if (entriesOf(subset.labels).length === 0) r.warn(`${p}.labels`, `subset ${JSON.stringify(subset.name)} has no labels: it selects every endpoint of ${spec.host}`);
    checkLabels(r, `${p}.labels`, subset.labels);
    checkTrafficPolicy(r, `${p}.trafficPolicy`, subset.trafficPolicy);
  });
  const hasSelector = isSet(spec.workloadSelector);
  checkWorkloadSelector(r, 'spec.workloadSelector', spec.workloadSelector, 'matchLabels');
  checkExportTo(r, 'spec.exportTo', spec.exportTo, namespace, false);
  const exportTo = itemsOf(spec.exportTo);
  if (hasSelector && exportTo.length > 0) {
    const local = exportTo.every((e) => e === '.' || e === namespace);
    if (!local) r.error('spec.exportTo', 'a destination rule with a workload selector cannot be exported beyond its own namespace');
  }
}
