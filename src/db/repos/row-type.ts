/**
 * Compile-time only: `Row` (a table's select type) must be assignable to the domain's `Domain`.
 * A repository names one such type per table it returns, so a column retyped or dropped breaks
 * the build there rather than reaching the domain untyped.
 */
export type RowOf<Domain, Row extends Domain> = Row;
