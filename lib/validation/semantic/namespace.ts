import { isDnsSubdomain, isQualifiedKey, oneOf, parseQuantity, Report } from './rules';

/*
 * Namespace-level objects (pkg/apis/core/validation): ResourceQuota quantities and scopes, LimitRange
 * bounds (min ≤ defaultRequest ≤ default ≤ max), ServiceAccount references, Namespace finalizers.
 */

const QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass'];

export function validateResourceQuota(m: any, r: Report): void {
  for (const [name, raw] of Object.entries<any>(m.spec?.hard ?? {})) {
    const p = `spec.hard.${name}`;
    if (!isQualifiedKey(name)) r.error(p, `Invalid value: ${JSON.stringify(name)}: must be a standard resource type or fully qualified`);
    const value = parseQuantity(raw);
    if (value === undefined) r.error(p, `Invalid value: ${JSON.stringify(raw)}: must be a quantity`);
    else if (value < 0) r.error(p, `Invalid value: ${JSON.stringify(raw)}: must be greater than or equal to 0`);
  }
  const scopes: unknown[] = m.spec?.scopes ?? [];
  scopes.forEach((s, i) => oneOf(r, `spec.scopes[${i}]`, s, QUOTA_SCOPES));
  if (scopes.includes('Terminating') && scopes.includes('NotTerminating')) r.error('spec.scopes', 'Invalid value: conflicting scopes Terminating and NotTerminating');
  if (scopes.includes('BestEffort') && scopes.includes('NotBestEffort')) r.error('spec.scopes', 'Invalid value: conflicting scopes BestEffort and NotBestEffort');
  (m.spec?.scopeSelector?.matchExpressions ?? []).forEach((e: any, i: number) => {
    const p = `spec.scopeSelector.matchExpressions[${i}]`;
    oneOf(r, `${p}.scopeName`, e?.scopeName, QUOTA_SCOPES);
    oneOf(r, `${p}.operator`, e?.operator, ['In', 'NotIn', 'Exists', 'DoesNotExist']);
    const values: unknown[] = e?.values ?? [];
    if ((e?.operator === 'In' || e?.operator === 'NotIn') && values.length === 0) r.error(`${p}.values`, 'Required value: must be at least one value when `operator` is \'In\' or \'NotIn\'');
    if ((e?.operator === 'Exists' || e?.operator === 'DoesNotExist') && values.length > 0) r.error(`${p}.values`, 'Invalid value: must be no value when `operator` is \'Exist\' or \'DoesNotExist\'');
  });
}

type Bounds = Record<string, Map<string, number>>;

export function validateLimitRange(m: any, r: Report): void {
  (m.spec?.limits ?? []).forEach((item: any, i: number) => {
    const p = `spec.limits[${i}]`;
    oneOf(r, `${p}.type`, item?.type, ['Pod', 'Container', 'PersistentVolumeClaim']);
    const b: Bounds = {};
    for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const) {
      b[f] = new Map();
      for (const [name, raw] of Object.entries<any>(item?.[f] ?? {})) {
        const value = parseQuantity(raw);
        if (value === undefined) r.error(`${p}.${f}.${name}`, `Invalid value: ${JSON.stringify(raw)}: must be a quantity`);
        else if (value < 0) r.error(`${p}.${f}.${name}`, `Invalid value: ${JSON.stringify(raw)}: must be greater than or equal to 0`);
        else b[f].set(name, value);
      }
    }
    if (item?.type === 'Pod' && (b.default.size > 0 || b.defaultRequest.size > 0)) {
      r.error(`${p}.${b.default.size > 0 ? 'default' : 'defaultRequest'}`, 'Forbidden: may not be specified when `type` is \'Pod\'');
    }
    if (item?.type === 'PersistentVolumeClaim') {
      if (!b.min.has('storage') && !b.max.has('storage')) r.error(`${p}.limits`, 'Required value: either minimum or maximum storage value is required, but neither was provided');
    }
    const show = (f: string, name: string) => JSON.stringify(String(item[f][name]));
    const names = new Set([...b.min.keys(), ...b.max.keys(), ...b.default.keys(), ...b.defaultRequest.keys()]);
    for (const name of names) {
      const min = b.min.get(name);
      const max = b.max.get(name);
      const def = b.default.get(name);
      const req = b.defaultRequest.get(name);
      if (min !== undefined && max !== undefined && min > max) r.error(`${p}.min.${name}`, `Invalid value: ${show('min', name)}: min value ${item.min[name]} is greater than max value ${item.max[name]}`);
      if (req !== undefined && min !== undefined && min > req) r.error(`${p}.defaultRequest.${name}`, `Invalid value: ${show('defaultRequest', name)}: min value ${item.min[name]} is greater than default request value ${item.defaultRequest[name]}`);
      if (req !== undefined && max !== undefined && req > max) r.error(`${p}.defaultRequest.${name}`, `Invalid value: ${show('defaultRequest', name)}: default request value ${item.defaultRequest[name]} is greater than max value ${item.max[name]}`);
      if (req !== undefined && def !== undefined && req > def) r.error(`${p}.defaultRequest.${name}`, `Invalid value: ${show('defaultRequest', name)}: default request value ${item.defaultRequest[name]} is greater than default limit value ${item.default[name]}`);
      if (def !== undefined && min !== undefined && min > def) r.error(`${p}.default.${name}`, `Invalid value: ${show('default', name)}: min value ${item.min[name]} is greater than default value ${item.default[name]}`);
      if (def !== undefined && max !== undefined && def > max) r.error(`${p}.default.${name}`, `Invalid value: ${show('default', name)}: default value ${item.default[name]} is greater than max value ${item.max[name]}`);
    }
    for (const [name, ratio] of b.maxLimitRequestRatio) {
      if (ratio < 1) r.error(`${p}.maxLimitRequestRatio.${name}`, `Invalid value: ${JSON.stringify(String(item.maxLimitRequestRatio[name]))}: ratio ${item.maxLimitRequestRatio[name]} is less than 1`);
      const min = b.min.get(name);
      const max = b.max.get(name);
      if (min !== undefined && max !== undefined && min > 0 && ratio > max / min) {
        r.error(`${p}.maxLimitRequestRatio.${name}`, `Invalid value: ${JSON.stringify(String(item.maxLimitRequestRatio[name]))}: ratio ${item.maxLimitRequestRatio[name]} is greater than max/min = ${max / min}`);
      }
    }
  });
}

export function validateServiceAccount(m: any, r: Report): void {
  for (const f of ['secrets', 'imagePullSecrets'] as const) {
    (m[f] ?? []).forEach((s: any, i: number) => {
      if (!s?.name) r.error(`${f}[${i}].name`, 'Required value');
      else if (!isDnsSubdomain(s.name)) r.error(`${f}[${i}].name`, `Invalid value: ${JSON.stringify(s.name)}: must be a DNS subdomain`);
    });
  }
}

export function validateNamespace(m: any, r: Report): void {
  (m.spec?.finalizers ?? []).forEach((f: unknown, i: number) => {
    if (typeof f !== 'string' || !(isQualifiedKey(f) || f === 'kubernetes')) r.error(`spec.finalizers[${i}]`, `Invalid value: ${JSON.stringify(f)}: must be a qualified name`);
  });
}
