import {
  ianaSvcNameProblem, isConfigKey, isDnsLabel, isDnsSubdomain, isEnvVarName, isHttpHeaderName, isIntIn, isLabelValue,
  isQualifiedKey, nonNegative, normalizeIp, oneOf, parseQuantity, portOrNameProblem, Report, validateLabelSelector,
  validateTemplateMetadata,
} from './rules';

/*
 * Pod spec rules of the API server (pkg/apis/core/validation: ValidatePodSpec and what it calls,
 * plus the warnings of pkg/api/pod/warnings.go): containers, init containers and native sidecars,
 * ports, env, probes, lifecycle hooks, resources, volumes and mounts, tolerations, DNS, security
 * contexts, topology spread.
 */

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;
const ENV_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const;
const ENV_FIELD_PATHS = new Set(['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs']);
const VOLUME_FIELD_PATHS = new Set(['metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.labels', 'metadata.annotations']);
const SUBSCRIPTED_FIELD_PATH = /^metadata\.(labels|annotations)\['[^']+'\]$/;
const RESOURCE_FIELD_REF = /^(limits|requests)\.(cpu|memory|ephemeral-storage|hugepages-.+)$/;
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const SYSCTL_NAME = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
const MAX_ID = 2147483647;
const PROJECTED_SOURCES = ['secret', 'configMap', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle'] as const;
const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];

/** What the pod spec belongs to; the server applies a few rules to Pods only. */
export interface PodSpecContext {
  /** The object is a Pod (not a template): image is required. */
  readonly isPod: boolean;
}

/** Validates a pod template (`spec.template`): its metadata and its pod spec. */
export function validatePodTemplate(r: Report, path: string, template: any): void {
  if (!template || typeof template !== 'object') {
    r.error(path, 'Required value: a pod template is required');
    return;
  }
  validateTemplateMetadata(r, `${path}.metadata`, template.metadata);
  validatePodSpec(r, `${path}.spec`, template.spec ?? {}, { isPod: false });
}

/** Validates a pod spec at `path`. */
export function validatePodSpec(r: Report, path: string, spec: any, ctx: PodSpecContext): void {
  const volumes = validateVolumes(r, `${path}.volumes`, spec.volumes ?? []);
  const containers: any[] = spec.containers ?? [];
  if (containers.length === 0) r.error(`${path}.containers`, 'Required value: a pod needs at least one container');
  const names = new Map<string, string>();
  const ports = new Map<string, string>();
  const hostPorts = new Map<string, string>();
  const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
  const visit = (list: any[], field: string, role: 'init' | 'app' | 'ephemeral') => list.forEach((c: any, i: number) => {
    const p = `${path}.${field}[${i}]`;
    const kind = role === 'init' && c?.restartPolicy === 'Always' ? 'sidecar' : role;
    if (isDnsLabel(c?.name)) {
      const first = names.get(c.name);
      if (first) r.error(`${p}.name`, `Duplicate value: ${JSON.stringify(c.name)}: container names must be unique across init, app and ephemeral containers (also ${first})`);
      else names.set(c.name, p);
    }
    validateContainer(r, p, c ?? {}, kind, volumes, ctx, grace, spec);
    (c?.ports ?? []).forEach((port: any, pi: number) => {
      const pp = `${p}.ports[${pi}]`;
      const key = `${port?.containerPort}/${port?.protocol ?? 'TCP'}/${port?.hostIP ?? ''}/${port?.hostPort ?? 0}`;
      const dup = ports.get(key);
      if (dup) r.warn(pp, `duplicate port definition with ${dup}`);
      else ports.set(key, pp);
      if (port?.hostPort) {
        const hk = `${port.hostPort}/${port.protocol ?? 'TCP'}/${port.hostIP ?? ''}`;
        const hdup = hostPorts.get(hk);
        if (hdup) r.error(`${pp}.hostPort`, `Duplicate value: host port ${port.hostPort}/${port.protocol ?? 'TCP'} is also used by ${hdup}`);
        else hostPorts.set(hk, pp);
      }
    });
  });
  visit(spec.initContainers ?? [], 'initContainers', 'init');
  visit(containers, 'containers', 'app');
  visit(spec.ephemeralContainers ?? [], 'ephemeralContainers', 'ephemeral');

  oneOf(r, `${path}.restartPolicy`, spec.restartPolicy, ['Always', 'OnFailure', 'Never']);
  validateDns(r, path, spec);
  (spec.tolerations ?? []).forEach((t: any, i: number) => validateToleration(r, `${path}.tolerations[${i}]`, t ?? {}));
  validatePodSecurityContext(r, `${path}.securityContext`, spec.securityContext, spec);
  for (const [k, v] of Object.entries<any>(spec.nodeSelector ?? {})) {
    if (!isQualifiedKey(k)) r.error(`${path}.nodeSelector`, `invalid label key ${JSON.stringify(k)}`);
    if (!isLabelValue(v)) r.error(`${path}.nodeSelector.${k}`, `invalid label value ${JSON.stringify(v)}`);
  }
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds < 0) {
    r.warn(`${path}.terminationGracePeriodSeconds`, 'must be >= 0; negative values are invalid and will be treated as 1');
  }
  if (spec.activeDeadlineSeconds !== undefined && !isIntIn(spec.activeDeadlineSeconds, 1, MAX_ID)) {
    r.error(`${path}.activeDeadlineSeconds`, `must be between 1 and ${MAX_ID}, inclusive`);
  }
  for (const field of ['hostname', 'subdomain'] as const) {
    if (spec[field] !== undefined && !isDnsLabel(spec[field])) r.error(`${path}.${field}`, `${JSON.stringify(spec[field])} is not a valid DNS label`);
  }
  for (const field of ['serviceAccountName', 'priorityClassName'] as const) {
    if (spec[field] && !isDnsSubdomain(spec[field])) r.error(`${path}.${field}`, `${JSON.stringify(spec[field])} is not a valid DNS subdomain name`);
  }
  (spec.imagePullSecrets ?? []).forEach((s: any, i: number) => {
    if (!s?.name) r.warn(`${path}.imagePullSecrets[${i}].name`, 'invalid empty name ""');
  });
  (spec.hostAliases ?? []).forEach((h: any, i: number) => {
    if (!normalizeIp(h?.ip)) r.error(`${path}.hostAliases[${i}].ip`, `${JSON.stringify(h?.ip)} must be a valid IP address`);
  });
  validateTopologySpread(r, `${path}.topologySpreadConstraints`, spec.topologySpreadConstraints ?? []);
}

