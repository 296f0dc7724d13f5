import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The dependency rule of DEVELOPERS.md, checked on every import of every source file:
 * domain imports no framework and no outer layer; data implements domain; handlers use domain only;
 * bot adapters never touch the database (only the composition root wires data in).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const LAYERS = ['bot', 'handlers', 'domain', 'prompts', 'data'] as const;
type Layer = (typeof LAYERS)[number];

/** Packages the pure domain may use: small pure libraries, no frameworks, no I/O. */
const DOMAIN_PACKAGES = new Set(['zod', 'date-fns']);
const DB_PACKAGES = ['sequelize', 'sqlite3', 'pg', 'umzug', 'pg-copy-streams'];
/** The only bot/ files allowed to import data/: the composition root. */
const COMPOSITION_ROOTS = new Set(['bot/container.ts']);

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const specs: string[] = [];
  const visit = (n: ts.Node) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      specs.push(n.moduleSpecifier.text);
    } else if (ts.isCallExpression(n) && n.arguments.length === 1 && ts.isStringLiteral(n.arguments[0]) &&
      (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) {
      specs.push(n.arguments[0].text);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return specs;
}

function layerOf(absPath: string): Layer | undefined {
  const first = path.relative(ROOT, absPath).split(path.sep)[0];
  return (LAYERS as readonly string[]).includes(first) ? (first as Layer) : undefined;
}

interface Violation { file: string; spec: string; why: string }

/** The rule for one file's imports; `file` is absolute, inside one of the layers. */
function check(file: string, specs: string[]): Violation[] {
  const found: Violation[] = [];
  const layer = layerOf(file)!;
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  for (const spec of specs) {
        const isRelative = spec.startsWith('.');
        const target = isRelative ? layerOf(path.resolve(path.dirname(file), spec)) : undefined;
        const pkg = isRelative || spec.startsWith('node:') ? undefined : spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        const bad = (why: string) => found.push({ file: rel, spec, why });
        if (layer === 'domain') {
          if (target && target !== 'domain') bad('domain imports only domain');
          if (pkg && !DOMAIN_PACKAGES.has(pkg)) bad(`domain imports no framework (${pkg})`);
          if (spec.startsWith('node:') || (!isRelative && ['fs', 'http', 'net', 'child_process'].includes(spec))) bad('domain does no I/O');
        }
        if (layer === 'handlers') {
          if (target && !['handlers', 'domain', 'prompts'].includes(target)) bad('handlers use domain only');
          if (pkg && DB_PACKAGES.includes(pkg)) bad('handlers never touch the database');
        }
        if (layer === 'data' && target && !['data', 'domain'].includes(target)) bad('data implements domain, nothing outward');
        if (layer === 'prompts' && target && !['prompts', 'domain'].includes(target)) bad('prompts depend on domain only');
        if (layer === 'bot' && !COMPOSITION_ROOTS.has(rel)) {
          if (target === 'data') bad('bot adapters never touch the database (go through bot/container.ts)');
          if (pkg && DB_PACKAGES.includes(pkg)) bad('bot adapters never touch the database');
        }
  }
  return found;
}

function violations(): Violation[] {
  return LAYERS.flatMap((layer) => sourceFiles(path.join(ROOT, layer)).flatMap((f) => check(f, importsOf(f))));
}

describe('dependency rule', () => {
  it('holds for every import in the project', () => {
    expect(violations()).toEqual([]);
  });

  it.each([
    ['domain/kpi/x.ts', 'sequelize', 'domain imports no framework (sequelize)'],
    ['domain/kpi/x.ts', '../../data/db', 'domain imports only domain'],
    ['domain/x.ts', 'node:fs', 'domain does no I/O'],
    ['handlers/track.ts', '../data/db', 'handlers use domain only'],
    ['bot/slack/adapter.ts', '../../data/models', 'bot adapters never touch the database (go through bot/container.ts)'],
    ['bot/slack/adapter.ts', 'pg', 'bot adapters never touch the database'],
    ['data/repo.ts', '../bot/config', 'data implements domain, nothing outward'],
  ])('catches %s importing %s', (file, spec, why) => {
    expect(check(path.join(ROOT, file), [spec]).map((v) => v.why)).toEqual([why]);
  });

  it('lets the composition root wire data in', () => {
    expect(check(path.join(ROOT, 'bot/container.ts'), ['../data/db'])).toEqual([]);
  });
});
