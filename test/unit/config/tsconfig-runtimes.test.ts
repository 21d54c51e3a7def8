/**
 * Issue 14 (types per runtime): each runtime's tsconfig gives it only its own globals, so Node's
 * `process`/`Buffer` in src-shared or src-renderer, or the DOM in src-shared, fail the typecheck.
 * Compiles a small probe file with each project's own options (the TypeScript API, no emit).
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

const parsedFiles = new Map<string, ts.SourceFile | undefined>();
const PROBE = ["export const a = process.env.X;", "export const b = Buffer.from('x');", 'export const c = window.location.href;'].join('\n');

/** Which globals of the probe (`process`, `Buffer`, `window`) a project's options reject. */
function rejectedGlobals(project: string): string[] {
  const configPath = join(root, project, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile.bind(ts.sys));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath));
  const probe = join(root, project, '__probe__.ts');
  const options = { ...parsed.options, noEmit: true, composite: false, emitDeclarationOnly: false, declaration: false };
  const host = ts.createCompilerHost(options);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => f === probe || fileExists(f);
  // Library files are parsed once for all projects (they are the slow part).
  host.getSourceFile = (f, lang) => {
    if (f === probe) return ts.createSourceFile(f, PROBE, lang);
    if (!parsedFiles.has(f)) parsedFiles.set(f, getSourceFile(f, lang));
    return parsedFiles.get(f);
  };
  const program = ts.createProgram({ rootNames: [probe], options, host });
  const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return ['process', 'Buffer', 'window'].filter((name) => messages.some((m) => m.includes(`'${name}'`)));
}

describe('one tsconfig per runtime (issue 14)', { timeout: 120_000 }, () => {
  it('src-shared has neither Node nor DOM globals', () => {
    expect(rejectedGlobals('src-shared')).toEqual(['process', 'Buffer', 'window']);
  });

  it('src-renderer has the DOM but not Node', () => {
    expect(rejectedGlobals('src-renderer')).toEqual(['process', 'Buffer']);
  });

  it('src-main and src-platform have Node but not the DOM', () => {
    expect(rejectedGlobals('src-main')).toEqual(['window']);
    expect(rejectedGlobals('src-platform')).toEqual(['window']);
  });
});
