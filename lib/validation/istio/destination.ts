import { isDnsLabel, isPort, isSet, itemsOf, portMessage, Reporter, wildcardDomainProblem } from './common';

/** Reports a `Destination` (host, subset, port) as istiod checks it. */
export function checkDestination(r: Reporter, path: string, destination: any): void {
  if (!isSet(destination)) return;
  const host = destination.host;
  if (host === '*') r.error(`${path}.host`, 'invalid destination host "*": name a service');
  else {
    const problem = wildcardDomainProblem(host);
    if (problem) r.error(`${path}.host`, problem);
  }
  if (isSet(destination.subset)) checkSubsetName(r, `${path}.subset`, destination.subset);
  if (isSet(destination.port?.number) && !isPort(destination.port.number)) r.error(`${path}.port.number`, portMessage(destination.port.number));
}

/** Reports a subset name that is empty or not a DNS-1123 label. */
export function checkSubsetName(r: Reporter, path: string, name: unknown): void {
  if (name === '' || !isSet(name)) r.error(path, 'subset name cannot be empty');
  else if (!isDnsLabel(name)) r.error(path, `subset name is invalid: ${JSON.stringify(name)} (a DNS-1123 label)`);
}

/**
 * Reports route destinations (`http[].route`, `tcp[].route`, `tls[].route`): each needs a destination,
 * weights are not negative, and several weights must sum to 100. Istio since 1.12 normalizes other sums
 * and only refuses a zero total; older releases refuse any sum but 100, and so does this check, so
 * the output applies to every Istio the library targets.
 */
export function checkRouteDestinations(r: Reporter, path: string, route: unknown, eachExtra?: (item: any, itemPath: string) => void): void {
  const items = itemsOf(route);
  let total = 0;
  items.forEach((item, i) => {
    const p = `${path}[${i}]`;
    if (!isSet(item)) {
      r.error(p, 'route destination may not be null');
      return;
    }
    if (!isSet(item.destination)) r.error(`${p}.destination`, 'destination is required');
    else checkDestination(r, `${p}.destination`, item.destination);
    const weight = item.weight ?? 0;
    if (typeof weight !== 'number' || !Number.isInteger(weight)) r.error(`${p}.weight`, `weight ${JSON.stringify(weight)} must be an integer`);
    else if (weight < 0) r.error(`${p}.weight`, `weight ${weight} < 0: weights must not be negative`);
    else if (weight > 100) r.error(`${p}.weight`, `weight ${weight} > 100: a weight is a percentage`);
    if (typeof weight === 'number') total += weight;
    eachExtra?.(item, p);
  });
  if (items.length > 1 && total === 0) r.error(path, 'total destination weight = 0: at least one destination must receive traffic');
  else if (items.length > 1 && total !== 100) r.error(path, `total destination weight ${total} != 100 (destinations' weights must sum to 100)`);
}
