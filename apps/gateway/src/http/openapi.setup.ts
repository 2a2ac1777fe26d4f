import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { type SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** OpenAPI tags, one per feature folder; a new feature adds its tag here. */
export const API_TAGS = {
  flows: 'flows',
  uploads: 'uploads',
  jobs: 'jobs',
  alerts: 'alerts',
  stats: 'stats',
  live: 'live',
  decisions: 'decisions',
  safety: 'safety',
  crowdsec: 'crowdsec',
  models: 'models',
  inference: 'inference-v2',
} as const;

/** Health and metrics stay open (probes and Prometheus carry no key); everything else declares a role. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics', '/v2/health/live', '/v2/health/ready']);
/** Path prefixes the gateway serves besides /api/v1: CrowdSec's Local API (bouncers) and KServe's Open Inference Protocol. */
export const COMPAT_PREFIXES: readonly string[] = ['/v1/decisions', '/v2'];

export const ERROR_ENVELOPE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['code', 'message', 'details', 'correlationId'],
  properties: {
    code: { type: 'string', example: 'AUTH.MISSING_KEY' },
    message: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
    correlationId: { type: 'string' },
  },
};

/** A zod schema as an OpenAPI 3.0 schema object (for @ApiBody / @ApiOkResponse). */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as SchemaObject;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Vigil gateway API')
    .setDescription(
      'The public REST API of Vigil. Every /api/v1 route needs an API key (`X-Api-Key` header or `Authorization: Bearer`) with the role named in its `x-vigil-role`; errors are `{code, message, details, correlationId}`. The live feed is a WebSocket at /ws (see docs/api.md).',
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'the same API key as a bearer token' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  // The health controllers live in @vigil/observability; here they are marked open and tagged.
  for (const path of PUBLIC_PATHS) {
    for (const op of Object.values(document.paths[path] ?? {}) as { tags?: string[]; security?: unknown[]; summary?: string }[]) {
      op.tags = ['health'];
      op.security = [];
    }
  }
  return document;
}

/** Serves the document at /api/docs (UI) and /api/docs-json; both open, like the health endpoints. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', yamlDocumentUrl: 'api/docs-yaml' });
  return document;
}
