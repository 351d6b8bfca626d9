import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StateSnapshot } from './slack/state.js';

/** What the sandbox keeps under DATA_DIR: Slack's side of the workspace, and who has read what. */
export interface SavedSandbox {
  version: 1;
  slack: StateSnapshot;
  lastRead: Record<string, Record<string, string>>;
}

/** The sandbox's file; the bot's own data sits beside it (PGlite, a private Redis). */
export function sandboxFile(dir: string): string {
  return path.join(dir, 'slack-workspace.json');
}

export function loadSandbox(dir: string): SavedSandbox | undefined {
  try {
    const saved = JSON.parse(readFileSync(sandboxFile(dir), 'utf8')) as SavedSandbox;
    return saved.version === 1 ? saved : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole to a temporary file, then renamed, so a crash never leaves half a workspace. */
export function saveSandbox(dir: string, saved: SavedSandbox): void {
  mkdirSync(dir, { recursive: true });
  const file = sandboxFile(dir);
  writeFileSync(`${file}.tmp`, JSON.stringify(saved));
  renameSync(`${file}.tmp`, file);
}
