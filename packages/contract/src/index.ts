export * from './route.js';
export * from './common.js';
export * from './applications.js';
