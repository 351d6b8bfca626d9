/**
 * Reading the file `MERIDIAN_CONFIG` points at. Every error is reported at once, each as
 * `path: message` with the path as written in the file, e.g.
 * `schedules[0].layers[2].rotation.handoff: expected HH:MM`.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { referenceIssues, type ConfigIssue } from './references.js';
import { meridianConfigFileSchema } from './schema.js';
import type { MeridianConfig } from './types.js';

export { defaultMeridianConfig } from './defaults.js';
export type { MeridianConfig } from './types.js';

/** The outcome of reading a config file: the config, or every error found in it. */
export type ConfigLoadResult = { readonly ok: true; readonly config: MeridianConfig } | { readonly ok: false; readonly errors: string[] };

/** Syntax of a config file. */
export type ConfigFormat = 'yaml' | 'json';

const TOP_LEVEL = '(top level)';

function formatPath(path: readonly PropertyKey[]): string {
  let formatted = '';
  for (const key of path) {
    if (typeof key === 'number') formatted += `[${key}]`;
    else formatted += `${formatted === '' ? '' : '.'}${String(key)}`;
  }
  return formatted === '' ? TOP_LEVEL : formatted;
}

function joinPath(base: string, key: string): string {
  return base === TOP_LEVEL ? key : `${base}.${key}`;
}

function schemaIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue[] => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: joinPath(path, key), message: 'unknown key' }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) return [{ path, message: 'required' }];
    return [{ path, message: issue.message.replace(/^Invalid input: /, '') }];
  });
}

function parseSyntax(text: string, format: ConfigFormat): { data: unknown } | { errors: string[] } {
  if (format === 'json') {
    try {
      return { data: JSON.parse(text) as unknown };
    } catch (error) {
      return { errors: [`${TOP_LEVEL}: invalid JSON: ${(error as Error).message}`] };
    }
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    return {
      errors: document.errors.map((error) => {
        const where = error.linePos?.[0];
        const firstLine = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        return `${where ? `line ${where.line}, column ${where.col}` : TOP_LEVEL}: invalid YAML: ${firstLine}`;
      }),
    };
  }
  return { data: document.toJS() as unknown };
}

/** Parses and validates config text; pure. An empty document is an empty config (all defaults). */
export function parseMeridianConfig(text: string, format: ConfigFormat): ConfigLoadResult {
  const syntax = parseSyntax(text, format);
  if ('errors' in syntax) return { ok: false, errors: syntax.errors };
  const data = syntax.data ?? {};
  const result = meridianConfigFileSchema.safeParse(data, { reportInput: true });
  const issues = [...(result.success ? [] : schemaIssues(result.error.issues)), ...referenceIssues(data)];
  if (issues.length > 0 || !result.success) {
    return { ok: false, errors: issues.map((issue) => `${issue.path}: ${issue.message}`) };
  }
  return { ok: true, config: result.data };
}

/** YAML or JSON: by the file's extension, else by whether the text starts like JSON. */
export function configFormatOf(path: string, text: string): ConfigFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** Reads and validates the config file at `path` (the value of `MERIDIAN_CONFIG`). */
export async function loadMeridianConfig(path: string): Promise<ConfigLoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, errors: [`${path}: cannot read the config file: ${(error as Error).message}`] };
  }
  return parseMeridianConfig(text, configFormatOf(path, text));
}
