import { z } from 'zod';
import { SubjectKind } from '@pingan/core';
import { route } from './route.js';
import { ApplicationStatus } from './common.js';

/** 工作台: the figures of the account's own region (and, for a department, its categories). */

export const DashboardView = z
  .object({
    region: z.object({ id: z.number(), name: z.string() }),
    /** a department's categories; null when the figures cover every category */
    categoryCodes: z.array(z.string()).nullable(),
    /** subjects in the region by kind */
    subjects: z.partialRecord(SubjectKind, z.number()),
    applicationsByStatus: z.partialRecord(ApplicationStatus, z.number()),
    /** titles in force by stars ("1" … "5") */
    titlesByStars: z.record(z.string(), z.number()),
    byCategory: z.array(z.object({ code: z.string(), name: z.string(), status: ApplicationStatus, n: z.number() })),
  })
  .meta({ id: 'Dashboard', description: '工作台统计 Figures for my region' });

export const dashboardApi = {
  get: route({
    id: 'getDashboard',
    method: 'GET',
    path: '/api/dashboard',
    summary: '工作台统计 Figures for my region',
    tags: ['dashboard'],
    auth: 'session',
    status: 200,
    response: DashboardView,
  }),
};
