import type { FakeFile } from '../types.js';
import { findConversation, type MethodHandler, needString, optString, SlackFail } from './args.js';

/** Path of the upload URL on the fake server; the file id follows it. */
export const UPLOAD_PATH = '/upload/v1/';

/**
 * files.getUploadURLExternal: step 1 of `files.uploadV2`. The upload URL points back at this
 * server so the whole flow runs over real HTTP.
 */
export const filesGetUploadUrlExternal: MethodHandler = ({ state, args, baseUrl }) => {
  const filename = needString(args, 'filename', 'invalid_arguments');
  const length = Number(needString(args, 'length', 'invalid_arguments'));
  if (!Number.isInteger(length) || length < 1) throw new SlackFail('invalid_arguments');
  const file: FakeFile = { id: state.nextId('F'), filename, title: filename, length, content: undefined, completed: false };
  state.files.set(file.id, file);
  return { ok: true, upload_url: `${baseUrl.replace(/\/$/, '')}${UPLOAD_PATH}${file.id}`, file_id: file.id };
};

interface CompleteEntry {
  id: string;
  title?: string;
}

function readEntries(args: Record<string, unknown>): CompleteEntry[] {
  const files = args['files'];
  if (!Array.isArray(files) || files.length === 0) throw new SlackFail('invalid_arguments');
  return files.map((entry: unknown) => {
    const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    if (typeof record['id'] !== 'string') throw new SlackFail('invalid_arguments');
    return { id: record['id'], ...(typeof record['title'] === 'string' ? { title: record['title'] } : {}) };
  });
}

/**
 * files.completeUploadExternal: step 3. Every file must have been uploaded in step 2; with a
 * `channel_id` the files are shared there in one message carrying `initial_comment`.
 */
export const filesCompleteUploadExternal: MethodHandler = ({ state, args }) => {
  const entries = readEntries(args);
  const channelId = optString(args, 'channel_id');
  const channel = channelId === undefined ? undefined : findConversation(state, channelId);
  const files = entries.map((entry) => {
    const file = state.files.get(entry.id);
    if (file === undefined || file.content === undefined) throw new SlackFail('file_not_found');
    return { file, title: entry.title };
  });
  const initialComment = optString(args, 'initial_comment');
  for (const { file, title } of files) {
    file.completed = true;
    if (title !== undefined) file.title = title;
    if (channel !== undefined) file.channelId = channel.id;
    if (initialComment !== undefined) file.initialComment = initialComment;
  }
  if (channel !== undefined) {
    state.postMessage(channel, { text: initialComment ?? '', blocks: undefined, files: files.map((f) => f.file.id) });
  }
  return {
    ok: true,
    files: files.map(({ file }) => ({
      id: file.id,
      name: file.filename,
      title: file.title,
      size: file.content?.length ?? 0,
      url_private: `https://files.meridian-test.slack.com/files-pri/${file.id}/${file.filename}`,
      permalink: `https://meridian-test.slack.com/files/${file.id}/${file.filename}`,
      channels: channel === undefined ? [] : [channel.id],
    })),
  };
};
