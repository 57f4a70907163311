import { z } from 'zod';
import { DateStr, IdParams, Text, Timestamp, route } from './route.js';

/** 明查暗访: reproducible random samples of units, their results, per unit and per region. */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as const;
const Year = z.coerce.number().int().min(2000).max(2100);
export const InspectionMode = z.enum(['announced', 'unannounced']);

export const InspectionSample = z.object({
  id: z.number(),
  year: z.number(),
  quarter: z.number(),
  mode: InspectionMode,
  /** the seed it was drawn with: the same seed over the same population gives the same units */
  seed: z.string(),
  size: z.number(),
  population: z.number(),
  createdAt: Timestamp,
});

export const InspectionItem = z
  .object({
    id: z.number(),
    sampleId: z.number(),
    subjectId: z.number(),
    subjectName: z.string(),
    unitType: z.string().nullable(),
    address: z.string().nullable(),
    regionName: z.string(),
    score: z.number().nullable(),
    findings: z.string().nullable(),
    inspectedOn: z.string().nullable(),
    inspectorName: z.string().nullable(),
  })
  .meta({ id: 'InspectionItem' });

export const InspectionSampleDetail = InspectionSample.extend({ items: z.array(InspectionItem) }).meta({ id: 'InspectionSample' });

export const InspectionResults = z
  .object({
    year: z.number(),
    samples: z.number(),
    units: z.array(
      z.object({
        subjectId: z.number(),
        subjectName: z.string(),
        regionName: z.string(),
        area: z.string(),
        inspections: z.number(),
        average: z.number(),
      }),
    ),
    regions: z.array(
      z.object({
        regionId: z.number(),
        regionName: z.string(),
        units: z.number(),
        inspections: z.number(),
        average: z.number(),
        rank: z.number(),
      }),
    ),
  })
  .meta({ id: 'InspectionResults' });

export const inspectionsApi = {
  draw: route({
    id: 'drawInspectionSample',
    method: 'POST',
    path: '/api/inspections/samples',
    summary: '明查暗访抽样 Draw a reproducible random sample of units',
    tags: ['inspections'],
    auth: 'session',
    body: z.object({
      year: z.number().int().min(2000).max(2100),
      quarter: z.number().int().min(1).max(4),
      mode: InspectionMode,
      size: z.number().int().min(1).max(1000),
      seed: Text(64).nullish(),
    }),
    status: 201,
    response: InspectionSampleDetail,
  }),
  list: route({
    id: 'listInspectionSamples',
    method: 'GET',
    path: '/api/inspections/samples',
    summary: '抽查批次 Samples of my region',
    tags: ['inspections'],
    auth: 'session',
    query: z.object({ year: Year.optional() }),
    status: 200,
    response: z.object({ items: z.array(InspectionSample.extend({ done: z.number() })) }),
  }),
  detail: route({
    id: 'getInspectionSample',
    method: 'GET',
    path: '/api/inspections/samples/:id',
    summary: '抽查批次详情 A sample with its units',
    tags: ['inspections'],
    auth: 'session',
    params: IdParams,
    status: 200,
    response: InspectionSampleDetail,
  }),
  record: route({
    id: 'recordInspection',
    method: 'PUT',
    path: '/api/inspections/items/:id',
    summary: '记录检查结果 Record a unit’s result',
    tags: ['inspections'],
    auth: 'session',
    params: IdParams,
    body: z.object({ score: z.number().finite().min(0).max(100), findings: Text(5000).nullish(), inspectedOn: DateStr }),
    status: 200,
    response: InspectionItem,
  }),
  results: route({
    id: 'getInspectionResults',
    method: 'GET',
    path: '/api/inspections/results',
    summary: '明查暗访结果 Results per unit and region (?format=xlsx)',
    tags: ['inspections'],
    auth: 'session',
    query: z.object({ year: Year, format: z.enum(['json', 'xlsx']).optional() }),
    status: 200,
    response: InspectionResults,
    xlsx: true,
    file: XLSX,
  }),
};