function validateContainer(r: Report, p: string, c: any, kind: 'init' | 'sidecar' | 'app' | 'ephemeral', volumes: Map<string, any>, ctx: PodSpecContext, grace: number, pod: any): void {
  if (!isDnsLabel(c.name)) r.error(`${p}.name`, c.name ? `${JSON.stringify(c.name)} is not a valid DNS label` : 'Required value');
  // Only Pods: templates may leave the image to a controller (validateContainersOnlyForPod).
  if (ctx.isPod && typeof c.image === 'string' && c.image !== c.image.trim()) r.error(`${p}.image`, 'must not have leading or trailing whitespace');
  if (ctx.isPod && !c.image) r.error(`${p}.image`, 'Required value');
  oneOf(r, `${p}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']);
  oneOf(r, `${p}.terminationMessagePolicy`, c.terminationMessagePolicy, ['File', 'FallbackToLogsOnError']);
  if (c.restartPolicy !== undefined) {
    if (kind === 'init') oneOf(r, `${p}.restartPolicy`, c.restartPolicy, ['Always']);
    else if (kind !== 'sidecar') r.error(`${p}.restartPolicy`, 'Forbidden: may not be set for non-init containers');
  }
  validatePorts(r, p, c.ports ?? []);
  validateEnv(r, p, c);
  validateMounts(r, p, c.volumeMounts ?? [], volumes, c);
  validateResources(r, `${p}.resources`, c.resources);
  validateContainerSecurityContext(r, `${p}.securityContext`, c.securityContext, pod);
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    if (!c[probe]) continue;
    if (kind === 'init' || kind === 'ephemeral') {
      r.error(`${p}.${probe}`, `Forbidden: may not be set for ${kind === 'init' ? 'init containers without restartPolicy=Always' : 'ephemeral containers'}`);
      continue;
    }
    validateProbe(r, `${p}.${probe}`, c[probe], probe);
  }
  if (c.lifecycle) {
    if (kind === 'init' || kind === 'ephemeral') r.error(`${p}.lifecycle`, `Forbidden: may not be set for ${kind === 'init' ? 'init containers without restartPolicy=Always' : 'ephemeral containers'}`);
    else for (const hook of ['postStart', 'preStop'] as const) if (c.lifecycle[hook]) validateHandler(r, `${p}.lifecycle.${hook}`, c.lifecycle[hook], LIFECYCLE_HANDLERS, grace);
  }
}

function validatePorts(r: Report, p: string, ports: any[]): void {
  const names = new Set<string>();
  ports.forEach((port: any, i: number) => {
    const pp = `${p}.ports[${i}]`;
    if (!isIntIn(port?.containerPort, 1, 65535)) r.error(`${pp}.containerPort`, port?.containerPort === undefined ? 'Required value' : `Invalid value: ${JSON.stringify(port?.containerPort)}: must be between 1 and 65535, inclusive`);
    if (port?.hostPort !== undefined && port.hostPort !== 0 && !isIntIn(port.hostPort, 1, 65535)) r.error(`${pp}.hostPort`, `Invalid value: ${JSON.stringify(port.hostPort)}: must be between 1 and 65535, inclusive`);
    oneOf(r, `${pp}.protocol`, port?.protocol, ['TCP', 'UDP', 'SCTP']);
    if (port?.name !== undefined) {
      const problem = ianaSvcNameProblem(port.name);
      if (problem) r.error(`${pp}.name`, `Invalid value: ${JSON.stringify(port.name)}: ${problem}`);
      else if (names.has(port.name)) r.error(`${pp}.name`, `Duplicate value: ${JSON.stringify(port.name)}: port names must be unique within a container`);
      names.add(port.name);
    }
  });
}

function validateEnv(r: Report, p: string, c: any): void {
  const seen = new Map<string, number>();
  (c.env ?? []).forEach((e: any, i: number) => {
    const ep = `${p}.env[${i}]`;
    if (!e?.name) r.error(`${ep}.name`, 'Required value');
    else if (!isEnvVarName(e.name)) r.error(`${ep}.name`, `Invalid value: ${JSON.stringify(e.name)}: a valid environment variable name must consist only of printable ASCII characters other than '='`);
    else {
      // A redefinition that builds on the earlier value (`$(NAME)-suffix`) is deliberate: the server does not warn.
      const reference = `$(${e.name})`;
      const deliberate = !e.valueFrom && typeof e.value === 'string' && e.value !== reference && e.value.includes(reference);
      if (seen.has(e.name) && !deliberate) r.warn(ep, `hides previous definition of ${JSON.stringify(e.name)} (${p}.env[${seen.get(e.name)}]), which may be dropped when using apply`);
      seen.set(e.name, i);
    }
    const from = e?.valueFrom;
    if (!from) return;
    if (e.value) r.error(`${ep}.valueFrom`, 'Invalid value: may not be specified when `value` is not empty');
    const sources = ENV_SOURCES.filter((s) => from[s] !== undefined);
    if (sources.length === 0) r.error(`${ep}.valueFrom`, 'Invalid value: must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`');
    if (sources.length > 1) r.error(`${ep}.valueFrom`, 'Invalid value: may not have more than one field specified at a time');
    for (const ref of ['configMapKeyRef', 'secretKeyRef'] as const) {
      if (!from[ref]) continue;
      if (!from[ref].name) r.error(`${ep}.valueFrom.${ref}.name`, 'Required value');
      if (!isConfigKey(from[ref].key)) r.error(`${ep}.valueFrom.${ref}.key`, `Invalid value: ${JSON.stringify(from[ref].key)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`);
    }
    const fieldPath = from.fieldRef?.fieldPath;
    if (from.fieldRef && !(ENV_FIELD_PATHS.has(fieldPath) || SUBSCRIPTED_FIELD_PATH.test(fieldPath))) {
      r.error(`${ep}.valueFrom.fieldRef.fieldPath`, `Unsupported value: ${JSON.stringify(fieldPath)}: supported values: ${[...ENV_FIELD_PATHS, "metadata.labels['<KEY>']", "metadata.annotations['<KEY>']"].join(', ')}`);
    }
    if (from.resourceFieldRef && !RESOURCE_FIELD_REF.test(from.resourceFieldRef.resource ?? '')) {
      r.error(`${ep}.valueFrom.resourceFieldRef.resource`, `Unsupported value: ${JSON.stringify(from.resourceFieldRef.resource)}: supported values: limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory, requests.ephemeral-storage (and hugepages)`);
    }
  });
  (c.envFrom ?? []).forEach((e: any, i: number) => {
    const ep = `${p}.envFrom[${i}]`;
    const refs = ['configMapRef', 'secretRef'].filter((k) => e?.[k] !== undefined);
    if (refs.length !== 1) r.error(ep, refs.length === 0 ? 'Required value: one of `configMapRef` or `secretRef` is required' : 'Invalid value: may not have more than one field specified at a time');
    for (const ref of refs) if (!e[ref]?.name) r.error(`${ep}.${ref}.name`, 'Required value');
    if (e?.prefix !== undefined && e.prefix !== '' && !isEnvVarName(e.prefix)) r.error(`${ep}.prefix`, "a valid environment variable name must consist only of printable ASCII characters other than '='");
  });
}

