import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { warningsOn } from '../core/warnings';
import { ApplyOrder } from './apply-order';
import { kindRank } from './kind-order';
import { withFastObjectJson } from './object-json';

/** A Kubernetes object as plain JSON, with the construct path it came from. */
export interface RenderedObject {
  /** The manifest. */
  readonly manifest: any;
  /** Path of the construct that defined it (for error messages). */
  readonly constructPath: string;
}

/** One output file of an app. */
export interface RenderedFile {
  /** File name, `<NN>-<chart id>.yaml`. */
  readonly fileName: string;
  /** Its objects, in apply order. */
  readonly objects: readonly RenderedObject[];
}

/** Thrown when constructs report validation errors at synthesis. */
export class SynthesisError extends Error {
  constructor(public readonly errors: readonly string[]) {
    super(`synthesis failed with ${errors.length} error(s):\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'SynthesisError';
  }
}

/** A chart to be rendered into one file: known before any object is turned into JSON. */
export interface PlannedFile {
  /** File name, `<NN>-<chart id>.yaml`. */
  readonly fileName: string;
  /** Its objects, in apply order. */
  readonly objects: readonly ApiObject[];
}

/** What {@link planApp} found: the files to render and the constructs' warnings. */
export interface AppPlan {
  /** Files, sorted by name (apply order). */
  readonly files: readonly PlannedFile[];
  /** Warnings recorded on constructs (`[path] message`), in tree order. */
  readonly warnings: readonly string[];
}

/**
 * Validates every construct of `app` and lays out its files, without rendering anything: charts
 * become files sorted by name (apply order), objects are sorted by kind. Charts without objects
 * produce no file. Throws {@link SynthesisError} listing every construct's validation error.
 * One walk of the tree does it all, warnings included: walks cost a tenth of a large synth.
 */
export function planApp(app: App): AppPlan {
  const errors: string[] = [];
  const warnings: string[] = [];
  const charts: Chart[] = [];
  const objectsByChart = new Map<Chart, ApiObject[]>();
  const visit = (c: IConstruct) => {
    for (const message of c.node.validate()) errors.push(`[${c.node.path}] ${message}`);
    if (c.node.metadata.length > 0) warnings.push(...warningsOn(c));
    if (Chart.isChart(c)) {
      charts.push(c);
      objectsByChart.set(c, []);
    } else if (ApiObject.isApiObject(c)) {
      objectsByChart.get(c.chart)?.push(c);
    }
    for (const child of c.node.children) visit(child);
  };
  visit(app);
  if (errors.length > 0) throw new SynthesisError(errors);

  const names = new Set<string>();
  const files = charts.map((chart) => {
    const fileName = `${String(ApplyOrder.of(chart)).padStart(2, '0')}-${chart.node.id}.yaml`;
    if (names.has(fileName)) throw new SynthesisError([`[${chart.node.path}] two charts would write ${fileName}: give one a different id`]);
    names.add(fileName);
    const objects = objectsByChart.get(chart)!
      .map((object, index) => ({ object, index, rank: kindRank(object.kind) }))
      .sort((a, b) => a.rank - b.rank || a.index - b.index)
      .map((x) => x.object);
    return { fileName, objects };
  });
  return {
    files: files.filter((f) => f.objects.length > 0).sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0)),
    warnings,
  };
}

/** Turns a planned file's objects into JSON, resolving lazy values. */
export function renderFile(file: PlannedFile): RenderedFile {
  return withFastObjectJson(() => ({ fileName: file.fileName, objects: file.objects.map((o) => ({ manifest: o.toJson(), constructPath: o.node.path })) }));
}

/**
 * Renders every chart of `app` to JSON, without writing anything: runs the constructs'
 * validations, resolves lazy values and orders objects for a one-pass apply. Unlike
 * `App.synth()` it does no dependency-graph pass or YAML round trip, which keeps large apps
 * linear in their size.
 */
export function renderApp(app: App): RenderedFile[] {
  return planApp(app).files.map(renderFile);
}
