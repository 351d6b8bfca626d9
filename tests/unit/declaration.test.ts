import { describe, expect, it } from 'vitest';
import { validateDeclaration, type CategoryRule } from '../../src/domain/declaration.js';

const categories: CategoryRule[] = [
  { id: 'harmful-trend', name: 'Harmful trend or challenge', defaultSeverity: 'sev2', private: false },
  { id: 'child-safety', name: 'Child safety', defaultSeverity: 'sev1', private: true },
];

describe('validateDeclaration', () => {
  it('accepts a complete declaration and tidies its whitespace', () => {
    const result = validateDeclaration(
      { title: '  Toxic   challenge  ', severity: 'sev2', category: 'harmful-trend', summary: ' spreading ', private: false },
      categories,
    );
    expect(result).toEqual({
      ok: true,
      value: { title: 'Toxic challenge', severity: 'sev2', category: 'harmful-trend', summary: 'spreading', isPrivate: false },
    });
  });

  it('reports every bad field at once, each with its own message', () => {
    const result = validateDeclaration({ title: ' a ', severity: 'sev9', category: 'nope' }, categories);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['category', 'severity', 'title']);
    expect(result.errors.title).toMatch(/at least 3 characters/);
  });

  it("takes the category's default severity when none is chosen", () => {
    const result = validateDeclaration({ title: 'Challenge spreading', category: 'harmful-trend' }, categories);
    expect(result.ok && result.value.severity).toBe('sev2');
  });

  it('refuses a missing title and an over-long one', () => {
    const missing = validateDeclaration({ severity: 'sev1', category: 'harmful-trend' }, categories);
    const long = validateDeclaration({ title: 'x'.repeat(151), severity: 'sev1', category: 'harmful-trend' }, categories);
    expect(missing.ok || missing.errors.title).toBe('Give the incident a title.');
    expect(long.ok || long.errors.title).toMatch(/under 150/);
  });

  it('makes an incident of a private category private even when the box is not ticked', () => {
    const result = validateDeclaration({ title: 'Grooming ring', severity: 'sev1', category: 'child-safety', private: false }, categories);
    expect(result.ok && result.value.isPrivate).toBe(true);
  });
});
