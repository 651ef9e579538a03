import { checkDuration, checkIntPercent, checkNonNegative, entriesOf, fqdnProblem, isIpAddress, isPort, isSet, itemsOf, portMessage, Reporter } from './common';

const CLIENT_TLS_MODES = new Set(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']);
const SIMPLE_LB = new Set(['UNSPECIFIED', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST', 'LEAST_CONN']);

/** Reports a DestinationRule `trafficPolicy` (top level or a subset's) as istiod checks it. */
export function checkTrafficPolicy(r: Reporter, path: string, policy: any): void {
  if (!isSet(policy)) return;
  const parts = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol'];
  if (!parts.some((k) => isSet(policy[k]))) {
    r.error(path, `traffic policy must have at least one field (${parts.join(', ')})`);
    return;
  }
  if (isSet(policy.tunnel) && isSet(policy.proxyProtocol)) r.error(path, 'tunnel and proxyProtocol must not be set together');
  checkOutlierDetection(r, `${path}.outlierDetection`, policy.outlierDetection);
  checkConnectionPool(r, `${path}.connectionPool`, policy.connectionPool);
  checkLoadBalancer(r, `${path}.loadBalancer`, policy.loadBalancer, policy.outlierDetection);
  checkClientTls(r, `${path}.tls`, policy.tls);
  itemsOf(policy.portLevelSettings).forEach((pl, i) => {
    const p = `${path}.portLevelSettings[${i}]`;
    if (!isSet(pl?.port)) r.error(`${p}.port`, 'a port traffic policy must name its port');
    else if (!isPort(pl.port.number)) r.error(`${p}.port.number`, portMessage(pl.port.number));
    if (!['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].some((k) => isSet(pl?.[k]))) {
      r.error(p, 'port traffic policy must have at least one field (outlierDetection, connectionPool, loadBalancer, tls)');
      return;
    }
    checkOutlierDetection(r, `${p}.outlierDetection`, pl.outlierDetection);
    checkConnectionPool(r, `${p}.connectionPool`, pl.connectionPool);
    checkLoadBalancer(r, `${p}.loadBalancer`, pl.loadBalancer, pl.outlierDetection);
    checkClientTls(r, `${p}.tls`, pl.tls);
  });
  const tunnel = policy.tunnel;
  if (isSet(tunnel)) {
    if (isSet(tunnel.protocol) && tunnel.protocol !== '' && tunnel.protocol !== 'CONNECT' && tunnel.protocol !== 'POST') r.error(`${path}.tunnel.protocol`, 'tunnel protocol must be "CONNECT" or "POST"');
    if (fqdnProblem(tunnel.targetHost) && !isIpAddress(tunnel.targetHost)) r.error(`${path}.tunnel.targetHost`, `tunnel target host ${JSON.stringify(tunnel.targetHost)} must be a valid FQDN or IP address`);
    if (!isPort(tunnel.targetPort)) r.error(`${path}.tunnel.targetPort`, `tunnel target port is invalid: ${portMessage(tunnel.targetPort)}`);
  }
  const version = policy.proxyProtocol?.version;
  if (isSet(version) && version !== 'V1' && version !== 'V2') r.error(`${path}.proxyProtocol.version`, `proxy protocol version ${JSON.stringify(version)} is invalid (V1 or V2)`);
}

function checkOutlierDetection(r: Reporter, path: string, od: any): void {
  if (!isSet(od)) return;
  checkDuration(r, `${path}.baseEjectionTime`, od.baseEjectionTime);
  checkDuration(r, `${path}.interval`, od.interval);
  if (isSet(od.consecutiveErrors) && od.consecutiveErrors !== 0) r.warn(`${path}.consecutiveErrors`, 'consecutiveErrors is deprecated: use consecutiveGatewayErrors or consecutive5xxErrors');
  if (!od.splitExternalLocalOriginErrors && (od.consecutiveLocalOriginFailures ?? 0) > 0) {
    r.error(`${path}.consecutiveLocalOriginFailures`, 'consecutiveLocalOriginFailures is set, but splitExternalLocalOriginErrors is false');
  }
  checkIntPercent(r, `${path}.maxEjectionPercent`, od.maxEjectionPercent);
  checkIntPercent(r, `${path}.minHealthPercent`, od.minHealthPercent);
  for (const k of ['consecutive5xxErrors', 'consecutiveGatewayErrors', 'consecutiveLocalOriginFailures']) checkNonNegative(r, `${path}.${k}`, od[k], k);
}

function checkConnectionPool(r: Reporter, path: string, pool: any): void {
  if (!isSet(pool)) return;
  if (!isSet(pool.http) && !isSet(pool.tcp)) {
    r.error(path, 'connection pool must have at least one field (http, tcp)');
    return;
  }
  const http = pool.http;
  if (isSet(http)) {
    for (const k of ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'maxConcurrentStreams']) {
      checkNonNegative(r, `${path}.http.${k}`, http[k], k);
    }
    checkDuration(r, `${path}.http.idleTimeout`, http.idleTimeout);
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol) r.error(`${path}.http.useClientProtocol`, 'useClientProtocol must not be true when h2UpgradePolicy is UPGRADE');
  }
  const tcp = pool.tcp;
  if (isSet(tcp)) {
    checkNonNegative(r, `${path}.tcp.maxConnections`, tcp.maxConnections, 'maxConnections');
    checkDuration(r, `${path}.tcp.connectTimeout`, tcp.connectTimeout);
    checkDuration(r, `${path}.tcp.maxConnectionDuration`, tcp.maxConnectionDuration);
    checkDuration(r, `${path}.tcp.idleTimeout`, tcp.idleTimeout);
    checkDuration(r, `${path}.tcp.tcpKeepalive.time`, tcp.tcpKeepalive?.time);
    checkDuration(r, `${path}.tcp.tcpKeepalive.interval`, tcp.tcpKeepalive?.interval);
  }
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n < 4) return true;
  if (n % 2 === 0) return false;
  for (let f = 3; f * f <= n; f += 2) if (n % f === 0) return false;
  return true;
}

function checkLoadBalancer(r: Reporter, path: string, lb: any, outlier: any): void {
  if (!isSet(lb)) return;
  if (isSet(lb.simple) && isSet(lb.consistentHash)) r.error(path, 'loadBalancer takes one of simple or consistentHash, not both');
  if (isSet(lb.simple) && !SIMPLE_LB.has(lb.simple)) r.error(`${path}.simple`, `unknown load balancer ${JSON.stringify(lb.simple)} (${[...SIMPLE_LB].join(', ')})`);
  const ch = lb.consistentHash;
  if (isSet(ch)) {
    const keys = ['httpHeaderName', 'httpCookie', 'useSourceIp', 'httpQueryParameterName'].filter((k) => isSet(ch[k]) && ch[k] !== false);
    if (keys.length > 1) r.error(`${path}.consistentHash`, `consistentHash takes one hash key, not ${keys.join(' and ')}`);
    if (isSet(ch.httpCookie) && !ch.httpCookie.name) r.error(`${path}.consistentHash.httpCookie.name`, 'name required for httpCookie');
    if (isSet(ch.minimumRingSize) && ch.minimumRingSize !== 0) {
      r.warn(`${path}.consistentHash.minimumRingSize`, 'minimumRingSize is deprecated: use ringHash.minimumRingSize');
      if (isSet(ch.ringHash) || isSet(ch.maglev)) r.error(`${path}.consistentHash`, 'only one of minimumRingSize or maglev/ringHash can be specified');
    }
    if (isSet(ch.maglev)) {
      const size = ch.maglev.tableSize ?? 0;
      if (!size) r.error(`${path}.consistentHash.maglev.tableSize`, 'tableSize must be set for maglev');
      else if (size >= 5000011) r.error(`${path}.consistentHash.maglev.tableSize`, 'tableSize must be less than 5000011 for maglev');
      else if (!isPrime(size)) r.error(`${path}.consistentHash.maglev.tableSize`, `tableSize ${size} must be a prime number for maglev`);
    }
  }
  checkLocality(r, `${path}.localityLbSetting`, lb.localityLbSetting, outlier);
  checkDuration(r, `${path}.warmupDurationSecs`, lb.warmupDurationSecs);
}

function checkLocality(r: Reporter, path: string, loc: any, outlier: any): void {
  if (!isSet(loc)) return;
  const distribute = itemsOf(loc.distribute);
  const failover = itemsOf(loc.failover);
  if (distribute.length > 0 && failover.length > 0) {
    r.error(path, 'can not simultaneously specify distribute and failover');
    return;
  }
  distribute.forEach((d, i) => {
    let total = 0;
    for (const [to, weight] of entriesOf(d?.to)) {
      if (typeof weight !== 'number' || weight <= 0 || weight > 100) r.error(`${path}.distribute[${i}].to`, `locality weight for ${JSON.stringify(to)} must be in range [1, 100]`);
      else total += weight;
    }
    if (total !== 100) r.error(`${path}.distribute[${i}].to`, `total locality weight ${total} != 100`);
  });
  failover.forEach((f, i) => {
    const p = `${path}.failover[${i}]`;
    if (f?.from === f?.to) r.error(p, 'locality lb failover settings must specify different regions');
    if (String(f?.from ?? '').includes('/') || String(f?.to ?? '').includes('/')) r.error(p, 'locality lb failover only specifies regions');
    if (String(f?.from ?? '').includes('*') || String(f?.to ?? '').includes('*')) r.error(p, 'locality lb failover region should not contain a "*" wildcard');
  });
  if ((failover.length > 0 || itemsOf(loc.failoverPriority).length > 0) && !isSet(outlier)) r.warn(path, 'outlier detection policy must be provided for failover');
}

/** Reports client TLS settings (DestinationRule `tls`) istiod refuses. */
export function checkClientTls(r: Reporter, path: string, tls: any): void {
  if (!isSet(tls)) return;
  const mode = tls.mode ?? 'DISABLE';
  if (!CLIENT_TLS_MODES.has(mode)) {
    r.error(`${path}.mode`, `unknown TLS mode ${JSON.stringify(mode)} (${[...CLIENT_TLS_MODES].join(', ')})`);
    return;
  }
  if (tls.insecureSkipVerify === true) {
    if (mode === 'SIMPLE' && (tls.caCertificates || tls.credentialName || isSet(tls.subjectAltNames))) {
      r.error(path, 'cannot specify caCertificates, credentialName or subjectAltNames when insecureSkipVerify is true');
    }
    if (mode === 'MUTUAL' && (tls.caCertificates || isSet(tls.subjectAltNames))) r.error(path, 'cannot specify caCertificates or subjectAltNames when insecureSkipVerify is true');
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && tls.credentialName) {
    if (tls.clientCertificate || tls.caCertificates || tls.privateKey || tls.caCrl) {
      r.error(path, 'cannot specify client certificates, CA certificate or CA CRL when credentialName is set');
    }
    return;
  }
  if (mode === 'MUTUAL') {
    if (!tls.clientCertificate) r.error(`${path}.clientCertificate`, 'client certificate required for MUTUAL TLS (or set credentialName)');
    if (!tls.privateKey) r.error(`${path}.privateKey`, 'private key required for MUTUAL TLS (or set credentialName)');
  }
  if (mode === 'ISTIO_MUTUAL' && (tls.clientCertificate || tls.privateKey || tls.caCertificates || tls.credentialName)) {
    r.warn(path, 'ISTIO_MUTUAL uses the mesh certificates: clientCertificate, privateKey, caCertificates and credentialName are ignored');
  }
}
