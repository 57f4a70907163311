export * from './departments.js';
export * from './standard.js';
export * from './rating.js';
export * from './workflow.js';
export * from './completeness.js';
export * from './scope.js';
export * from './numerals.js';
export * from './programme.js';
