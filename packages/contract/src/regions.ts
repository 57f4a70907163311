import { z } from 'zod';
import { route } from './route.js';

/** 辖区: the regions of the account's subtree. */

export const RegionLevel = z.enum(['province', 'city', 'county', 'town', 'village', 'grid']);

export const RegionView = z
  .object({
    id: z.number(),
    parentId: z.number().nullable(),
    name: z.string(),
    level: RegionLevel,
    /** materialised path "/1/4/17/" */
    path: z.string(),
  })
  .meta({ id: 'Region', description: '辖区 A region' });

export const regionsApi = {
  list: route({
    id: 'listRegions',
    method: 'GET',
    path: '/api/regions',
    summary: '辖区 Regions in my subtree',
    tags: ['regions'],
    auth: 'session',
    status: 200,
    response: z.array(RegionView),
  }),
};
