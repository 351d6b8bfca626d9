/** What people type, made safe once at the edge: Slack's escapes undone, bidi controls gone, control characters refused. Pure. */
import { UserError } from '../../errors.js';
import { decodeSlackEntities, hasControlCharacter, stripBidiControls } from '../../domain/text.js';

/** Said when text holds a NUL or another control character (usually pasted from a binary or a terminal). */
export const CONTROL_CHARACTER_REFUSED = 'This text contains a control character (such as NUL). Please remove it and try again.';

/**
 * A slash command's text as Slack sends it, bidi controls stripped: what the person typed has
 * `&`, `<` and `>` as entities, and (`should_escape: true`) the people, channels and links they
 * picked as `<…>` tokens. The parsers read the tokens first, then decode the entities once
 * (renderers escape again), so a typed `<!here>` stays text. Throws a UserError on a control
 * character, so the person is told and nothing reaches the services.
 */
export function commandText(raw: string | undefined): string {
  const text = stripBidiControls(raw ?? '');
  if (hasControlCharacter(decodeSlackEntities(text))) throw new UserError('control_character', CONTROL_CHARACTER_REFUSED);
  return text;
}

/**
 * A view's `state.values` (`{ blockId: { actionId: { value, ... } } }`) with every typed `value`
 * stripped of bidi controls (view submissions are not entity-escaped), and the blocks whose text
 * holds a control character, each with the message for its inline error.
 */
export function cleanViewText(values: unknown): { values: unknown; refused: Record<string, string> } {
  const refused: Record<string, string> = {};
  if (!isRecord(values)) return { values, refused };
  const cleaned = Object.fromEntries(
    Object.entries(values).map(([blockId, block]) => {
      if (!isRecord(block)) return [blockId, block];
      const elements = Object.entries(block).map(([actionId, element]) => {
        if (!isRecord(element) || typeof element.value !== 'string') return [actionId, element];
        if (hasControlCharacter(element.value)) refused[blockId] = CONTROL_CHARACTER_REFUSED;
        return [actionId, { ...element, value: stripBidiControls(element.value) }];
      });
      return [blockId, Object.fromEntries(elements)];
    }),
  );
  return { values: cleaned, refused };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