function validateMounts(r: Report, p: string, mounts: any[], volumes: Map<string, any>, c: any): void {
  const paths = new Set<string>();
  mounts.forEach((m: any, i: number) => {
    const mp = `${p}.volumeMounts[${i}]`;
    if (!m?.name) r.error(`${mp}.name`, 'Required value');
    else if (!volumes.has(m.name)) r.error(`${mp}.name`, `Not found: ${JSON.stringify(m.name)}: no volume of that name in the pod`);
    if (!m?.mountPath) r.error(`${mp}.mountPath`, 'Required value');
    else if (paths.has(m.mountPath)) r.error(`${mp}.mountPath`, `Invalid value: ${JSON.stringify(m.mountPath)}: must be unique`);
    else paths.add(m.mountPath);
    if (m?.subPath) {
      const problem = relativePathProblem(m.subPath);
      if (problem) r.error(`${mp}.subPath`, `Invalid value: ${JSON.stringify(m.subPath)}: ${problem}`);
    }
    if (m?.subPath && m?.subPathExpr) r.error(`${mp}.subPathExpr`, 'Invalid value: subPathExpr and subPath are mutually exclusive');
    oneOf(r, `${mp}.mountPropagation`, m?.mountPropagation, ['None', 'HostToContainer', 'Bidirectional']);
    if (m?.mountPropagation === 'Bidirectional' && !c.securityContext?.privileged) r.error(`${mp}.mountPropagation`, 'Forbidden: Bidirectional mount propagation is available only to privileged containers');
    oneOf(r, `${mp}.recursiveReadOnly`, m?.recursiveReadOnly, ['Disabled', 'IfPossible', 'Enabled']);
    if (m?.recursiveReadOnly === 'Enabled' && !m.readOnly) r.error(`${mp}.recursiveReadOnly`, 'Forbidden: may only be specified when readOnly is true');
  });
}

