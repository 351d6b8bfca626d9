export * from './incidents.js';
export * from './scheduled-actions.js';
