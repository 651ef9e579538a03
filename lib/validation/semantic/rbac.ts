import { isDnsSubdomain, oneOf, pathSegmentProblem, Report, validateLabelSelector } from './rules';

/*
 * RBAC rules of the API server (pkg/apis/rbac/validation): policy rules with verbs and either
 * resources (with API groups) or non-resource URLs, role references to the RBAC API group, and
 * subjects of a known kind with the API group and namespace that kind needs.
 */

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validateNamePath(r: Report, m: any): void {
  const name = m.metadata?.name;
  const problem = typeof name === 'string' ? pathSegmentProblem(name) : undefined;
  if (problem) r.error('metadata.name', `Invalid value: ${JSON.stringify(name)}: ${problem}`);
}

function validateRules(r: Report, rules: any[], namespaced: boolean): void {
  rules.forEach((rule: any, i: number) => {
    const p = `rules[${i}]`;
    if (!(rule?.verbs ?? []).length) r.error(`${p}.verbs`, 'Required value: verbs must contain at least one value');
    const urls: unknown[] = rule?.nonResourceURLs ?? [];
    if (urls.length > 0) {
      if (namespaced) r.error(`${p}.nonResourceURLs`, 'Invalid value: namespaced rules cannot apply to non-resource URLs');
      if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0) r.error(`${p}.nonResourceURLs`, 'Invalid value: rules cannot apply to both regular resources and non-resource URLs');
      return;
    }
    if (!(rule?.apiGroups ?? []).length) r.error(`${p}.apiGroups`, 'Required value: resource rules must supply at least one api group');
    if (!(rule?.resources ?? []).length) r.error(`${p}.resources`, 'Required value: resource rules must supply at least one resource');
  });
}

export function validateRole(m: any, r: Report): void {
  validateNamePath(r, m);
  validateRules(r, m.rules ?? [], true);
}

export function validateClusterRole(m: any, r: Report): void {
  validateNamePath(r, m);
  validateRules(r, m.rules ?? [], false);
  const selectors: any[] | undefined = m.aggregationRule?.clusterRoleSelectors;
  if (m.aggregationRule) {
    if (!(selectors ?? []).length) r.error('aggregationRule.clusterRoleSelectors', 'Required value: at least one clusterRoleSelector required if aggregationRule is non-nil');
    (selectors ?? []).forEach((s: any, i: number) => validateLabelSelector(r, `aggregationRule.clusterRoleSelectors[${i}]`, s));
  }
}

function validateBinding(r: Report, m: any, cluster: boolean): void {
  validateNamePath(r, m);
  const ref = m.roleRef ?? {};
  if (ref.apiGroup !== RBAC_GROUP) r.error('roleRef.apiGroup', `Unsupported value: ${JSON.stringify(ref.apiGroup ?? '')}: supported values: "${RBAC_GROUP}"`);
  if (cluster) oneOf(r, 'roleRef.kind', ref.kind, ['ClusterRole']);
  else oneOf(r, 'roleRef.kind', ref.kind, ['Role', 'ClusterRole']);
  if (!ref.name) r.error('roleRef.name', 'Required value');
  else if (pathSegmentProblem(ref.name)) r.error('roleRef.name', `Invalid value: ${JSON.stringify(ref.name)}: ${pathSegmentProblem(ref.name)}`);
  (m.subjects ?? []).forEach((s: any, i: number) => {
    const p = `subjects[${i}]`;
    if (!s?.name) r.error(`${p}.name`, 'Required value');
    if (s?.kind === 'ServiceAccount') {
      if (s.apiGroup) r.error(`${p}.apiGroup`, `Unsupported value: ${JSON.stringify(s.apiGroup)}: supported values: ""`);
      if (s.name && !isDnsSubdomain(s.name)) r.error(`${p}.name`, `Invalid value: ${JSON.stringify(s.name)}: must be a DNS subdomain`);
      if (cluster && !s.namespace) r.error(`${p}.namespace`, 'Required value');
    } else if (s?.kind === 'User' || s?.kind === 'Group') {
      if (s.apiGroup !== RBAC_GROUP) r.error(`${p}.apiGroup`, `Unsupported value: ${JSON.stringify(s.apiGroup ?? '')}: supported values: "${RBAC_GROUP}"`);
    } else {
      r.error(`${p}.kind`, `Unsupported value: ${JSON.stringify(s?.kind)}: supported values: "ServiceAccount", "User", "Group"`);
    }
  });
}

export function validateRoleBinding(m: any, r: Report): void {
  validateBinding(r, m, false);
}

export function validateClusterRoleBinding(m: any, r: Report): void {
  validateBinding(r, m, true);
}
