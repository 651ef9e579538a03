import {
  isDnsLabel, isDnsSubdomain, isIntIn, isLabelValue, isQualifiedKey, normalizeIp, oneOf, parseCidr,
  portOrNameProblem, Report,
} from './rules';

/*
 * Service rules of the API server (ValidateService in pkg/apis/core/validation, warnings of
 * pkg/api/service/warnings.go): ports, their names and numbers, targetPort, nodePort only where a
 * node port exists, the type's own rules (ExternalName, headless), session affinity, traffic policies.
 */

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export function validateService(m: any, r: Report): void {
  const spec = m.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  oneOf(r, 'spec.type', spec.type, TYPES);
  const headless = spec.clusterIP === 'None';
  const ports: any[] = spec.ports ?? [];
  if (ports.length === 0 && type !== 'ExternalName' && !headless) r.error('spec.ports', 'Required value');
  const externallyReachable = type === 'NodePort' || type === 'LoadBalancer';
  const names = new Set<string>();
  const portKeys = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((p: any, i: number) => {
    const pp = `spec.ports[${i}]`;
    if (ports.length > 1 && !p?.name) r.error(`${pp}.name`, 'Required value: a name is required when a Service has more than one port');
    if (p?.name) {
      if (!isDnsLabel(p.name)) r.error(`${pp}.name`, `Invalid value: ${JSON.stringify(p.name)}: must be a DNS label`);
      else if (names.has(p.name)) r.error(`${pp}.name`, `Duplicate value: ${JSON.stringify(p.name)}`);
      names.add(p.name);
    }
    if (!isIntIn(p?.port, 1, 65535)) r.error(`${pp}.port`, `Invalid value: ${JSON.stringify(p?.port)}: must be between 1 and 65535, inclusive`);
    oneOf(r, `${pp}.protocol`, p?.protocol, ['TCP', 'UDP', 'SCTP']);
    const key = `${p?.port}/${p?.protocol ?? 'TCP'}`;
    if (portKeys.has(key)) r.error(pp, `Duplicate value: port ${p?.port}/${p?.protocol ?? 'TCP'} is already defined`);
    portKeys.add(key);
    if (p?.targetPort !== undefined) {
      const problem = portOrNameProblem(p.targetPort, true);
      if (problem) r.error(`${pp}.targetPort`, `Invalid value: ${JSON.stringify(p.targetPort)}: ${problem}`);
    }
    if (p?.appProtocol !== undefined && !isQualifiedKey(p.appProtocol)) r.error(`${pp}.appProtocol`, `Invalid value: ${JSON.stringify(p.appProtocol)}: must be a qualified name`);
    if (p?.nodePort !== undefined && p.nodePort !== 0) {
      if (!externallyReachable) r.error(`${pp}.nodePort`, `Forbidden: may not be used when \`type\` is '${type}'`);
      else if (!isIntIn(p.nodePort, 1, 65535)) r.error(`${pp}.nodePort`, `Invalid value: ${JSON.stringify(p.nodePort)}: must be between 1 and 65535, inclusive`);
      const nk = `${p.nodePort}/${p.protocol ?? 'TCP'}`;
      if (nodePorts.has(nk)) r.error(`${pp}.nodePort`, `Duplicate value: ${JSON.stringify(p.nodePort)}`);
      nodePorts.add(nk);
    }
  });

  if (type === 'ExternalName') {
    if (!spec.externalName) r.error('spec.externalName', 'Required value');
    else if (!isDnsSubdomain(String(spec.externalName).replace(/\.$/, ''))) r.error('spec.externalName', `Invalid value: ${JSON.stringify(spec.externalName)}: must be a DNS subdomain`);
    if (spec.clusterIP) r.error('spec.clusterIP', "Forbidden: may not be set for ExternalName services");
  }
  if (headless && externallyReachable) r.error('spec.clusterIP', "Invalid value: \"None\": may not be set to 'None' for LoadBalancer or NodePort services");
  if (spec.clusterIP && spec.clusterIP !== 'None' && !normalizeIp(spec.clusterIP)) r.error('spec.clusterIP', `Invalid value: ${JSON.stringify(spec.clusterIP)}: must be a valid IP address or "None"`);
  (spec.clusterIPs ?? []).forEach((ip: unknown, i: number) => {
    if (ip !== 'None' && !normalizeIp(ip)) r.error(`spec.clusterIPs[${i}]`, `Invalid value: ${JSON.stringify(ip)}: must be a valid IP address or "None"`);
  });
  (spec.externalIPs ?? []).forEach((ip: unknown, i: number) => {
    if (!normalizeIp(ip)) r.error(`spec.externalIPs[${i}]`, `Invalid value: ${JSON.stringify(ip)}: must be a valid IP`);
  });

  oneOf(r, 'spec.sessionAffinity', spec.sessionAffinity, ['None', 'ClientIP']);
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (timeout !== undefined) {
    if (spec.sessionAffinity !== 'ClientIP') r.error('spec.sessionAffinityConfig', 'Invalid value: must not be set when session affinity is None');
    else if (!isIntIn(timeout, 1, 86400)) r.error('spec.sessionAffinityConfig.clientIP.timeoutSeconds', `Invalid value: ${timeout}: must be greater than 0 and less than 86400`);
  }
  if (spec.externalTrafficPolicy !== undefined) {
    if (!externallyReachable) r.error('spec.externalTrafficPolicy', "Invalid value: may only be set when `type` is 'NodePort' or 'LoadBalancer'");
    else oneOf(r, 'spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']);
  }
  if (spec.healthCheckNodePort !== undefined && !(type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local')) {
    r.error('spec.healthCheckNodePort', "Invalid value: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
  }
  oneOf(r, 'spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']);
  if (spec.allocateLoadBalancerNodePorts !== undefined && type !== 'LoadBalancer') r.error('spec.allocateLoadBalancerNodePorts', "Forbidden: may only be used when `type` is 'LoadBalancer'");
  if (spec.loadBalancerSourceRanges !== undefined) {
    if (type !== 'LoadBalancer') r.error('spec.loadBalancerSourceRanges', "Forbidden: may only be used when `type` is 'LoadBalancer'");
    (spec.loadBalancerSourceRanges ?? []).forEach((c: unknown, i: number) => {
      if (!parseCidr(typeof c === 'string' ? c.trim() : c)) r.error(`spec.loadBalancerSourceRanges[${i}]`, `Invalid value: ${JSON.stringify(c)}: must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24`);
    });
  }
  if (spec.loadBalancerIP !== undefined) r.warn('spec.loadBalancerIP', 'is deprecated and may not be supported by the load balancer implementation');
  oneOf(r, 'spec.ipFamilyPolicy', spec.ipFamilyPolicy, ['SingleStack', 'PreferDualStack', 'RequireDualStack']);
  const families: unknown[] = spec.ipFamilies ?? [];
  families.forEach((f, i) => oneOf(r, `spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
  if (families.length > 2 || new Set(families).size !== families.length) r.error('spec.ipFamilies', 'Invalid value: at most one of each of IPv4 and IPv6');
  for (const [k, v] of Object.entries<any>(spec.selector ?? {})) {
    if (!isQualifiedKey(k)) r.error('spec.selector', `invalid label key ${JSON.stringify(k)}`);
    if (!isLabelValue(v)) r.error(`spec.selector.${k}`, `invalid label value ${JSON.stringify(v)}`);
  }
}