function relativePathProblem(path: string): string | undefined {
  if (path.startsWith('/')) return 'must be a relative path';
  if (path.split('/').includes('..')) return "must not contain '..'";
  return undefined;
}

function validateProbe(r: Report, p: string, probe: any, kind: 'livenessProbe' | 'readinessProbe' | 'startupProbe'): void {
  validateHandler(r, p, probe, PROBE_HANDLERS);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) nonNegative(r, `${p}.${f}`, probe[f]);
  if (kind !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    r.error(`${p}.successThreshold`, `Invalid value: ${probe.successThreshold}: must be 1`);
  }
  if (probe.terminationGracePeriodSeconds !== undefined) {
    if (kind === 'readinessProbe') r.error(`${p}.terminationGracePeriodSeconds`, 'Invalid value: must not be set for readinessProbes');
    else if (!(probe.terminationGracePeriodSeconds > 0)) r.error(`${p}.terminationGracePeriodSeconds`, `Invalid value: ${probe.terminationGracePeriodSeconds}: must be greater than 0`);
  }
}

/** Probes and lifecycle hooks: exactly one handler, each handler's fields. */
function validateHandler(r: Report, p: string, handler: any, allowed: readonly string[], grace?: number): void {
  const set = allowed.filter((h) => handler[h] !== undefined && handler[h] !== null);
  if (set.length === 0) r.error(p, `Required value: must specify a handler type (one of ${allowed.join(', ')})`);
  for (const extra of set.slice(1)) r.error(`${p}.${extra}`, `Forbidden: may not specify more than 1 handler type (also ${set[0]})`);
  if (handler.exec && !(handler.exec.command ?? []).length) r.error(`${p}.exec.command`, 'Required value');
  if (handler.httpGet) {
    const problem = portOrNameProblem(handler.httpGet.port);
    if (problem) r.error(`${p}.httpGet.port`, `Invalid value: ${JSON.stringify(handler.httpGet.port)}: ${problem}`);
    oneOf(r, `${p}.httpGet.scheme`, handler.httpGet.scheme, ['HTTP', 'HTTPS']);
    (handler.httpGet.httpHeaders ?? []).forEach((h: any, i: number) => {
      if (!isHttpHeaderName(h?.name)) r.error(`${p}.httpGet.httpHeaders[${i}].name`, `Invalid value: ${JSON.stringify(h?.name)}: a valid HTTP header must consist of alphanumeric characters or '-'`);
    });
  }
  if (handler.tcpSocket) {
    const problem = portOrNameProblem(handler.tcpSocket.port);
    if (problem) r.error(`${p}.tcpSocket.port`, `Invalid value: ${JSON.stringify(handler.tcpSocket.port)}: ${problem}`);
  }
  if (handler.grpc && !isIntIn(handler.grpc.port, 1, 65535)) r.error(`${p}.grpc.port`, `Invalid value: ${JSON.stringify(handler.grpc.port)}: must be between 1 and 65535, inclusive`);
  if (handler.sleep && grace !== undefined && !(isIntIn(handler.sleep.seconds, 1, MAX_ID) && handler.sleep.seconds <= grace)) {
    r.error(`${p}.sleep.seconds`, `Invalid value: ${JSON.stringify(handler.sleep.seconds)}: must be greater than 0 and less than terminationGracePeriodSeconds (${grace})`);
  }
}

