import {
  isDnsLabel, isHttpProtocol, isIpAddress, isKnownProtocol, isPartialWildcard, isPort, isSet, isTlsProtocol, itemsOf,
  portMessage, PROTOCOL_LIST, Reporter, wildcardDomainProblem,
} from './common';

const SERVER_TLS_MODES = new Set(['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL']);
const UNIX = 'unix://';

/** Reports what istiod's ValidateGateway refuses. */
export function checkGateway(r: Reporter, spec: any, name: unknown): void {
  // The name becomes part of route names: a DNS label, no dots.
  if (!isDnsLabel(name)) r.error('metadata.name', `invalid gateway name ${JSON.stringify(name)}: a DNS-1123 label (no dots)`);
  const servers = itemsOf(spec.servers);
  if (servers.length === 0) r.error('spec.servers', 'gateway must have at least one server');
  const portNames = new Map<string, number>();
  servers.forEach((server, i) => {
    const p = `spec.servers[${i}]`;
    if (!isSet(server)) {
      r.error(p, 'server may not be null');
      return;
    }
    checkServer(r, p, server);
    const portName = server.port?.name;
    if (isSet(portName)) {
      const first = portNames.get(portName);
      if (first !== undefined) r.error(`${p}.port.name`, `port names in servers must be unique: duplicate name ${JSON.stringify(portName)} (also spec.servers[${first}])`);
      else portNames.set(portName, i);
    }
    if (server.tls?.httpsRedirect && isSet(server.port) && !isHttpProtocol(server.port.protocol)) {
      r.warn(`${p}.tls.httpsRedirect`, 'tls.httpsRedirect should only be used with HTTP servers');
    }
  });
}

/** What is wrong with a Gateway server host (`[namespace/]dnsName`), or `undefined`. */
export function gatewayHostProblem(host: unknown): string | undefined {
  if (typeof host !== 'string') return `host ${JSON.stringify(host)} must be a string`;
  const slash = host.indexOf('/');
  let dnsName = host;
  if (slash >= 0) {
    const ns = host.slice(0, slash);
    dnsName = host.slice(slash + 1);
    if (ns === '' || dnsName === '') return `host ${JSON.stringify(host)}: namespace and dnsName cannot be empty`;
    if (ns !== '*' && ns !== '.' && !isDnsLabel(ns)) return `host ${JSON.stringify(host)}: invalid namespace ${JSON.stringify(ns)} (a namespace, "." or "*")`;
  }
  if (dnsName !== '*' && !dnsName.includes('.')) return `host ${JSON.stringify(host)}: short names (non FQDN) are not allowed`;
  const problem = wildcardDomainProblem(dnsName);
  if (problem && !isIpAddress(dnsName)) return problem;
  if (isPartialWildcard(dnsName)) return `partial wildcard ${JSON.stringify(dnsName)} not allowed (only "*" or a leading "*.")`;
  return undefined;
}

