import { route } from './route.js';

/** (being written) */
export const objectionsApi = {} satisfies Record<string, ReturnType<typeof route>>;
