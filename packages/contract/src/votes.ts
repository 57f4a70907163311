import { route } from './route.js';

/** (being written) */
export const votesApi = {} satisfies Record<string, ReturnType<typeof route>>;
