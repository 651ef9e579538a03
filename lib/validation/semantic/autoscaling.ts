import { intOrPercentProblem, oneOf, parseQuantity, pathSegmentProblem, Report, validateLabelSelector } from './rules';

/*
 * HorizontalPodAutoscaler rules of the API server (pkg/apis/autoscaling/validation): replica
 * bounds, the scale target, each metric's source matching its type with a positive target of an
 * allowed kind, and scaling behavior policies.
 */

const SOURCES: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };
const TARGETS_BY_TYPE: Record<string, readonly string[]> = {
  Object: ['Value', 'AverageValue'],
  Pods: ['AverageValue'],
  Resource: ['Utilization', 'AverageValue'],
  ContainerResource: ['Utilization', 'AverageValue'],
  External: ['Value', 'AverageValue'],
};

export function validateHpa(m: any, r: Report): void {
  const spec = m.spec ?? {};
  const ref = spec.scaleTargetRef;
  if (!ref?.kind) r.error('spec.scaleTargetRef.kind', 'Required value');
  else if (pathSegmentProblem(ref.kind)) r.error('spec.scaleTargetRef.kind', `Invalid value: ${JSON.stringify(ref.kind)}: ${pathSegmentProblem(ref.kind)}`);
  if (!ref?.name) r.error('spec.scaleTargetRef.name', 'Required value');
  else if (pathSegmentProblem(ref.name)) r.error('spec.scaleTargetRef.name', `Invalid value: ${JSON.stringify(ref.name)}: ${pathSegmentProblem(ref.name)}`);
  // HPAScaleToZero is alpha (off by default in 1.32): minReplicas must be at least 1.
  if (spec.minReplicas !== undefined && !(spec.minReplicas >= 1)) r.error('spec.minReplicas', `Invalid value: ${spec.minReplicas}: must be greater than or equal to 1`);
  if (!(spec.maxReplicas >= 1)) r.error('spec.maxReplicas', `Invalid value: ${JSON.stringify(spec.maxReplicas)}: must be greater than 0`);
  else if (spec.maxReplicas < (spec.minReplicas ?? 1)) r.error('spec.maxReplicas', `Invalid value: ${spec.maxReplicas}: must be greater than or equal to \`minReplicas\` (${spec.minReplicas ?? 1})`);

  if (m.apiVersion === 'autoscaling/v1') {
    const t = spec.targetCPUUtilizationPercentage;
    if (t !== undefined && !(t >= 1)) r.error('spec.targetCPUUtilizationPercentage', `Invalid value: ${t}: must be greater than or equal to 1`);
    return;
  }
  (spec.metrics ?? []).forEach((metric: any, i: number) => validateMetric(r, `spec.metrics[${i}]`, metric ?? {}));
  for (const dir of ['scaleUp', 'scaleDown'] as const) {
    const rules = spec.behavior?.[dir];
    if (!rules) continue;
    const p = `spec.behavior.${dir}`;
    const window = rules.stabilizationWindowSeconds;
    if (window !== undefined && !(window >= 0 && window <= 3600)) r.error(`${p}.stabilizationWindowSeconds`, `Invalid value: ${window}: must be less than or equal to 3600 and greater than or equal to 0`);
    oneOf(r, `${p}.selectPolicy`, rules.selectPolicy, ['Max', 'Min', 'Disabled']);
    const policies: any[] = rules.policies ?? [];
    if (rules.policies !== undefined && policies.length === 0 && rules.selectPolicy !== 'Disabled') r.error(`${p}.policies`, 'Required value: must specify at least one Policy');
    policies.forEach((pol: any, j: number) => {
      const pp = `${p}.policies[${j}]`;
      oneOf(r, `${pp}.type`, pol?.type, ['Pods', 'Percent']);
      if (!(pol?.value > 0)) r.error(`${pp}.value`, `Invalid value: ${JSON.stringify(pol?.value)}: must be greater than zero`);
      if (!(pol?.periodSeconds > 0 && pol.periodSeconds <= 1800)) r.error(`${pp}.periodSeconds`, `Invalid value: ${JSON.stringify(pol?.periodSeconds)}: must be greater than zero and less than or equal to 1800`);
    });
  }
}

function validateMetric(r: Report, p: string, metric: any): void {
  const type = metric.type;
  const sourceField = SOURCES[type];
  if (!sourceField) {
    r.error(`${p}.type`, `Unsupported value: ${JSON.stringify(type)}: supported values: ${Object.keys(SOURCES).map((k) => JSON.stringify(k)).join(', ')}`);
    return;
  }
  const populated = Object.values(SOURCES).filter((f) => metric[f] !== undefined && metric[f] !== null);
  if (!populated.includes(sourceField)) {
    r.error(`${p}.${sourceField}`, `Required value: must populate information for the given metric source ${JSON.stringify(type)}`);
    return;
  }
  for (const other of populated) if (other !== sourceField) r.error(`${p}.${other}`, 'Forbidden: must populate the given metric source only');
  const src = metric[sourceField];
  const sp = `${p}.${sourceField}`;
  if (type === 'Resource' || type === 'ContainerResource') {
    if (!src.name) r.error(`${sp}.name`, 'Required value: must specify a resource name');
    if (type === 'ContainerResource' && !src.container) r.error(`${sp}.container`, 'Required value: must specify a container');
  } else {
    if (!src.metric?.name) r.error(`${sp}.metric.name`, 'Required value: must specify a metric name');
    validateLabelSelector(r, `${sp}.metric.selector`, src.metric?.selector);
    if (type === 'Object' && !(src.describedObject?.kind && src.describedObject?.name)) r.error(`${sp}.describedObject`, 'Required value: must specify kind and name');
  }
  const target = src.target;
  if (!target) { r.error(`${sp}.target`, 'Required value'); return; }
  oneOf(r, `${sp}.target.type`, target.type, ['Utilization', 'Value', 'AverageValue']);
  if (target.type && !TARGETS_BY_TYPE[type].includes(target.type)) {
    r.error(`${sp}.target.type`, `Invalid value: ${JSON.stringify(target.type)}: a ${type} metric supports targets of type ${TARGETS_BY_TYPE[type].join(' or ')}`);
  }
  if (target.averageUtilization !== undefined && !(target.averageUtilization >= 1)) r.error(`${sp}.target.averageUtilization`, `Invalid value: ${target.averageUtilization}: must be greater than 0`);
  for (const f of ['value', 'averageValue'] as const) {
    if (target[f] === undefined) continue;
    const q = parseQuantity(target[f]);
    if (q === undefined || q <= 0) r.error(`${sp}.target.${f}`, `Invalid value: ${JSON.stringify(target[f])}: must be positive`);
  }
}

/** PodDisruptionBudget (pkg/apis/policy/validation): one of minAvailable / maxUnavailable, each an int or a percentage ≤ 100 %. */
export function validatePdb(m: any, r: Report): void {
  const spec = m.spec ?? {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    r.error('spec', 'Invalid value: minAvailable and maxUnavailable cannot be both set');
  }
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    if (spec[f] === undefined) continue;
    const problem = intOrPercentProblem(spec[f], true);
    if (problem) r.error(`spec.${f}`, `Invalid value: ${JSON.stringify(spec[f])}: ${problem}`);
  }
  validateLabelSelector(r, 'spec.selector', spec.selector);
  oneOf(r, 'spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, ['IfHealthyBudget', 'AlwaysAllow']);
}
