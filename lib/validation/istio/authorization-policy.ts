import { isDnsLabel, isIpOrCidr, isSet, itemsOf, Reporter } from './common';
import { checkPolicyTargets } from './policy-target';

const ACTIONS = new Set(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']);
const SOURCE_FIELDS = ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'];
const OPERATION_FIELDS = ['hosts', 'notHosts', 'ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'];
const IP_FIELDS = ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'];
// CUSTOM (ext_authz) runs before the peer and JWT filters, so it cannot see their results.
const NOT_WITH_CUSTOM = ['namespaces', 'notNamespaces', 'principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals'];

// Path templates Envoy's uri_template matcher does not support: named variables, `{}`, and bare `*`/`**` segments.
const UNSUPPORTED_PATH_TEMPLATE = /\/{\w+=\*[*]?\}|{\w*\}|\/\*[*]?|\*[*]?\//;

/** Condition keys (`when[].key`) Istio knows, and how their values are checked. */
function attributeProblem(key: string, values: readonly unknown[]): string | undefined {
  const mapKey = () => {
    const open = key.indexOf('[');
    return key.endsWith(']') && open > 0 && open < key.length - 2 ? undefined : `bad key ${JSON.stringify(key)}: should have the form a[b]`;
  };
  const ips = () => {
    const bad = values.find((v) => !isIpOrCidr(v));
    return bad === undefined ? undefined : `bad IP address or CIDR block ${JSON.stringify(bad)}`;
  };
  if (key.startsWith('request.headers')) return mapKey();
  if (key.startsWith('request.auth.claims')) return mapKey();
  if (key.startsWith('experimental.envoy.filters.')) return mapKey();
  switch (key) {
    case 'source.ip': case 'remote.ip': case 'destination.ip': return ips();
    case 'destination.port': {
      const bad = values.find((v) => !/^\d+$/.test(String(v)) || Number(v) > 65535);
      return bad === undefined ? undefined : `bad port ${JSON.stringify(bad)}`;
    }
    case 'source.namespace': case 'source.principal': case 'source.serviceAccount': case 'request.auth.principal': case 'request.auth.audiences':
    case 'request.auth.presenter': case 'connection.sni':
      return undefined;
    case 'destination.namespace': return `attribute ${key} is replaced by the policy's metadata.namespace`;
    case 'destination.name': case 'destination.user': return `deprecated attribute ${key}: only supported in v1alpha1`;
    default:
      if (key.startsWith('destination.labels')) return `attribute ${key} is replaced by the workload selector`;
      return `unknown attribute ${JSON.stringify(key)} (request.headers[…], source.ip, remote.ip, source.namespace, source.principal, request.auth.principal, request.auth.audiences, request.auth.presenter, request.auth.claims[…], destination.ip, destination.port, connection.sni, experimental.envoy.filters.…)`;
  }
}

/** Istio matches `*` only as the whole value, a prefix (`x*`) or a suffix (`*x`); elsewhere it is a literal. */
function misplacedWildcard(value: string): boolean {
  const inner = value.slice(1, -1);
  return value.length > 1 && inner.includes('*');
}

/** Reports what istiod's ValidateAuthorizationPolicy refuses, and values that can never match. */
export function checkAuthorizationPolicy(r: Reporter, spec: any, annotations: Record<string, unknown> | undefined): void {
  checkPolicyTargets(r, spec);
  const action = spec.action ?? 'ALLOW';
  if (!ACTIONS.has(action)) r.error('spec.action', `unknown action ${JSON.stringify(action)} (${[...ACTIONS].join(', ')})`);
  const hasRules = isSet(spec.rules);
  if (action === 'CUSTOM') {
    if (!hasRules) r.error('spec.rules', 'CUSTOM action without rules is never triggered: add an empty rule {} to trigger it for every request');
    else if (!spec.provider?.name) r.error('spec.provider.name', 'provider.name must not be empty with the CUSTOM action');
  } else if (isSet(spec.provider)) {
    r.error('spec.provider', `provider must not be set with action ${action}, only with CUSTOM`);
  }
  if ((action === 'DENY' || action === 'AUDIT') && !hasRules) r.error('spec.rules', `${action} action without rules is never triggered: add an empty rule {} to trigger it for every request`);
  const dryRun = annotations?.['istio.io/dry-run'];
  if (dryRun !== undefined) {
    if (action !== 'ALLOW' && action !== 'DENY') r.error('metadata.annotations["istio.io/dry-run"]', `the dry-run annotation only supports actions ALLOW and DENY, not ${action}`);
    else if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False'].includes(String(dryRun))) r.error('metadata.annotations["istio.io/dry-run"]', `invalid dry-run value ${JSON.stringify(dryRun)}: true or false`);
  }

  itemsOf(spec.rules).forEach((rule, i) => {
    const p = `spec.rules[${i}]`;
    if (!isSet(rule)) {
      r.error(p, 'a rule must not be null');
      return;
    }
    if (isSet(rule.from) && itemsOf(rule.from).length === 0) r.error(`${p}.from`, 'from must not be empty');
    itemsOf(rule.from).forEach((from, j) => {
      const fp = `${p}.from[${j}]`;
      const src = from?.source;
      if (!isSet(src)) {
        r.error(`${fp}.source`, 'from.source must not be null');
        return;
      }
      if (!SOURCE_FIELDS.some((k) => itemsOf(src[k]).length > 0)) r.error(`${fp}.source`, `from.source must not be empty (${SOURCE_FIELDS.join(', ')})`);
      checkValues(r, `${fp}.source`, src, SOURCE_FIELDS);
      for (const k of IP_FIELDS) {
        itemsOf(src[k]).forEach((v, n) => {
          if (v !== '' && !isIpOrCidr(v)) r.error(`${fp}.source.${k}[${n}]`, `bad IP address or CIDR block ${JSON.stringify(v)}`);
        });
      }
      for (const k of ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals']) {
        itemsOf(src[k]).forEach((v, n) => {
          if (typeof v === 'string' && misplacedWildcard(v)) r.warn(`${fp}.source.${k}[${n}]`, `${JSON.stringify(v)}: "*" only matches as the whole value, a prefix or a suffix; here it is a literal`);
        });
      }
      for (const k of ['namespaces', 'notNamespaces']) {
        itemsOf(src[k]).forEach((v, n) => {
          if (typeof v === 'string' && v !== '' && !v.includes('*') && !isDnsLabel(v)) r.error(`${fp}.source.${k}[${n}]`, `${JSON.stringify(v)} is not a namespace name`);
        });
      }
      if (action === 'CUSTOM') {
        for (const k of NOT_WITH_CUSTOM) if (itemsOf(src[k]).length > 0) r.error(`${fp}.source.${k}`, `${k} is not supported with the CUSTOM action`);
      }
    });
    if (isSet(rule.to) && itemsOf(rule.to).length === 0) r.error(`${p}.to`, 'to must not be empty');
    itemsOf(rule.to).forEach((to, j) => {
      const tp = `${p}.to[${j}]`;
      const op = to?.operation;
      if (!isSet(op)) {
        r.error(`${tp}.operation`, 'to.operation must not be null');
        return;
      }
      if (!OPERATION_FIELDS.some((k) => itemsOf(op[k]).length > 0)) r.error(`${tp}.operation`, `to.operation must not be empty (${OPERATION_FIELDS.join(', ')})`);
      checkValues(r, `${tp}.operation`, op, OPERATION_FIELDS);
      for (const k of ['ports', 'notPorts']) {
        itemsOf(op[k]).forEach((v, n) => {
          if (v !== '' && (!/^\d+$/.test(String(v)) || Number(v) > 65535)) r.error(`${tp}.operation.${k}[${n}]`, `bad port ${JSON.stringify(v)}: 0..65535`);
        });
      }
      for (const k of ['methods', 'notMethods']) {
        itemsOf(op[k]).forEach((v, n) => {
          // HTTP methods are case-sensitive: "get" never matches a GET request.
          if (typeof v === 'string' && v !== v.toUpperCase()) r.error(`${tp}.operation.${k}[${n}]`, `method ${JSON.stringify(v)} must be upper-case (HTTP methods are case-sensitive; ${JSON.stringify(v)} never matches)`);
        });
      }
      for (const k of ['paths', 'notPaths']) {
        itemsOf(op[k]).forEach((v, n) => {
          if (typeof v === 'string' && (v.includes('{*}') || v.includes('{**}')) && UNSUPPORTED_PATH_TEMPLATE.test(v)) r.error(`${tp}.operation.${k}[${n}]`, `invalid or unsupported path template ${JSON.stringify(v)}`);
        });
      }
    });
    itemsOf(rule.when).forEach((cond, j) => {
      const cp = `${p}.when[${j}]`;
      if (!isSet(cond)) {
        r.error(cp, 'a condition must not be null');
        return;
      }
      const key = cond.key;
      if (!key) {
        r.error(`${cp}.key`, 'key must not be empty');
        return;
      }
      const values = itemsOf(cond.values);
      const notValues = itemsOf(cond.notValues);
      if (values.length === 0 && notValues.length === 0) r.error(cp, `at least one of values or notValues must be set for key ${key}`);
      for (const [field, list] of [['values', values], ['notValues', notValues]] as const) {
        const empty = list.findIndex((v) => v === '' || !isSet(v));
        if (empty >= 0) r.error(`${cp}.${field}[${empty}]`, `empty value not allowed for key ${key}`);
      }
      const problem = attributeProblem(key, [...values, ...notValues].filter((v) => v !== ''));
      if (problem) r.error(`${cp}.key`, problem);
      if (action === 'CUSTOM' && (key === 'source.namespace' || key === 'source.principal' || key.startsWith('request.auth.'))) {
        r.error(`${cp}.key`, `${key} is not supported with the CUSTOM action`);
      }
    });
  });
}

function checkValues(r: Reporter, path: string, obj: any, fields: readonly string[]): void {
  for (const k of fields) {
    itemsOf(obj[k]).forEach((v, n) => {
      if (v === '' || !isSet(v)) r.error(`${path}.${k}[${n}]`, `empty value not allowed in ${k}`);
    });
  }
}
