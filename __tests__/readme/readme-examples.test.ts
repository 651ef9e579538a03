import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { App } from 'cdk8s';
import * as lib from '../../lib';
import { planApp, renderFile } from '../../lib';
import { ROOT } from '../helpers';

/*
 * Every ```ts example of README.md, compiled (type-checked against the library as published:
 * `cdk8s-microservices` resolves to lib/index.ts) and run. An example that is a fragment is
 * completed by a harness: the library's exports and what the surrounding text assumes (an `app`,
 * an `image`), declared only when the example uses them without declaring them itself.
 */

interface Example {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The heading of the section it is in. */
  readonly section: string;
  readonly code: string;
}

function readmeExamples(): Example[] {
  const lines = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n');
  const examples: Example[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    if (/^#{1,6} /.test(lines[i])) section = lines[i].replace(/^#+ /, '');
    if (lines[i].trim() === '```ts') {
      const start = i;
      const body: string[] = [];
      while (++i < lines.length && lines[i].trim() !== '```') body.push(lines[i]);
      examples.push({ line: start + 1, section, code: body.join('\n') });
    } else if (/^```/.test(lines[i])) {
      while (++i < lines.length && lines[i].trim() !== '```'); // skip other fenced blocks
    }
  }
  return examples;
}

/** What fragments may use without declaring it: identifier → its declaration. */
const CONTEXT: Record<string, string> = {
  app: 'const app = new App();',
  image: "const image = 'harbor.example.com/ecommerce/user-service:v1.2.3';",
  newImage: "const newImage = 'harbor.example.com/ecommerce/user-service:v1.3.0';",
};

const declares = (code: string, name: string) => new RegExp(`\\b(const|let|var|function|class)\\s+${name}\\b|import\\s*\\{[^}]*\\b${name}\\b`).test(code);
const uses = (code: string, name: string) => new RegExp(`\\b${name}\\b`).test(code);

/** The example completed into a module that exports its app (when it has one). */
function harness(example: Example): string {
  const { code } = example;
  const prelude: string[] = [];
  if (!/^\s*import\s/m.test(code)) {
    // A fragment: everything the library exports, as the surrounding text assumes.
    const names = Object.keys(lib).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && uses(code, n));
    prelude.push("import { App } from 'cdk8s';");
    if (names.length > 0) prelude.push(`import { ${names.join(', ')} } from 'cdk8s-microservices';`);
  }
  for (const [name, declaration] of Object.entries(CONTEXT)) {
    if (uses(code, name) && !declares(code, name)) prelude.push(declaration);
  }
  const exportsApp = declares(code, 'app') || prelude.some((l) => l.startsWith('const app '));
  return [...prelude, code, exportsApp ? 'export { app as readmeApp };' : 'export {};', ''].join('\n');
}

/** Type errors of the completed examples, type-checked together in one program. */
function typeErrors(sources: Map<string, string>): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true, resolveJsonModule: true, types: ['node'],
    baseUrl: ROOT, paths: { 'cdk8s-microservices': ['lib/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = sources.get(path.resolve(fileName));
    return text !== undefined ? ts.createSourceFile(fileName, text, languageVersion, true) : getSourceFile(fileName, languageVersion, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (f) => sources.has(path.resolve(f)) || fileExists(f);
  const program = ts.createProgram([...sources.keys()], options, host);
  return [...sources.keys()].flatMap((file) => [
    ...program.getSyntacticDiagnostics(program.getSourceFile(file)),
    ...program.getSemanticDiagnostics(program.getSourceFile(file)),
  ]).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return `${d.file ? path.basename(d.file.fileName) : ''}${where ? `:${where.line + 1}` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** Runs a completed example in `cwd`, with the library and cdk8s as this test loaded them. */
function run(source: string, cwd: string): { readmeApp?: App } {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const modules: Record<string, unknown> = { 'cdk8s': require('cdk8s'), 'cdk8s-microservices': lib };
  const module = { exports: {} as Record<string, any> };
  const requireModule = (name: string) => {
    if (!(name in modules)) throw new Error(`the README example imports ${name}, which the harness does not provide`);
    return modules[name];
  };
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    new Function('require', 'module', 'exports', js)(requireModule, module, module.exports);
  } finally {
    process.chdir(previous);
  }
  return module.exports;
}

const examples = readmeExamples();
const files = new Map(examples.map((e) => [path.join(ROOT, '__tests__', 'readme', `readme-line-${e.line}.ts`), harness(e)] as const));

describe('README examples', () => {
  test('the README has TypeScript examples to check', () => {
    expect(examples.map((e) => e.section)).toEqual([
      'Workloads beyond the Deployment', 'Traffic management and canaries (Istio)', 'Traffic management and canaries (Istio)', 'Argo Rollouts',
      'Any number of versions, gateways, egress (Istio\'s bookinfo and tasks)',
      'Observability: monitors, SLO alerts and dashboards (kube-prometheus-stack)', 'Platform objects: certificates, secret stores, RBAC, Argo CD',
      'Using the library in your own cdk8s app',
    ]);
  });

  test('every example type-checks against the library', () => {
    expect(typeErrors(files)).toEqual([]);
  }, 120_000);

  test.each(examples.map((e) => [e.line, e.section, e] as const))('the example at line %i (%s) runs and its app synthesizes', (_line, _section, example) => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-example-'));
    const exported = run(files.get(path.join(ROOT, '__tests__', 'readme', `readme-line-${example.line}.ts`))!, cwd);
    expect(exported.readmeApp).toBeInstanceOf(App);
    // Every construct validates and every object renders (what `npm run synth` would write).
    const manifests = planApp(exported.readmeApp!).files.flatMap((f) => renderFile(f).objects.map((o) => o.manifest));
    expect(manifests.length).toBeGreaterThan(0);
    if (/synthesize\(/.test(example.code)) {
      // The example writes its output itself: relative to where it runs, never into this repository's dist/.
      const written = fs.readdirSync(path.join(cwd, 'dist', 'prod')).sort();
      expect(written).toEqual(expect.arrayContaining(['00-namespace.yaml', '50-user-service.yaml', '50-order-service.yaml']));
    }
  });

  test('the canary example routes 90/10 with the tester header to v2', () => {
    const example = examples.find((e) => e.section.startsWith('Traffic management'))!;
    const exported = run(files.get(path.join(ROOT, '__tests__', 'readme', `readme-line-${example.line}.ts`))!, os.tmpdir());
    const vs = planApp(exported.readmeApp!).files.flatMap((f) => renderFile(f).objects.map((o) => o.manifest)).find((m) => m.kind === 'VirtualService');
    expect(vs.spec.http[0].match).toEqual([{ headers: { 'x-user-type': { exact: 'tester' } } }]);
    expect(vs.spec.http[1].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 90], ['v2', 10]]);
    expect(vs.spec.http[1].timeout).toBe('5s');
  });
});
