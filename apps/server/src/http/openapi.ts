import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { FILE_ROUTES, fileRouteKey } from './contract.js';

/**
 * The OpenAPI document, built from the routes' contracts. Timestamps are Dates on the server and
 * ISO text on the wire: the document says text. File answers (PDF, Excel) are described by their
 * media type; a list that also answers ?format=xlsx gets the Excel media type beside its JSON.
 */
const zodToJsonConfig = {
  override: (ctx: { zodSchema: { _zod: { def: { type: string } } }; jsonSchema: Record<string, unknown> }) => {
    // Timestamp (a custom check on text or Date) is ISO text on the wire
    if (ctx.zodSchema._zod.def.type === 'custom' || ctx.zodSchema._zod.def.type === 'date') {
      ctx.jsonSchema.type = 'string';
      ctx.jsonSchema.format = 'date-time';
    }
  },
};

export const openapiTransform = createJsonSchemaTransform({ zodToJsonConfig });
const baseObject = createJsonSchemaTransformObject({ zodToJsonConfig });

interface Operation {
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
}

export const openapiTransformObject: typeof baseObject = (input) => {
  const doc = baseObject(input);
  const paths = (doc as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const [path, item] of Object.entries(paths))
    for (const [method, op] of Object.entries(item)) {
      const c = FILE_ROUTES.get(fileRouteKey(method, path));
      if (!c || !op.responses) continue;
      const binary = { schema: { type: 'string', format: 'binary' } };
      const ok = (op.responses[String(c.status)] ??= { description: '成功 OK' });
      if (c.file && !c.response) ok.content = { [c.file]: binary };
      if (c.xlsx) ok.content = { ...ok.content, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': binary };
    }
  return doc;
};