/** Container resources: names, quantities, requests ≤ limits, extended resources requested as limited. */
export function validateResources(r: Report, p: string, resources: any): void {
  if (!resources) return;
  const limits: Record<string, unknown> = resources.limits ?? {};
  const requests: Record<string, unknown> = resources.requests ?? {};
  const parsed = (section: 'limits' | 'requests', values: Record<string, unknown>) => {
    const out = new Map<string, number>();
    for (const [name, raw] of Object.entries(values)) {
      const path = `${p}.${section}.${name}`;
      const extended = name.includes('/') && !name.startsWith('kubernetes.io/');
      if (!(STANDARD_CONTAINER_RESOURCES.has(name) || name.startsWith('hugepages-') || (extended && isQualifiedKey(name)))) {
        r.error(path, `Invalid value: ${JSON.stringify(name)}: must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>) or a fully-qualified extended resource`);
        continue;
      }
      const value = parseQuantity(raw);
      if (value === undefined) { r.error(path, `Invalid value: ${JSON.stringify(raw)}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`); continue; }
      if (value < 0) { r.error(path, `Invalid value: ${JSON.stringify(raw)}: must be greater than or equal to 0`); continue; }
      if (extended && !Number.isInteger(value)) r.error(path, `Invalid value: ${JSON.stringify(raw)}: must be an integer`);
      if (name === 'memory' && !Number.isInteger(value)) r.warn(path, `fractional byte value ${JSON.stringify(raw)} is invalid, must be an integer`);
      out.set(name, value);
    }
    return out;
  };
  const lim = parsed('limits', limits);
  const req = parsed('requests', requests);
  for (const [name, value] of req) {
    const limit = lim.get(name);
    const extended = name.includes('/');
    if (extended || name.startsWith('hugepages-')) {
      if (limit === undefined) r.error(`${p}.limits`, `Required value: Limit must be set for non overcommitable resources (${name})`);
      else if (limit !== value) r.error(`${p}.requests`, `Invalid value: ${JSON.stringify(requests[name])}: must be equal to ${name} limit of ${limits[name]}`);
    } else if (limit !== undefined && value > limit) {
      r.error(`${p}.requests`, `Invalid value: ${JSON.stringify(String(requests[name]))}: must be less than or equal to ${name} limit of ${limits[name]}`);
    }
  }
  if ([...lim.keys(), ...req.keys()].some((n) => n.startsWith('hugepages-')) && !lim.has('cpu') && !lim.has('memory') && !req.has('cpu') && !req.has('memory')) {
    r.error(p, 'Forbidden: HugePages require cpu or memory');
  }
}

