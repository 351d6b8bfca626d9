export * from './incidents.js';
export * from './scheduled-actions.js';
export * from './on-call.js';
export * from './reports.js';
export * from './clocks.js';
export * from './similar.js';
export * from './reviews.js';
