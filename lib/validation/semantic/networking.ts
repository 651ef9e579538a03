import {
  isDns1035Label, isDnsSubdomain, isIntIn, isStrictSubnet, normalizeIp, oneOf, parseCidr, portOrNameProblem, Report,
  validateLabelSelector,
} from './rules';

/*
 * NetworkPolicy and Ingress rules of the API server (pkg/apis/networking/validation): ports and
 * port ranges, peers that are either an ipBlock or selectors, CIDRs and their exceptions, Ingress
 * hosts, paths and path types, backends that are exactly one service or resource.
 */

const WILDCARD_HOST = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

export function validateNetworkPolicy(m: any, r: Report): void {
  const spec = m.spec ?? {};
  validateLabelSelector(r, 'spec.podSelector', spec.podSelector);
  for (const dir of ['ingress', 'egress'] as const) {
    const peersField = dir === 'ingress' ? 'from' : 'to';
    (spec[dir] ?? []).forEach((rule: any, i: number) => {
      const rp = `spec.${dir}[${i}]`;
      (rule?.ports ?? []).forEach((port: any, j: number) => validatePolicyPort(r, `${rp}.ports[${j}]`, port ?? {}));
      (rule?.[peersField] ?? []).forEach((peer: any, j: number) => validatePeer(r, `${rp}.${peersField}[${j}]`, peer ?? {}));
    });
  }
  const types: unknown[] = spec.policyTypes ?? [];
  types.forEach((t, i) => oneOf(r, `spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  if (types.length > 2) r.error('spec.policyTypes', `Invalid value: ${JSON.stringify(types)}: may not have more than 2 elements`);
}

function validatePolicyPort(r: Report, p: string, port: any): void {
  oneOf(r, `${p}.protocol`, port.protocol, ['TCP', 'UDP', 'SCTP']);
  if (port.port !== undefined) {
    const problem = portOrNameProblem(port.port);
    if (problem) r.error(`${p}.port`, `Invalid value: ${JSON.stringify(port.port)}: ${problem}`);
  }
  if (port.endPort !== undefined) {
    if (typeof port.port !== 'number') r.error(`${p}.endPort`, 'Required value: may not be specified when `port` is not a number');
    else if (!isIntIn(port.endPort, 1, 65535)) r.error(`${p}.endPort`, `Invalid value: ${JSON.stringify(port.endPort)}: must be between 1 and 65535, inclusive`);
    else if (port.endPort < port.port) r.error(`${p}.endPort`, `Invalid value: ${port.endPort}: must be greater than or equal to \`port\``);
  }
}

function validatePeer(r: Report, p: string, peer: any): void {
  const selectors = ['podSelector', 'namespaceSelector'].filter((k) => peer[k] !== undefined && peer[k] !== null);
  if (peer.ipBlock && selectors.length > 0) r.error(p, 'Forbidden: may not specify both ipBlock and another peer');
  if (!peer.ipBlock && selectors.length === 0) r.error(p, 'Required value: must specify a peer');
  for (const s of selectors) validateLabelSelector(r, `${p}.${s}`, peer[s]);
  if (!peer.ipBlock) return;
  const cidr = parseCidr(peer.ipBlock.cidr);
  if (!peer.ipBlock.cidr) r.error(`${p}.ipBlock.cidr`, 'Required value');
  else if (!cidr) r.error(`${p}.ipBlock.cidr`, `Invalid value: ${JSON.stringify(peer.ipBlock.cidr)}: must be a valid CIDR (e.g. 10.0.0.0/8 or fd00::/8)`);
  (peer.ipBlock.except ?? []).forEach((e: unknown, i: number) => {
    const ep = `${p}.ipBlock.except[${i}]`;
    const except = parseCidr(e);
    if (!except) r.error(ep, `Invalid value: ${JSON.stringify(e)}: must be a valid CIDR (e.g. 10.0.0.0/8 or fd00::/8)`);
    else if (cidr && !isStrictSubnet(except, cidr)) r.error(ep, `Invalid value: ${JSON.stringify(e)}: must be a strict subset of \`cidr\``);
  });
}