function checkServer(r: Reporter, path: string, server: any): void {
  const hosts = itemsOf(server.hosts);
  if (hosts.length === 0) r.error(`${path}.hosts`, 'server config must contain at least one host');
  hosts.forEach((h, i) => {
    const problem = gatewayHostProblem(h);
    if (problem) r.error(`${path}.hosts[${i}]`, problem);
  });
  const bind: string = typeof server.bind === 'string' ? server.bind : '';
  const port = server.port;
  let portValid = false;
  if (!isSet(port)) r.error(`${path}.port`, 'port is required');
  else {
    portValid = true;
    if (!isKnownProtocol(port.protocol)) {
      r.error(`${path}.port.protocol`, `invalid protocol ${JSON.stringify(port.protocol)}, supported protocols are ${PROTOCOL_LIST}`);
      portValid = false;
    }
    if ((port.number > 0 || !bind.startsWith(UNIX)) && !isPort(port.number)) {
      r.error(`${path}.port.number`, portMessage(port.number));
      portValid = false;
    }
    if (isSet(port.targetPort) && port.targetPort > 0) r.error(`${path}.port.targetPort`, 'targetPort has no impact on Gateways: remove it');
    if (!port.name) {
      r.error(`${path}.port.name`, 'port name must be set');
      portValid = false;
    }
  }
  if (bind.startsWith(UNIX)) {
    const socket = bind.slice(UNIX.length);
    if (socket === '' || (!socket.startsWith('@') && (!socket.startsWith('/') || socket.endsWith('/')))) r.error(`${path}.bind`, `${JSON.stringify(socket)} is not an absolute path to a file`);
    if (isSet(port?.number) && port.number !== 0) r.error(`${path}.port.number`, 'port number must be 0 for a unix domain socket');
  } else if (bind !== '' && !isIpAddress(bind)) {
    r.error(`${path}.bind`, `${JSON.stringify(bind)} is not a valid IP`);
  }
  checkServerTls(r, `${path}.tls`, server.tls);
  if (portValid) {
    const tls = server.tls;
    if (isTlsProtocol(port.protocol) && !isSet(tls)) r.error(`${path}.tls`, `server must have TLS settings for ${port.protocol} (mode and credentialName, or serverCertificate and privateKey)`);
    else if (!isTlsProtocol(port.protocol) && isSet(tls)) {
      // On a plain HTTP port only the redirect to HTTPS makes sense.
      if (isHttpProtocol(port.protocol)) {
        if ((tls.mode ?? 'PASSTHROUGH') !== 'PASSTHROUGH' || tls.caCertificates || tls.privateKey || tls.serverCertificate) {
          r.error(`${path}.tls`, 'server cannot have TLS settings for plain text HTTP ports (only httpsRedirect)');
        }
      } else {
        r.error(`${path}.tls`, `server cannot have TLS settings for non HTTPS/TLS ports (${port.protocol})`);
      }
    }
  }
}

/** Reports server TLS settings (Gateway `servers[].tls`) istiod refuses. */
export function checkServerTls(r: Reporter, path: string, tls: any): void {
  if (!isSet(tls)) return;
  const mode = tls.mode ?? 'PASSTHROUGH';
  if (!SERVER_TLS_MODES.has(mode)) {
    r.error(`${path}.mode`, `unknown TLS mode ${JSON.stringify(mode)} (${[...SERVER_TLS_MODES].join(', ')})`);
    return;
  }
  if ((tls.minProtocolVersion === 'TLSV1_0' || tls.minProtocolVersion === 'TLSV1_1') && itemsOf(tls.cipherSuites).length === 0) {
    r.warn(`${path}.minProtocolVersion`, 'TLS versions below TLSV1_2 need compatible cipherSuites: the defaults no longer include them');
  }
  const hasCredential = Boolean(tls.credentialName) || itemsOf(tls.credentialNames).length > 0;
  if (mode === 'ISTIO_MUTUAL') {
    for (const k of ['serverCertificate', 'privateKey', 'caCertificates', 'credentialName']) {
      if (tls[k]) r.error(`${path}.${k}`, `ISTIO_MUTUAL TLS cannot have an associated ${k}`);
    }
    return;
  }
  if ((mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') && (tls.caCrl || tls.serverCertificate || tls.privateKey || tls.caCertificates || hasCredential)) {
    r.warn(path, `${mode} mode does not use certificates: they are ignored`);
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL') && hasCredential) {
    if (tls.caCrl) r.error(`${path}.caCrl`, 'CRL is not supported with credentialName: put the CRL in the credential');
    return;
  }
  if (mode === 'SIMPLE') {
    if (!tls.serverCertificate) r.error(`${path}.serverCertificate`, 'SIMPLE TLS requires a server certificate (or credentialName)');
    if (!tls.privateKey) r.error(`${path}.privateKey`, 'SIMPLE TLS requires a private key (or credentialName)');
    if (tls.caCrl) r.error(`${path}.caCrl`, 'CRL is not supported with SIMPLE TLS');
  } else if (mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL') {
    if (!tls.serverCertificate) r.error(`${path}.serverCertificate`, `${mode} TLS requires a server certificate (or credentialName)`);
    if (!tls.privateKey) r.error(`${path}.privateKey`, `${mode} TLS requires a private key (or credentialName)`);
    if (!tls.caCertificates) r.error(`${path}.caCertificates`, `${mode} TLS requires a client CA bundle (or credentialName)`);
  }
}
