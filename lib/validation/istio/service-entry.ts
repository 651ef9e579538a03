import {
  checkExportTo, checkLabels, checkWorkloadSelector, entriesOf, fqdnProblem, isDnsLabel, isHttpProtocol, isIpAddress, isIpOrCidr,
  isKnownProtocol, isPartialWildcard, isPort, isSet, isTlsProtocol, itemsOf, keyPath, portMessage, PROTOCOL_LIST, Reporter,
  wildcardDomainProblem,
} from './common';

const RESOLUTIONS = new Set(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN']);
const LOCATIONS = new Set(['MESH_EXTERNAL', 'MESH_INTERNAL']);
const UNIX = 'unix://';

/** Reports what istiod's ValidateServiceEntry refuses. */
export function checkServiceEntry(r: Reporter, spec: any, namespace: string | undefined): void {
  const hosts = itemsOf(spec.hosts);
  const resolution = spec.resolution ?? 'NONE';
  const endpoints = itemsOf(spec.endpoints);
  checkWorkloadSelector(r, 'spec.workloadSelector', spec.workloadSelector, 'labels');
  if (isSet(spec.workloadSelector) && isSet(spec.endpoints)) r.error('spec.workloadSelector', 'only one of workloadSelector or endpoints is allowed in a ServiceEntry');
  if (hosts.length === 0) r.error('spec.hosts', 'service entry must have at least one host');
  hosts.forEach((h, i) => {
    if (h === '*') r.error(`spec.hosts[${i}]`, 'invalid host "*": a ServiceEntry names its hosts');
    else {
      const problem = wildcardDomainProblem(h);
      if (problem) r.error(`spec.hosts[${i}]`, problem);
      else if (isPartialWildcard(h)) r.warn(`spec.hosts[${i}]`, `partial wildcard ${JSON.stringify(h)} not allowed`);
    }
  });
  let cidr = false;
  itemsOf(spec.addresses).forEach((a, i) => {
    cidr ||= String(a).includes('/');
    if (!isIpOrCidr(a)) r.error(`spec.addresses[${i}]`, `${JSON.stringify(a)} is not a valid IP address or CIDR block`);
  });
  if (cidr && resolution !== 'NONE' && resolution !== 'STATIC') r.error('spec.resolution', `CIDR addresses are allowed only for NONE/STATIC resolution types, not ${resolution}`);
  if (isSet(spec.location) && !LOCATIONS.has(spec.location)) r.error('spec.location', `unknown location ${JSON.stringify(spec.location)} (MESH_EXTERNAL, MESH_INTERNAL)`);

  const portNames = new Set<string>();
  const portNumbers = new Set<number>();
  itemsOf(spec.ports).forEach((port, i) => {
    const p = `spec.ports[${i}]`;
    if (!isSet(port)) {
      r.error(p, 'service entry port may not be null');
      return;
    }
    if (portNames.has(port.name)) r.error(`${p}.name`, `service entry port name ${JSON.stringify(port.name)} already defined`);
    portNames.add(port.name);
    if (portNumbers.has(port.number)) r.error(`${p}.number`, `service entry port ${port.number} already defined`);
    portNumbers.add(port.number);
    if (!isDnsLabel(port.name)) r.error(`${p}.name`, `invalid port name: ${JSON.stringify(port.name)} (a DNS-1123 label)`);
    if (isSet(port.protocol) && port.protocol !== '' && !isKnownProtocol(port.protocol)) r.error(`${p}.protocol`, `unsupported protocol ${JSON.stringify(port.protocol)} (${PROTOCOL_LIST})`);
    if (!isPort(port.number)) r.error(`${p}.number`, portMessage(port.number));
    if (isSet(port.targetPort) && port.targetPort !== 0 && !isPort(port.targetPort)) r.error(`${p}.targetPort`, portMessage(port.targetPort));
  });

  switch (resolution) {
    case 'NONE':
      if (endpoints.length > 0) r.error('spec.endpoints', 'no endpoints should be provided for resolution type NONE');
      break;
    case 'STATIC':
      endpoints.forEach((e, i) => checkEndpoint(r, `spec.endpoints[${i}]`, e, portNames, false));
      break;
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      if (endpoints.length === 0) {
        hosts.forEach((h, i) => {
          if (fqdnProblem(h)) r.error(`spec.hosts[${i}]`, `hosts must be FQDN if no endpoints are provided for resolution mode ${resolution}`);
        });
      }
      if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) r.error('spec.endpoints', `there must only be 0 or 1 endpoint for resolution mode ${resolution}`);
      endpoints.forEach((e, i) => checkEndpoint(r, `spec.endpoints[${i}]`, e, portNames, true));
      break;
    default:
      r.error('spec.resolution', `unsupported resolution type ${JSON.stringify(resolution)} (${[...RESOLUTIONS].join(', ')})`);
  }
  // Plain TCP cannot tell hosts apart (no Host header, no SNI): several hosts need HTTP or TLS ports.
  if (resolution !== 'NONE' && hosts.length > 1) {
    const i = itemsOf(spec.ports).findIndex((port) => !isHttpProtocol(port?.protocol) && !isTlsProtocol(port?.protocol));
    if (i >= 0) r.error(`spec.ports[${i}].protocol`, 'multiple hosts provided with non-HTTP, non-TLS ports');
  }
  checkExportTo(r, 'spec.exportTo', spec.exportTo, namespace, true);
}

function checkEndpoint(r: Reporter, path: string, e: any, servicePorts: Set<string>, allowFqdn: boolean): void {
  if (!isSet(e)) {
    r.error(path, 'endpoint cannot be null');
    return;
  }
  const address: string = e.address ?? '';
  if (address === '') {
    if (!e.network) r.error(`${path}.address`, 'address is required');
  } else if (address.startsWith(UNIX)) {
    const socket = address.slice(UNIX.length);
    if (socket === '' || (!socket.startsWith('@') && (!socket.startsWith('/') || socket.endsWith('/')))) r.error(`${path}.address`, `${JSON.stringify(socket)} is not an absolute path to a file`);
    if (entriesOf(e.ports).length > 0) r.error(`${path}.ports`, `unix endpoint ${address} must not include ports`);
  } else if (!isIpAddress(address)) {
    if (!allowFqdn) r.error(`${path}.address`, `endpoint address ${JSON.stringify(address)} is not a valid IP address`);
    else if (fqdnProblem(address)) r.error(`${path}.address`, `endpoint address ${JSON.stringify(address)} is not a valid FQDN or an IP address`);
  }
  for (const [name, port] of entriesOf(e.ports)) {
    const p = keyPath(`${path}.ports`, name);
    if (!servicePorts.has(name)) r.error(p, `endpoint port ${JSON.stringify(name)} is not defined by the service entry`);
    if (!isPort(port)) r.error(p, portMessage(port));
  }
  checkLabels(r, `${path}.labels`, e.labels);
}