function validateVolumes(r: Report, p: string, volumes: any[]): Map<string, any> {
  const byName = new Map<string, any>();
  volumes.forEach((v: any, i: number) => {
    const vp = `${p}[${i}]`;
    if (!v?.name) r.error(`${vp}.name`, 'Required value');
    else if (!isDnsLabel(v.name)) r.error(`${vp}.name`, `Invalid value: ${JSON.stringify(v.name)}: must be a DNS label`);
    else if (byName.has(v.name)) r.error(`${vp}.name`, `Duplicate value: ${JSON.stringify(v.name)}`);
    if (v?.name) byName.set(v.name, v);
    const sources = Object.keys(v ?? {}).filter((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
    if (sources.length === 0) r.error(vp, 'Required value: must specify a volume type');
    for (const extra of sources.slice(1)) r.error(`${vp}.${extra}`, `Forbidden: may not specify more than 1 volume type (also ${sources[0]})`);
    validateVolumeSource(r, vp, v ?? {});
  });
  return byName;
}

function validateVolumeSource(r: Report, vp: string, v: any): void {
  if (v.configMap) {
    if (!v.configMap.name) r.error(`${vp}.configMap.name`, 'Required value');
    validateKeyToPaths(r, `${vp}.configMap`, v.configMap);
  }
  if (v.secret) {
    if (!v.secret.secretName) r.error(`${vp}.secret.secretName`, 'Required value');
    validateKeyToPaths(r, `${vp}.secret`, v.secret);
  }
  if (v.emptyDir) {
    const medium = v.emptyDir.medium;
    if (medium !== undefined && !(medium === '' || medium === 'Memory' || medium === 'HugePages' || String(medium).startsWith('HugePages-'))) {
      r.error(`${vp}.emptyDir.medium`, `Unsupported value: ${JSON.stringify(medium)}: supported values: "", "Memory", "HugePages"`);
    }
    if (v.emptyDir.sizeLimit !== undefined) {
      const size = parseQuantity(v.emptyDir.sizeLimit);
      if (size === undefined || size < 0) r.error(`${vp}.emptyDir.sizeLimit`, `Invalid value: ${JSON.stringify(v.emptyDir.sizeLimit)}: must be a non-negative quantity`);
    }
  }
  if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) r.error(`${vp}.persistentVolumeClaim.claimName`, 'Required value');
  if (v.hostPath) {
    if (!v.hostPath.path) r.error(`${vp}.hostPath.path`, 'Required value');
    else if (String(v.hostPath.path).split('/').includes('..')) r.error(`${vp}.hostPath.path`, "Invalid value: must not contain '..'");
    oneOf(r, `${vp}.hostPath.type`, v.hostPath.type, HOST_PATH_TYPES);
  }
  if (v.downwardAPI) validateDownwardItems(r, `${vp}.downwardAPI`, v.downwardAPI);
  if (v.csi && !v.csi.driver) r.error(`${vp}.csi.driver`, 'Required value');
  if (v.ephemeral && !v.ephemeral.volumeClaimTemplate) r.error(`${vp}.ephemeral.volumeClaimTemplate`, 'Required value');
  if (v.projected) {
    validateMode(r, `${vp}.projected.defaultMode`, v.projected.defaultMode);
    const paths = new Set<string>();
    (v.projected.sources ?? []).forEach((s: any, i: number) => {
      const sp = `${vp}.projected.sources[${i}]`;
      const kinds = PROJECTED_SOURCES.filter((k) => s?.[k] !== undefined);
      if (kinds.length !== 1) r.error(sp, kinds.length === 0 ? 'Required value: must specify one of secret, configMap, downwardAPI, serviceAccountToken, clusterTrustBundle' : 'Forbidden: may not specify more than 1 volume type per source');
      const collect = (path: unknown, at: string) => {
        if (typeof path !== 'string') return;
        if (paths.has(path)) r.error(at, `Invalid value: ${JSON.stringify(path)}: conflicting duplicate paths`);
        paths.add(path);
      };
      if (s?.secret) validateKeyToPaths(r, `${sp}.secret`, s.secret);
      if (s?.configMap) validateKeyToPaths(r, `${sp}.configMap`, s.configMap);
      if (s?.downwardAPI) validateDownwardItems(r, `${sp}.downwardAPI`, s.downwardAPI);
      for (const k of ['secret', 'configMap', 'downwardAPI'] as const) (s?.[k]?.items ?? []).forEach((it: any, j: number) => collect(it?.path, `${sp}.${k}.items[${j}].path`));
      const token = s?.serviceAccountToken;
      if (token) {
        if (!token.path) r.error(`${sp}.serviceAccountToken.path`, 'Required value');
        else {
          const problem = relativePathProblem(token.path);
          if (problem) r.error(`${sp}.serviceAccountToken.path`, `Invalid value: ${JSON.stringify(token.path)}: ${problem}`);
          collect(token.path, `${sp}.serviceAccountToken.path`);
        }
        if (token.expirationSeconds !== undefined && token.expirationSeconds < 600) r.error(`${sp}.serviceAccountToken.expirationSeconds`, 'Invalid value: may not specify a duration less than 10 minutes');
        if (token.expirationSeconds !== undefined && token.expirationSeconds > 2 ** 32) r.error(`${sp}.serviceAccountToken.expirationSeconds`, 'Invalid value: may not specify a duration larger than 2^32 seconds');
      }
    });
  }
}

function validateMode(r: Report, p: string, mode: unknown): void {
  if (mode !== undefined && !isIntIn(mode, 0, 0o777)) r.error(p, `Invalid value: ${JSON.stringify(mode)}: must be a number between 0 and 0777 (octal), both inclusive`);
}

function validateKeyToPaths(r: Report, p: string, source: any): void {
  validateMode(r, `${p}.defaultMode`, source.defaultMode);
  (source.items ?? []).forEach((it: any, i: number) => {
    const ip = `${p}.items[${i}]`;
    if (!it?.key) r.error(`${ip}.key`, 'Required value');
    if (!it?.path) r.error(`${ip}.path`, 'Required value');
    else {
      const problem = relativePathProblem(it.path);
      if (problem) r.error(`${ip}.path`, `Invalid value: ${JSON.stringify(it.path)}: ${problem}`);
    }
    validateMode(r, `${ip}.mode`, it?.mode);
  });
}

function validateDownwardItems(r: Report, p: string, source: any): void {
  validateMode(r, `${p}.defaultMode`, source.defaultMode);
  (source.items ?? []).forEach((it: any, i: number) => {
    const ip = `${p}.items[${i}]`;
    if (!it?.path) r.error(`${ip}.path`, 'Required value');
    else {
      const problem = relativePathProblem(it.path);
      if (problem) r.error(`${ip}.path`, `Invalid value: ${JSON.stringify(it.path)}: ${problem}`);
    }
    const refs = ['fieldRef', 'resourceFieldRef'].filter((k) => it?.[k] !== undefined);
    if (refs.length !== 1) r.error(ip, 'Invalid value: fieldRef and resourceFieldRef can not be specified simultaneously, and one is required');
    const fp = it?.fieldRef?.fieldPath;
    if (it?.fieldRef && !(VOLUME_FIELD_PATHS.has(fp) || SUBSCRIPTED_FIELD_PATH.test(fp))) r.error(`${ip}.fieldRef.fieldPath`, `Unsupported value: ${JSON.stringify(fp)}: supported values: ${[...VOLUME_FIELD_PATHS].join(', ')}`);
    validateMode(r, `${ip}.mode`, it?.mode);
  });
}

/** One toleration: operator and effect values, value and key consistency. */
export function validateToleration(r: Report, p: string, t: any): void {
  if (t.key !== undefined && t.key !== '' && !isQualifiedKey(t.key)) r.error(`${p}.key`, `Invalid value: ${JSON.stringify(t.key)}: must be a qualified name`);
  if (!t.key && t.operator !== 'Exists') {
    r.error(`${p}.operator`, `Invalid value: ${JSON.stringify(t.operator ?? '')}: operator must be Exists when \`key\` is empty, which means "match all values and all keys"`);
  }
  if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
    r.error(`${p}.effect`, `Invalid value: ${JSON.stringify(t.effect ?? '')}: effect must be 'NoExecute' when \`tolerationSeconds\` is set`);
  }
  if (t.operator === undefined || t.operator === '' || t.operator === 'Equal') {
    if (t.value !== undefined && !isLabelValue(t.value)) r.error(`${p}.value`, `Invalid value: ${JSON.stringify(t.value)}: must be a valid label value`);
  } else if (t.operator === 'Exists') {
    if (t.value) r.error(`${p}.operator`, 'Invalid value: "Exists": value must be empty when `operator` is \'Exists\'');
  } else {
    r.error(`${p}.operator`, `Unsupported value: ${JSON.stringify(t.operator)}: supported values: "Equal", "Exists"`);
  }
  if (t.effect !== undefined && t.effect !== '') oneOf(r, `${p}.effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
}

function validateDns(r: Report, path: string, spec: any): void {
  oneOf(r, `${path}.dnsPolicy`, spec.dnsPolicy, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']);
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None' && !(cfg?.nameservers ?? []).length) {
    r.error(`${path}.dnsConfig.nameservers`, 'Required value: must provide at least one DNS nameserver when DNSPolicy is set to None');
  }
  if (!cfg) return;
  const ns: unknown[] = cfg.nameservers ?? [];
  if (ns.length > 3) r.error(`${path}.dnsConfig.nameservers`, `Invalid value: must not have more than 3 nameservers (got ${ns.length})`);
  ns.forEach((n, i) => { if (!normalizeIp(n)) r.error(`${path}.dnsConfig.nameservers[${i}]`, `Invalid value: ${JSON.stringify(n)}: must be valid IP address`); });
  const searches: unknown[] = cfg.searches ?? [];
  if (searches.length > 32) r.error(`${path}.dnsConfig.searches`, `Invalid value: must not have more than 32 search paths (got ${searches.length})`);
  searches.forEach((s, i) => {
    const name = typeof s === 'string' && s.endsWith('.') ? s.slice(0, -1) : s;
    if (!isDnsSubdomain(name)) r.error(`${path}.dnsConfig.searches[${i}]`, `Invalid value: ${JSON.stringify(s)}: must be a DNS subdomain`);
  });
  (cfg.options ?? []).forEach((o: any, i: number) => { if (!o?.name) r.error(`${path}.dnsConfig.options[${i}].name`, 'Required value: Must not be empty'); });
}

function validateIds(r: Report, p: string, sc: any): void {
  for (const f of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    if (sc[f] !== undefined && sc[f] !== null && !isIntIn(sc[f], 0, MAX_ID)) r.error(`${p}.${f}`, `Invalid value: ${sc[f]}: must be between 0 and ${MAX_ID}, inclusive`);
  }
}

function validateSeccomp(r: Report, p: string, profile: any): void {
  if (!profile) return;
  oneOf(r, `${p}.type`, profile.type, ['RuntimeDefault', 'Unconfined', 'Localhost']);
  if (profile.type === 'Localhost' && !profile.localhostProfile) r.error(`${p}.localhostProfile`, 'Required value: must be set when seccomp type is Localhost');
  if (profile.type !== 'Localhost' && profile.localhostProfile) r.error(`${p}.localhostProfile`, 'Invalid value: can only be set when seccomp type is Localhost');
}

function validatePodSecurityContext(r: Report, p: string, sc: any, spec: any): void {
  if (!sc) return;
  validateIds(r, p, sc);
  (sc.supplementalGroups ?? []).forEach((g: unknown, i: number) => { if (!isIntIn(g, 0, MAX_ID)) r.error(`${p}.supplementalGroups[${i}]`, `Invalid value: ${g}: must be between 0 and ${MAX_ID}, inclusive`); });
  oneOf(r, `${p}.fsGroupChangePolicy`, sc.fsGroupChangePolicy, ['OnRootMismatch', 'Always']);
  validateSeccomp(r, `${p}.seccompProfile`, sc.seccompProfile);
  const names = new Set<string>();
  (sc.sysctls ?? []).forEach((s: any, i: number) => {
    const sp = `${p}.sysctls[${i}]`;
    const name = s?.name;
    if (!name) r.error(`${sp}.name`, 'Required value');
    else if (name.length > 253 || !SYSCTL_NAME.test(name)) r.error(`${sp}.name`, `Invalid value: ${JSON.stringify(name)}: must have at most 253 characters and match regex ${SYSCTL_NAME.source}`);
    else if (names.has(name)) r.error(`${sp}.name`, `Duplicate value: ${JSON.stringify(name)}`);
    else if (spec.hostNetwork && (name.startsWith('net.') || name.startsWith('net/'))) r.error(`${sp}.name`, `Invalid value: ${JSON.stringify(name)}: may not be specified when 'hostNetwork' is true`);
    if (name) names.add(name);
  });
}

function validateContainerSecurityContext(r: Report, p: string, sc: any, pod: any): void {
  if (!sc) return;
  validateIds(r, p, sc);
  validateSeccomp(r, `${p}.seccompProfile`, sc.seccompProfile);
  oneOf(r, `${p}.procMount`, sc.procMount, ['Default', 'Unmasked']);
  if (sc.procMount === 'Unmasked' && pod.hostUsers !== false) r.error(`${p}.procMount`, 'Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`');
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged) r.error(p, 'Invalid value: cannot set `allowPrivilegeEscalation` to false and `privileged` to true');
    const added: unknown[] = sc.capabilities?.add ?? [];
    if (added.includes('SYS_ADMIN') || added.includes('CAP_SYS_ADMIN')) r.error(p, 'Invalid value: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN');
  }
}

