import { route } from './route.js';

/** (being written) */
export const incidentsApi = {} satisfies Record<string, ReturnType<typeof route>>;
