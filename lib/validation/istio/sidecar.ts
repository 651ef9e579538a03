import {
  checkWorkloadSelector, fqdnProblem, isDnsLabel, isIpAddress, isKnownProtocol, isPartialWildcard, isPort, isSet, itemsOf,
  portMessage, PROTOCOL_LIST, Reporter, wildcardDomainProblem,
} from './common';
import { checkDestination } from './destination';
import { checkServerTls } from './gateway';

const UNIX = 'unix://';
const DEFAULT_ENDPOINT_HOSTS = new Set(['', '127.0.0.1', '0.0.0.0', '[::1]', '[::]']);

/** What is wrong with a Sidecar egress host (`namespace/dnsName`, namespace `*`, `.` or `~`), or `undefined`. */
export function sidecarHostProblem(host: unknown): string | undefined {
  if (typeof host !== 'string') return `host ${JSON.stringify(host)} must be a string`;
  const slash = host.indexOf('/');
  if (slash < 0) return `host ${JSON.stringify(host)} must be of form namespace/dnsName (e.g. "./*", "istio-system/*", "*/api.example.com")`;
  const ns = host.slice(0, slash);
  const dnsName = host.slice(slash + 1);
  if (ns === '' || dnsName === '') return `host ${JSON.stringify(host)}: namespace and dnsName cannot be empty`;
  if (ns !== '*' && ns !== '.' && ns !== '~' && !isDnsLabel(ns)) return `host ${JSON.stringify(host)}: invalid namespace ${JSON.stringify(ns)} (a namespace, ".", "~" or "*")`;
  if (dnsName !== '*' && !dnsName.includes('.')) return `host ${JSON.stringify(host)}: short names (non FQDN) are not allowed`;
  const problem = wildcardDomainProblem(dnsName);
  if (problem) return problem;
  if (isPartialWildcard(dnsName)) return `partial wildcard ${JSON.stringify(dnsName)} not allowed`;
  return undefined;
}

function checkSidecarPort(r: Reporter, path: string, port: any, bind: string, allowUnix: boolean): void {
  if (port.name && !isDnsLabel(port.name)) r.error(`${path}.name`, `invalid port name: ${JSON.stringify(port.name)}`);
  if (isSet(port.protocol) && port.protocol !== '' && !isKnownProtocol(port.protocol)) r.error(`${path}.protocol`, `unsupported protocol ${JSON.stringify(port.protocol)} (${PROTOCOL_LIST})`);
  if (allowUnix && (port.number ?? 0) === 0) {
    if (!bind.startsWith(UNIX)) r.error(`${path}.number`, 'ports with 0 value must have a unix domain socket bind address');
  } else if (!isPort(port.number)) r.error(`${path}.number`, portMessage(port.number));
  if (isSet(port.targetPort) && port.targetPort > 0) r.error(`${path}.targetPort`, 'targetPort has no impact on Sidecars: remove it');
}