function validateTopologySpread(r: Report, p: string, constraints: any[]): void {
  const seen = new Set<string>();
  constraints.forEach((c: any, i: number) => {
    const cp = `${p}[${i}]`;
    if (!(typeof c?.maxSkew === 'number' && c.maxSkew > 0)) r.error(`${cp}.maxSkew`, `Invalid value: ${JSON.stringify(c?.maxSkew)}: must be greater than zero`);
    if (!c?.topologyKey) r.error(`${cp}.topologyKey`, 'Required value: can not be empty');
    else if (!isQualifiedKey(c.topologyKey)) r.error(`${cp}.topologyKey`, `Invalid value: ${JSON.stringify(c.topologyKey)}: must be a qualified name`);
    oneOf(r, `${cp}.whenUnsatisfiable`, c?.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway']);
    if (c?.minDomains !== undefined) {
      if (!(c.minDomains > 0)) r.error(`${cp}.minDomains`, `Invalid value: ${c.minDomains}: must be greater than 0`);
      else if (c.whenUnsatisfiable !== 'DoNotSchedule') r.error(`${cp}.minDomains`, 'Invalid value: can only use minDomains if whenUnsatisfiable=DoNotSchedule');
    }
    const key = `${c?.topologyKey}/${c?.whenUnsatisfiable}`;
    if (seen.has(key)) r.error(cp, `Duplicate value: {${c?.topologyKey}, ${c?.whenUnsatisfiable}}`);
    seen.add(key);
    oneOf(r, `${cp}.nodeAffinityPolicy`, c?.nodeAffinityPolicy, ['Honor', 'Ignore']);
    oneOf(r, `${cp}.nodeTaintsPolicy`, c?.nodeTaintsPolicy, ['Honor', 'Ignore']);
    validateLabelSelector(r, `${cp}.labelSelector`, c?.labelSelector);
  });
}
