import { IConstruct } from 'constructs';

const WARNING = 'cdk8s-microservices:warning';

/** Records a warning on `scope`: printed by the synthesis, it does not fail it. */
export function warn(scope: IConstruct, message: string): void {
  scope.node.addMetadata(WARNING, message);
}

/** The warnings recorded on `scope` itself, as `[path] message`. */
export function warningsOn(scope: IConstruct): string[] {
  return scope.node.metadata.filter((m) => m.type === WARNING).map((m) => `[${scope.node.path}] ${m.data}`);
}

/** Every warning recorded in the tree of `root`, as `[path] message`. */
export function collectWarnings(root: IConstruct): string[] {
  return root.node.findAll().flatMap(warningsOn);
}
