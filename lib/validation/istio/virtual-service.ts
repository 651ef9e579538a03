import { checkExportTo, checkLabels, isIpAddress, isIpOrCidr, isPort, isSet, itemsOf, portMessage, Reporter, wildcardDomainProblem } from './common';
import { checkRouteDestinations } from './destination';
import { checkGatewayNames } from './gateway-names';
import { checkHttpRoute } from './http-route';

/** Does host pattern `a` cover `b` or `b` cover `a` (`*.example.com` and `api.example.com`)? */
export function hostsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const covers = (wild: string, other: string) => {
    if (!wild.startsWith('*')) return false;
    const suffix = wild.slice(1);
    return other.startsWith('*') ? other.slice(1).endsWith(suffix) : other.endsWith(suffix);
  };
  return covers(a, b) || covers(b, a);
}

/** Is `sni` within `host` (exact, or under its wildcard)? */
function sniWithin(sni: string, host: string): boolean {
  if (sni === host || host === '*') return true;
  if (!host.startsWith('*')) return false;
  const suffix = host.slice(1);
  return sni.startsWith('*') ? sni.slice(1).endsWith(suffix) : sni.endsWith(suffix);
}

/** Reports what istiod's ValidateVirtualService refuses. */
export function checkVirtualService(r: Reporter, spec: any, namespace: string | undefined): void {
  const hosts = itemsOf(spec.hosts);
  const gateways = itemsOf(spec.gateways);
  const delegate = hosts.length === 0;
  if (delegate) {
    // A VirtualService without hosts can only be a delegate of another one's http route.
    if (gateways.length > 0) r.error('spec.gateways', 'a delegate VirtualService (no hosts) must have no gateways');
    if (itemsOf(spec.tls).length > 0) r.error('spec.tls', 'a delegate VirtualService (no hosts) must have no tls routes');
    if (itemsOf(spec.tcp).length > 0) r.error('spec.tcp', 'a delegate VirtualService (no hosts) must have no tcp routes');
  }
  checkGatewayNames(r, 'spec.gateways', spec.gateways);
  const gatewayOnly = gateways.length > 0 && !gateways.includes('mesh');
  const appliesToMesh = !gatewayOnly;

  let allHostsValid = true;
  hosts.forEach((host, i) => {
    const problem = wildcardDomainProblem(host);
    if (problem && !isIpAddress(host)) {
      r.error(`spec.hosts[${i}]`, problem);
      allHostsValid = false;
    } else if (appliesToMesh && host === '*') {
      r.error(`spec.hosts[${i}]`, 'wildcard host * is not allowed for virtual services bound to the mesh gateway');
      allHostsValid = false;
    }
  });
  if (allHostsValid) {
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) {
        if (hostsOverlap(hosts[i], hosts[j])) r.error(`spec.hosts[${j}]`, `duplicate hosts in virtual service: ${hosts[i]} & ${hosts[j]}`);
      }
    }
  }

  const http = itemsOf(spec.http);
  if (http.length === 0 && itemsOf(spec.tcp).length === 0 && itemsOf(spec.tls).length === 0) {
    r.error('spec', 'http, tcp or tls must be provided in virtual service');
  }
  const names = new Map<string, number>();
  http.forEach((route, i) => {
    const p = `spec.http[${i}]`;
    if (!isSet(route)) {
      r.error(p, 'http route may not be null');
      return;
    }
    checkHttpRoute(r, p, route, { gatewayOnly, delegate });
    if (typeof route.name === 'string' && route.name !== '') {
      const first = names.get(route.name);
      // Envoy's route stats and Istio's telemetry tell routes apart by name.
      if (first !== undefined) r.warn(`${p}.name`, `route name ${JSON.stringify(route.name)} is already used by spec.http[${first}]`);
      else names.set(route.name, i);
    }
    // Only the last route may match everything; a catch-all earlier hides the rest.
    if (itemsOf(route.match).length === 0 && i < http.length - 1) r.warn(`spec.http[${i + 1}]`, `unreachable: spec.http[${i}] has no match and takes all traffic before it`);
  });
  itemsOf(spec.tcp).forEach((tcp, i) => {
    const p = `spec.tcp[${i}]`;
    if (!isSet(tcp)) return;
    itemsOf(tcp.match).forEach((m, j) => checkL4Match(r, `${p}.match[${j}]`, m));
    if (itemsOf(tcp.route).length === 0) r.error(`${p}.route`, 'TCP route is required');
    checkRouteDestinations(r, `${p}.route`, tcp.route);
  });
  itemsOf(spec.tls).forEach((tls, i) => {
    const p = `spec.tls[${i}]`;
    if (!isSet(tls)) return;
    const matches = itemsOf(tls.match);
    if (matches.length === 0) r.error(`${p}.match`, 'TLS route must have at least one match condition');
    matches.forEach((m, j) => {
      const mp = `${p}.match[${j}]`;
      const sniHosts = itemsOf(m?.sniHosts);
      if (sniHosts.length === 0) r.error(`${mp}.sniHosts`, 'TLS match must have at least one SNI host');
      sniHosts.forEach((sni, k) => {
        const problem = wildcardDomainProblem(sni);
        if (problem) {
          if (isIpAddress(sni)) r.warn(`${mp}.sniHosts[${k}]`, `using an IP address (${JSON.stringify(sni)}) goes against the SNI spec and most clients do not support it`);
          else r.error(`${mp}.sniHosts[${k}]`, problem);
        } else if (!hosts.some((h) => sniWithin(sni, h))) {
          r.error(`${mp}.sniHosts[${k}]`, `SNI host ${JSON.stringify(sni)} is not a compatible subset of any of the virtual service hosts: [${hosts.join(', ')}]`);
        }
      });
      checkL4Match(r, mp, m);
    });
    if (itemsOf(tls.route).length === 0) r.error(`${p}.route`, 'TLS route is required');
    checkRouteDestinations(r, `${p}.route`, tls.route);
  });
  checkExportTo(r, 'spec.exportTo', spec.exportTo, namespace, false);
}

function checkL4Match(r: Reporter, path: string, m: any): void {
  if (!isSet(m)) {
    r.error(path, 'match may not be null');
    return;
  }
  itemsOf(m.destinationSubnets).forEach((s, i) => {
    if (!isIpOrCidr(s)) r.error(`${path}.destinationSubnets[${i}]`, `${JSON.stringify(s)} is not a valid IP address or CIDR block`);
  });
  if (isSet(m.port) && m.port !== 0 && !isPort(m.port)) r.error(`${path}.port`, portMessage(m.port));
  checkLabels(r, `${path}.sourceLabels`, m.sourceLabels);
  checkGatewayNames(r, `${path}.gateways`, m.gateways);
}