/** An Ingress backend: exactly one of service or resource; the service's name and one of port name or number. */
function validateBackend(r: Report, p: string, backend: any): void {
  if (backend.service && backend.resource) { r.error(p, 'Invalid value: cannot set both resource and service backends'); return; }
  if (!backend.service && !backend.resource) { r.error(p, 'Invalid value: resource or service backend is required'); return; }
  const svc = backend.service;
  if (svc) {
    if (!isDns1035Label(svc.name)) r.error(`${p}.service.name`, `Invalid value: ${JSON.stringify(svc.name)}: must be a DNS-1035 label (a Service name)`);
    const port = svc.port ?? {};
    const hasName = port.name !== undefined && port.name !== '';
    const hasNumber = port.number !== undefined && port.number !== 0;
    if (hasName && hasNumber) r.error(`${p}.service.port`, 'Invalid value: cannot set both port name & port number');
    else if (!hasName && !hasNumber) r.error(`${p}.service.port`, 'Invalid value: port name or number is required');
    else if (hasNumber && !isIntIn(port.number, 1, 65535)) r.error(`${p}.service.port.number`, `Invalid value: ${JSON.stringify(port.number)}: must be between 1 and 65535, inclusive`);
    else if (hasName && portOrNameProblem(port.name)) r.error(`${p}.service.port.name`, `Invalid value: ${JSON.stringify(port.name)}: ${portOrNameProblem(port.name)}`);
  } else if (!backend.resource.kind || !backend.resource.name) {
    r.error(`${p}.resource`, 'Required value: kind and name are required');
  }
}

function hostProblem(host: unknown): string | undefined {
  if (typeof host !== 'string') return 'must be a string';
  if (normalizeIp(host)) return 'must be a DNS name, not an IP address';
  if (host.startsWith('*')) return WILDCARD_HOST.test(host) && host.length <= 253 ? undefined : "a wildcard DNS-1123 subdomain must start with '*.'";
  return isDnsSubdomain(host) ? undefined : 'must be a DNS-1123 subdomain';
}

export function validateIngress(m: any, r: Report): void {
  const spec = m.spec ?? {};
  const classAnnotation = m.metadata?.annotations?.['kubernetes.io/ingress.class'];
  if (spec.ingressClassName !== undefined) {
    if (!isDnsSubdomain(spec.ingressClassName)) r.error('spec.ingressClassName', `Invalid value: ${JSON.stringify(spec.ingressClassName)}: must be a DNS subdomain`);
    if (classAnnotation !== undefined) r.error('metadata.annotations.kubernetes.io/ingress.class', 'Invalid value: can not be set when the class field is also set');
  } else if (classAnnotation !== undefined) {
    r.warn('metadata.annotations.kubernetes.io/ingress.class', 'annotation is deprecated, please use \'spec.ingressClassName\' instead');
  }
  if (spec.defaultBackend) validateBackend(r, 'spec.defaultBackend', spec.defaultBackend);
  if (!spec.defaultBackend && (spec.rules ?? []).length === 0) r.error('spec.rules', 'Required value: either `defaultBackend` or `rules` must be specified');
  (spec.rules ?? []).forEach((rule: any, i: number) => {
    const rp = `spec.rules[${i}]`;
    if (rule?.host !== undefined && rule.host !== '') {
      const problem = hostProblem(rule.host);
      if (problem) r.error(`${rp}.host`, `Invalid value: ${JSON.stringify(rule.host)}: ${problem}`);
    }
    if (!rule?.http) return;
    const paths: any[] = rule.http.paths ?? [];
    if (paths.length === 0) r.error(`${rp}.http.paths`, 'Required value');
    paths.forEach((path: any, j: number) => {
      const pp = `${rp}.http.paths[${j}]`;
      if (!path?.pathType) r.error(`${pp}.pathType`, 'Required value: pathType must be specified');
      else oneOf(r, `${pp}.pathType`, path.pathType, ['Exact', 'Prefix', 'ImplementationSpecific']);
      const text = path?.path;
      if ((path?.pathType === 'Exact' || path?.pathType === 'Prefix')) {
        if (typeof text !== 'string' || !text.startsWith('/')) r.error(`${pp}.path`, `Invalid value: ${JSON.stringify(text)}: must be an absolute path`);
        else {
          const bad = INVALID_PATH_SEQUENCES.find((s) => text.includes(s)) ?? INVALID_PATH_SUFFIXES.find((s) => text.endsWith(s));
          if (bad) r.error(`${pp}.path`, `Invalid value: ${JSON.stringify(text)}: must not contain '${bad}'`);
        }
      } else if (text !== undefined && text !== '' && !String(text).startsWith('/')) {
        r.error(`${pp}.path`, `Invalid value: ${JSON.stringify(text)}: must be an absolute path`);
      }
      if (!path?.backend) r.error(`${pp}.backend`, 'Required value');
      else validateBackend(r, `${pp}.backend`, path.backend);
    });
  });
  (spec.tls ?? []).forEach((tls: any, i: number) => (tls?.hosts ?? []).forEach((h: unknown, j: number) => {
    const problem = hostProblem(h);
    if (problem) r.error(`spec.tls[${i}].hosts[${j}]`, `Invalid value: ${JSON.stringify(h)}: ${problem}`);
  }));
}

export function validateIngressClass(m: any, r: Report): void {
  const controller = m.spec?.controller;
  if (!controller) r.error('spec.controller', 'Required value');
  else if (String(controller).length > 250) r.error('spec.controller', 'Too long: must have at most 250 bytes');
}
