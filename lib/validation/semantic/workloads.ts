import { validatePodSpec, validatePodTemplate } from './pod-spec';
import {
  intOrPercentProblem, isDnsLabel, isEmptySelector, isZeroIntOrPercent, nonNegative, oneOf, Report, selectorMatches,
  validateLabelSelector,
} from './rules';
import { parseCronSchedule } from './cron';

/*
 * Workload rules of the API server (pkg/apis/apps/validation, pkg/apis/batch/validation): selectors
 * that exist and select their own template, replica counts, update strategies, the restart policy
 * each controller accepts, Job completion settings and CronJob schedules.
 */

/** The selector is set, not empty, valid, and matches the template's labels. */
function validateSelectorAndTemplate(r: Report, spec: any, kind: string, templatePath = 'spec.template', selectorPath = 'spec.selector'): void {
  const selector = spec?.selector;
  if (!selector) r.error(selectorPath, 'Required value');
  else if (isEmptySelector(selector)) r.error(selectorPath, `Invalid value: empty selector is invalid for ${kind.toLowerCase()}`);
  else {
    validateLabelSelector(r, selectorPath, selector);
    const labels = spec.template?.metadata?.labels ?? {};
    if (!selectorMatches(selector, labels)) r.error(`${templatePath}.metadata.labels`, `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``);
  }
}

function validateTemplate(r: Report, spec: any, path: string, restartPolicies: readonly string[], forbidDeadline: boolean): void {
  validatePodTemplate(r, path, spec?.template);
  const pod = spec?.template?.spec ?? {};
  const policy = pod.restartPolicy ?? 'Always';
  if (!restartPolicies.includes(policy)) {
    r.error(`${path}.spec.restartPolicy`, `Unsupported value: ${JSON.stringify(policy)}: supported values: ${restartPolicies.map((p) => JSON.stringify(p)).join(', ')}`);
  }
  if (forbidDeadline && pod.activeDeadlineSeconds !== undefined) r.error(`${path}.spec.activeDeadlineSeconds`, 'Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported');
}

function common(r: Report, spec: any): void {
  nonNegative(r, 'spec.replicas', spec?.replicas);
  nonNegative(r, 'spec.minReadySeconds', spec?.minReadySeconds);
  nonNegative(r, 'spec.revisionHistoryLimit', spec?.revisionHistoryLimit);
}

/** maxUnavailable / maxSurge: each a non-negative int or percentage, not both zero. */
function validateRollingUpdate(r: Report, path: string, ru: any, surgeAllowed: boolean): void {
  if (!ru) return;
  const unavailable = ru.maxUnavailable;
  const surge = ru.maxSurge;
  if (unavailable !== undefined) {
    const problem = intOrPercentProblem(unavailable, true);
    if (problem) r.error(`${path}.maxUnavailable`, `Invalid value: ${JSON.stringify(unavailable)}: ${problem}`);
  }
  if (surge !== undefined) {
    const problem = intOrPercentProblem(surge, false);
    if (problem) r.error(`${path}.maxSurge`, `Invalid value: ${JSON.stringify(surge)}: ${problem}`);
  }
  // Defaults are 25 % (Deployment) and 1 / 0 (DaemonSet); only explicit zeros on both sides deadlock.
  const effectiveSurge = surge ?? (surgeAllowed ? '25%' : 0);
  const effectiveUnavailable = unavailable ?? (surgeAllowed ? '25%' : 1);
  if (isZeroIntOrPercent(effectiveUnavailable) && isZeroIntOrPercent(effectiveSurge)) {
    r.error(`${path}.maxUnavailable`, 'Invalid value: 0: may not be 0 when `maxSurge` is 0');
  }
}

export function validateDeployment(m: any, r: Report): void {
  const spec = m.spec ?? {};
  common(r, spec);
  validateSelectorAndTemplate(r, spec, 'Deployment');
  validateTemplate(r, spec, 'spec.template', ['Always'], true);
  const strategy = spec.strategy;
  if (strategy) {
    oneOf(r, 'spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']);
    if (strategy.type === 'Recreate' && strategy.rollingUpdate) r.error('spec.strategy.rollingUpdate', "Forbidden: may not be specified when strategy `type` is 'Recreate'");
    else validateRollingUpdate(r, 'spec.strategy.rollingUpdate', strategy.rollingUpdate, true);
  }
  if (spec.progressDeadlineSeconds !== undefined) {
    nonNegative(r, 'spec.progressDeadlineSeconds', spec.progressDeadlineSeconds);
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) r.error('spec.progressDeadlineSeconds', `Invalid value: ${spec.progressDeadlineSeconds}: must be greater than minReadySeconds`);
  }
}

export function validateReplicaSet(m: any, r: Report): void {
  const spec = m.spec ?? {};
  common(r, spec);
  validateSelectorAndTemplate(r, spec, m.kind);
  validateTemplate(r, spec, 'spec.template', ['Always'], true);
}

export function validateStatefulSet(m: any, r: Report): void {
  const spec = m.spec ?? {};
  common(r, spec);
  validateSelectorAndTemplate(r, spec, 'StatefulSet');
  validateTemplate(r, withClaimVolumes(spec), 'spec.template', ['Always'], true);
  oneOf(r, 'spec.podManagementPolicy', spec.podManagementPolicy, ['OrderedReady', 'Parallel']);
  const us = spec.updateStrategy;
  if (us) {
    oneOf(r, 'spec.updateStrategy.type', us.type, ['RollingUpdate', 'OnDelete']);
    if (us.type === 'OnDelete' && us.rollingUpdate) r.error('spec.updateStrategy.rollingUpdate', "Invalid value: only allowed for updateStrategy 'RollingUpdate'");
    nonNegative(r, 'spec.updateStrategy.rollingUpdate.partition', us.rollingUpdate?.partition);
    const mu = us.rollingUpdate?.maxUnavailable;
    if (mu !== undefined) {
      const problem = intOrPercentProblem(mu, true);
      if (problem) r.error('spec.updateStrategy.rollingUpdate.maxUnavailable', `Invalid value: ${JSON.stringify(mu)}: ${problem}`);
      else if (isZeroIntOrPercent(mu)) r.error('spec.updateStrategy.rollingUpdate.maxUnavailable', 'Invalid value: 0: must be greater than 0');
    }
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    oneOf(r, 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted', retention.whenDeleted, ['Retain', 'Delete']);
    oneOf(r, 'spec.persistentVolumeClaimRetentionPolicy.whenScaled', retention.whenScaled, ['Retain', 'Delete']);
  }
  nonNegative(r, 'spec.ordinals.start', spec.ordinals?.start);
  const claims = new Set<string>();
  (spec.volumeClaimTemplates ?? []).forEach((t: any, i: number) => {
    const name = t?.metadata?.name;
    if (!isDnsLabel(name)) r.error(`spec.volumeClaimTemplates[${i}].metadata.name`, `Invalid value: ${JSON.stringify(name)}: must be a DNS label`);
    else if (claims.has(name)) r.error(`spec.volumeClaimTemplates[${i}].metadata.name`, `Duplicate value: ${JSON.stringify(name)}`);
    claims.add(name);
  });
}

/**
 * The spec with each volume claim template as a volume of the pod: containers mount claims by the
 * template's name, and the StatefulSet controller adds those volumes to each pod it creates.
 */
function withClaimVolumes(spec: any): any {
  const claims: any[] = spec?.volumeClaimTemplates ?? [];
  if (claims.length === 0 || !spec?.template?.spec) return spec;
  const own = new Set((spec.template.spec.volumes ?? []).map((vol: any) => vol?.name));
  const added = claims.filter((c) => c?.metadata?.name && !own.has(c.metadata.name))
    .map((c) => ({ name: c.metadata.name, persistentVolumeClaim: { claimName: c.metadata.name } }));
  return { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, volumes: [...(spec.template.spec.volumes ?? []), ...added] } } };
}

export function validateDaemonSet(m: any, r: Report): void {
  const spec = m.spec ?? {};
  nonNegative(r, 'spec.minReadySeconds', spec.minReadySeconds);
  nonNegative(r, 'spec.revisionHistoryLimit', spec.revisionHistoryLimit);
  validateSelectorAndTemplate(r, spec, 'DaemonSet');
  validateTemplate(r, spec, 'spec.template', ['Always'], true);
  const us = spec.updateStrategy;
  if (us) {
    oneOf(r, 'spec.updateStrategy.type', us.type, ['RollingUpdate', 'OnDelete']);
    if (us.type !== 'OnDelete') validateRollingUpdate(r, 'spec.updateStrategy.rollingUpdate', us.rollingUpdate, false);
  }
}

/** A Job's spec at `path` (`spec`, or `spec.jobTemplate.spec` in a CronJob). */
function validateJobSpec(r: Report, path: string, spec: any): void {
  for (const f of ['parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished'] as const) nonNegative(r, `${path}.${f}`, spec[f]);
  if (spec.activeDeadlineSeconds !== undefined && !(spec.activeDeadlineSeconds > 0)) r.error(`${path}.activeDeadlineSeconds`, `Invalid value: ${spec.activeDeadlineSeconds}: must be greater than 0`);
  oneOf(r, `${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']);
  if (spec.completionMode === 'Indexed' && spec.completions === undefined) r.error(`${path}.completions`, 'Required value: when completion mode is Indexed');
  if (spec.backoffLimitPerIndex !== undefined && spec.completionMode !== 'Indexed') r.error(`${path}.backoffLimitPerIndex`, 'Forbidden: requires indexed completion mode');
  if (spec.selector && spec.manualSelector !== true) {
    r.error(`${path}.selector`, 'Invalid value: `selector` will be auto-generated; set `manualSelector: true` to provide your own');
  } else if (spec.manualSelector === true) {
    validateSelectorAndTemplate(r, spec, 'Job', `${path}.template`, `${path}.selector`);
  }
  validateTemplate(r, spec, `${path}.template`, ['OnFailure', 'Never'], false);
  if (spec.podFailurePolicy && (spec.template?.spec?.restartPolicy ?? 'Always') !== 'Never') {
    r.error(`${path}.podFailurePolicy`, 'Invalid value: only allowed when `restartPolicy` is `Never`');
  }
}

export function validateJob(m: any, r: Report): void {
  validateJobSpec(r, 'spec', m.spec ?? {});
}

export function validateCronJob(m: any, r: Report): void {
  const spec = m.spec ?? {};
  const name = m.metadata?.name;
  if (typeof name === 'string' && name.length > 52) r.error('metadata.name', `Invalid value: ${JSON.stringify(name)}: must be no more than 52 characters`);
  if (!spec.schedule) r.error('spec.schedule', 'Required value');
  else if (/^\s*(CRON_)?TZ=/.test(spec.schedule)) r.error('spec.schedule', `Invalid value: ${JSON.stringify(spec.schedule)}: cannot use TZ or CRON_TZ in schedule, use timeZone field instead`);
  else {
    const problem = parseCronSchedule(spec.schedule);
    if (problem) r.error('spec.schedule', `Invalid value: ${JSON.stringify(spec.schedule)}: ${problem}`);
  }
  if (spec.timeZone !== undefined) {
    let valid = typeof spec.timeZone === 'string' && spec.timeZone.toLowerCase() !== 'local' && spec.timeZone.trim() === spec.timeZone && spec.timeZone !== '';
    if (valid) {
      try { new Intl.DateTimeFormat('en', { timeZone: spec.timeZone }); } catch { valid = false; }
    }
    if (!valid) r.error('spec.timeZone', `Invalid value: ${JSON.stringify(spec.timeZone)}: unknown time zone`);
  }
  oneOf(r, 'spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']);
  for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const) nonNegative(r, `spec.${f}`, spec[f]);
  validateJobSpec(r, 'spec.jobTemplate.spec', spec.jobTemplate?.spec ?? {});
}

export function validatePod(m: any, r: Report): void {
  validatePodSpec(r, 'spec', m.spec ?? {}, { isPod: true });
}

export function validatePodTemplateObject(m: any, r: Report): void {
  validatePodTemplate(r, 'template', m.template);
}
