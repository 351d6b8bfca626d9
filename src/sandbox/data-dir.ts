import path from 'node:path';

/** Where the sandbox keeps everything: a folder of its own under DATA_DIR (default ./data). */
export function sandboxDataDir(dataDir: string | undefined): string {
  return path.join(dataDir && dataDir !== '' ? dataDir : './data', 'sandbox');
}
