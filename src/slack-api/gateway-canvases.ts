import { type GatewayContext, required } from './gateway-support.js';

/** Canvases (scope `canvases:write`): documents written in Markdown, tabbed in a channel. */
export function canvasMethods({ client, call }: GatewayContext) {
  return {
    /** canvases.create with `channel_id`: the canvas is tabbed in that channel. Answers its id. */
    async createCanvas(input: { channelId: string; title: string; markdown: string }): Promise<{ canvasId: string }> {
      const res = await call('canvases.create', () =>
        client.canvases.create({
          channel_id: input.channelId,
          title: input.title,
          document_content: { type: 'markdown', markdown: input.markdown },
        }),
      );
      return { canvasId: required((res as { canvas_id?: string }).canvas_id, 'canvases.create', 'canvas_id') };
    },

    /** canvases.edit: replaces the whole document (a `replace` without a section). `canvas_not_found` once it was deleted. */
    async replaceCanvas(input: { canvasId: string; markdown: string }): Promise<void> {
      await call('canvases.edit', () =>
        client.canvases.edit({
          canvas_id: input.canvasId,
          changes: [{ operation: 'replace', document_content: { type: 'markdown', markdown: input.markdown } }],
        }),
      );
    },
  };
}
