import { z } from 'zod';
import { SEVERITIES, type Severity } from './severity.js';

/** What a T&S category decides at declaration. */
export interface CategoryRule {
  id: string;
  name: string;
  defaultSeverity: Severity;
  /** Sensitive categories (child safety, self-harm) are always private. */
  private: boolean;
  /** Distressing material: the incident is private whatever its `private` says. */
  sensitive?: boolean;
}

export const TITLE_MAX = 150;
export const SUMMARY_MAX = 3000;

/** The fields of a declaration, named as the declare modal's blocks are. */
export type DeclarationField = 'title' | 'severity' | 'category' | 'summary' | 'private';

export interface Declaration {
  title: string;
  severity: Severity;
  category: string;
  summary: string;
  isPrivate: boolean;
}

export type DeclarationResult = { ok: true; value: Declaration } | { ok: false; errors: Partial<Record<DeclarationField, string>> };

function schemaFor(categories: readonly CategoryRule[]) {
  const ids = new Set(categories.map((c) => c.id));
  return z.object({
    title: z
      .string({ error: 'Give the incident a title.' })
      .transform((s) => s.replace(/\s+/g, ' ').trim())
      .pipe(
        z
          .string()
          .min(3, 'Give the incident a title of at least 3 characters.')
          .max(TITLE_MAX, `Keep the title under ${TITLE_MAX} characters; put details in the summary.`),
      ),
    severity: z.enum(SEVERITIES, { error: 'Choose a severity.' }).optional(),
    category: z.string({ error: 'Choose a category.' }).refine((c) => ids.has(c), 'Choose one of the listed categories.'),
    summary: z
      .string()
      .optional()
      .transform((s) => (s ?? '').trim())
      .pipe(z.string().max(SUMMARY_MAX, `Keep the summary under ${SUMMARY_MAX} characters.`)),
    private: z.boolean().default(false),
  });
}

/**
 * Checks a declaration as typed into the modal. A category marked private makes the incident
 * private whatever the checkbox says: a child-safety case must never be announced by mistake.
 * A severity left empty is the category's default severity.
 */
export function validateDeclaration(raw: Record<string, unknown>, categories: readonly CategoryRule[]): DeclarationResult {
  const parsed = schemaFor(categories).safeParse(raw);
  if (!parsed.success) {
    const errors: Partial<Record<DeclarationField, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as DeclarationField;
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const { title, category, summary } = parsed.data;
  const rule = categories.find((c) => c.id === category);
  // Left empty, the severity is the category's usual one (a regulator request is SEV2 unless said otherwise).
  const severity = parsed.data.severity ?? rule?.defaultSeverity ?? 'sev3';
  return {
    ok: true,
    value: { title, severity, category, summary, isPrivate: parsed.data.private || Boolean(rule?.private || rule?.sensitive) },
  };
}
