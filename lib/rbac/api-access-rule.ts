import { fail, InputLocation } from '../core/errors';
import * as v from '../core/validators';

/** Verbs a rule may grant. `escalate`, `bind` and `impersonate` hand out more than access: never granted here. */
export const API_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;

/** A verb of {@link API_VERBS}. */
export type ApiVerb = typeof API_VERBS[number];

/** Kubernetes API access, as one RBAC policy rule: the listed verbs on the listed resources, nothing more. */
export interface ApiAccessRule {
  /** API groups of the resources: `""` for the core group, e.g. `"apps"`. No `"*"`. */
  readonly apiGroups: string[];
  /** Resources (plural, lower case), optionally with a subresource (`pods/log`). No `"*"`. */
  readonly resources: string[];
  /** What may be done with them. No `"*"`. */
  readonly verbs: ApiVerb[];
  /** Restricts the rule to these objects (not possible with list, watch, create or deletecollection). @default every object of the resources */
  readonly resourceNames?: string[];
}

const API_GROUP = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$/;
const RESOURCE = /^[a-z][a-z0-9]*(\/[a-z][a-z0-9]*)?$/;
// These verbs address a collection, not a named object: resourceNames cannot narrow them.
const COLLECTION_VERBS: readonly string[] = ['list', 'watch', 'create', 'deletecollection'];

/**
 * The rules as RBAC PolicyRules, checked: each field non-empty, no wildcard, known verbs only,
 * resourceNames only with verbs that address a named object. Sorted and de-duplicated, so the
 * output does not depend on the order they were written in.
 */
export function policyRules(scope: InputLocation, field: string, value: readonly ApiAccessRule[] | undefined | null): Array<Record<string, string[]>> {
  return v.nonEmpty(scope, field, value).map((raw, i) => {
    const at = `${field}[${i}]`;
    const rule = v.object(scope, at, raw, 'an ApiAccessRule { apiGroups, resources, verbs, resourceNames? }');
    const noWildcard = (name: string, items: readonly unknown[]) => items.forEach((item, j) => {
      if (item === '*') fail(scope, `${at}.${name}[${j}]`, item, `explicit ${name}: a wildcard grants whatever the API server adds later`);
    });
    const apiGroups = v.nonEmpty(scope, `${at}.apiGroups`, rule.apiGroups);
    noWildcard('apiGroups', apiGroups);
    apiGroups.forEach((g, j) => { if (typeof g !== 'string' || !API_GROUP.test(g)) fail(scope, `${at}.apiGroups[${j}]`, g, 'an API group: "" (core), "apps", "batch", "networking.k8s.io", …'); });
    const resources = v.nonEmpty(scope, `${at}.resources`, rule.resources);
    noWildcard('resources', resources);
    resources.forEach((r, j) => { if (typeof r !== 'string' || !RESOURCE.test(r)) fail(scope, `${at}.resources[${j}]`, r, 'a resource in plural lower case, optionally with a subresource: "configmaps", "pods/log"'); });
    const verbs = v.nonEmpty(scope, `${at}.verbs`, rule.verbs);
    noWildcard('verbs', verbs);
    verbs.forEach((verb, j) => v.oneOf(scope, `${at}.verbs[${j}]`, verb, API_VERBS));
    const names = v.stringList(scope, `${at}.resourceNames`, rule.resourceNames);
    if (names.length > 0) {
      const collection = verbs.filter((verb) => COLLECTION_VERBS.includes(verb));
      if (collection.length > 0) fail(scope, `${at}.resourceNames`, names, `resourceNames only with verbs on named objects (get, update, patch, delete), not ${collection.join(', ')}`);
    }
    const sorted = (items: readonly string[]) => [...new Set(items)].sort();
    return {
      apiGroups: sorted(apiGroups),
      resources: sorted(resources),
      verbs: sorted(verbs),
      ...(names.length > 0 ? { resourceNames: sorted(names) } : {}),
    };
  });
}
