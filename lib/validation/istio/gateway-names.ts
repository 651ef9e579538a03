import { fqdnProblem, isDnsLabel, itemsOf, Reporter } from './common';

/**
 * Reports gateway references (`spec.gateways`, `match[].gateways`) istiod refuses: `namespace/name`
 * with both parts DNS labels, or a name (`mesh`, or the legacy `name.namespace…` form) that is a
 * valid domain name.
 */
export function checkGatewayNames(r: Reporter, path: string, gateways: unknown): void {
  itemsOf(gateways).forEach((name, i) => {
    const p = `${path}[${i}]`;
    if (typeof name !== 'string') {
      r.error(p, `gateway name ${JSON.stringify(name)} must be a string`);
      return;
    }
    const slash = name.indexOf('/');
    if (slash < 0) {
      const problem = fqdnProblem(name);
      if (problem) r.error(p, `invalid gateway name: ${problem}`);
      else if (name.includes('.')) r.warn(p, `legacy gateway name format ${JSON.stringify(name)}: prefer <namespace>/<name>`);
      return;
    }
    const ns = name.slice(0, slash);
    const gw = name.slice(slash + 1);
    if (ns === '' || gw === '') r.error(p, `gateway ${JSON.stringify(name)}: namespace and gateway name cannot be empty`);
    else {
      if (!isDnsLabel(ns)) r.error(p, `gateway ${JSON.stringify(name)}: invalid namespace ${JSON.stringify(ns)}`);
      if (!isDnsLabel(gw)) r.error(p, `gateway ${JSON.stringify(name)}: invalid gateway name ${JSON.stringify(gw)}`);
    }
  });
}
