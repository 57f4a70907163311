import { route } from './route.js';

/** (being written) */
export const honourApi = {} satisfies Record<string, ReturnType<typeof route>>;