/** Reports what istiod's ValidateSidecar refuses. */
export function checkSidecar(r: Reporter, spec: any, namespace: string | undefined): void {
  checkWorkloadSelector(r, 'spec.workloadSelector', spec.workloadSelector, 'labels');
  const ingress = itemsOf(spec.ingress);
  const egress = itemsOf(spec.egress);
  if (ingress.length === 0 && egress.length === 0 && !isSet(spec.outboundTrafficPolicy) && !isSet(spec.inboundConnectionPool)) {
    r.error('spec', 'sidecar: empty configuration provided (egress, ingress, outboundTrafficPolicy or inboundConnectionPool)');
    return;
  }
  const ingressPorts = new Set<number>();
  ingress.forEach((l, i) => {
    const p = `spec.ingress[${i}]`;
    if (!isSet(l?.port)) {
      r.error(`${p}.port`, 'port is required for ingress listeners');
      return;
    }
    const bind: string = l.bind ?? '';
    checkSidecarPort(r, `${p}.port`, l.port, bind, false);
    if (bind !== '' && !isIpAddress(bind)) r.error(`${p}.bind`, `${JSON.stringify(bind)} is not a valid IP`);
    if (ingressPorts.has(l.port.number)) r.error(`${p}.port.number`, 'ports on IP bound listeners must be unique');
    ingressPorts.add(l.port.number);
    const endpoint: string = l.defaultEndpoint ?? '';
    if (endpoint !== '' && !endpoint.startsWith(UNIX)) {
      const colon = endpoint.lastIndexOf(':');
      const host = colon < 0 ? endpoint : endpoint.slice(0, colon);
      const port = colon < 0 ? NaN : Number(endpoint.slice(colon + 1));
      if (colon < 0 || !DEFAULT_ENDPOINT_HOSTS.has(host)) r.error(`${p}.defaultEndpoint`, 'defaultEndpoint must be of form 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, [::]:<port>, unix://<path> or unset');
      else if (!isPort(port)) r.error(`${p}.defaultEndpoint`, portMessage(endpoint.slice(colon + 1)));
    }
    const tls = l.tls;
    if (isSet(tls)) {
      if (itemsOf(tls.subjectAltNames).length > 0) r.error(`${p}.tls.subjectAltNames`, 'subjectAltNames is not supported in ingress tls');
      if (tls.httpsRedirect) r.error(`${p}.tls.httpsRedirect`, 'httpsRedirect is not supported');
      if (tls.credentialName) r.error(`${p}.tls.credentialName`, 'credentialName is not supported in sidecar ingress tls');
      if (tls.mode === 'ISTIO_MUTUAL' || tls.mode === 'AUTO_PASSTHROUGH') r.error(`${p}.tls.mode`, `cannot set mode to ${tls.mode} in sidecar ingress tls`);
      checkServerTls(r, `${p}.tls`, tls);
    }
  });
  const egressPorts = new Set<number>();
  egress.forEach((l, i) => {
    const p = `spec.egress[${i}]`;
    if (!isSet(l)) {
      r.error(p, 'egress listener may not be null');
      return;
    }
    if (!isSet(l.port)) {
      // The catch-all listener takes what the others do not: one, and last.
      if (i !== egress.length - 1) r.error(p, 'the egress listener without a port must be the last listener');
    } else {
      const bind: string = l.bind ?? '';
      checkSidecarPort(r, `${p}.port`, l.port, bind, true);
      if (bind !== '' && !bind.startsWith(UNIX) && !isIpAddress(bind)) r.error(`${p}.bind`, `${JSON.stringify(bind)} is not a valid IP`);
      if ((l.port.number ?? 0) !== 0) {
        if (egressPorts.has(l.port.number)) r.error(`${p}.port.number`, 'ports on IP bound listeners must be unique');
        egressPorts.add(l.port.number);
      }
    }
    const hosts = itemsOf(l.hosts);
    if (hosts.length === 0) r.error(`${p}.hosts`, 'egress listener must contain at least one host');
    const seen = new Set<string>();
    hosts.forEach((h, j) => {
      const problem = sidecarHostProblem(h);
      if (problem) r.error(`${p}.hosts[${j}]`, problem);
      const key = typeof h === 'string' && h.startsWith('./') && namespace ? `${namespace}/${h.slice(2)}` : h;
      if (seen.has(key)) r.warn(`${p}.hosts[${j}]`, `duplicated egress host: ${h}`);
      seen.add(key);
    });
  });
  const otp = spec.outboundTrafficPolicy;
  if (isSet(otp?.egressProxy)) {
    if ((otp.mode ?? 'REGISTRY_ONLY') !== 'ALLOW_ANY') r.error('spec.outboundTrafficPolicy.egressProxy', 'egressProxy must be set only with the ALLOW_ANY outbound traffic policy mode');
    else {
      const problem = fqdnProblem(otp.egressProxy.host);
      if (problem) r.error('spec.outboundTrafficPolicy.egressProxy.host', problem);
      if (!isSet(otp.egressProxy.port)) r.error('spec.outboundTrafficPolicy.egressProxy.port', 'egressProxy port must be set');
      else checkDestination(r, 'spec.outboundTrafficPolicy.egressProxy', otp.egressProxy);
    }
  }
}
