import { z } from 'zod';
import { errorResponse } from './common-schemas';
import type { ResponseSchema, TaggedRouteSchema } from './route-schema';

type JsonSchema = Record<string, unknown>;

/**
 * JSON Schema 2020-12 of a zod schema, the dialect OpenAPI 3.1 uses: requests as they are sent
 * (io: input), answers as they are sent back (io: output). A schema whose text form differs from
 * its meaning (a page size in the query string is digits) says so with meta({openapi: …}).
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
	const result = z.toJSONSchema(schema, {
		io,
		target: 'draft-2020-12',
		unrepresentable: 'any',
		override: ({ zodSchema, jsonSchema: out }) => {
			const meta = z.globalRegistry.get(zodSchema as unknown as z.ZodType) as { openapi?: JsonSchema } | undefined;
			if (!meta?.openapi) return;
			const description = out.description;
			for (const key of Object.keys(out)) delete (out as JsonSchema)[key];
			Object.assign(out, description ? { description } : {}, meta.openapi);
		},
	}) as JsonSchema;
	delete result.$schema;
	return stripOpenApiMeta(result);
}

/** meta({openapi}) has done its job in override; the key itself is not JSON Schema. */
function stripOpenApiMeta<T>(value: T): T {
	if (Array.isArray(value)) return value.map(stripOpenApiMeta) as T;
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value)
				.filter(([key]) => key !== 'openapi')
				.map(([key, inner]) => [key, stripOpenApiMeta(inner)]),
		) as T;
	}
	return value;
}

/** /campaigns/:id → /campaigns/{id} */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parameters(route: TaggedRouteSchema): JsonSchema[] {
	const inPath = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name]) => ({
		name,
		in: 'path',
		required: true,
		schema: { type: 'string' },
	}));
	return [...inPath, ...named(route.query, 'query'), ...named(route.headers, 'header')];
}

function named(schema: z.ZodObject | undefined, where: 'query' | 'header'): JsonSchema[] {
	if (!schema) return [];
	const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
	return Object.entries(object.properties ?? {}).map(([name, property]) => {
		const { description, ...rest } = property;
		return {
			name,
			in: where,
			required: object.required?.includes(name) ?? false,
			...(description ? { description } : {}),
			schema: rest,
		};
	});
}

function response(status: number, answer: ResponseSchema): JsonSchema {
	const description = status < 300 ? 'Success' : 'Error';
	if (answer === null) return { description };
	const [contentType, schema] =
		'contentType' in answer ? [answer.contentType, answer.schema] : ['application/json', answer];
	return { description, content: { [contentType]: { schema: jsonSchema(schema as z.ZodType, 'output') } } };
}

function operation(route: TaggedRouteSchema): JsonSchema {
	const responses: JsonSchema = {};
	for (const [status, answer] of Object.entries(route.responses)) responses[status] = response(Number(status), answer);
	responses.default = {
		description: 'An error: bad input (400), no or a wrong key (401), a missing scope (403), not found (404), …',
		content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
	};
	return {
		operationId: `${route.method}${openApiPath(route.path).replace(/[{}]/g, '').replace(/[/-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
		tags: [route.tag],
		summary: route.summary,
		...(route.description ? { description: route.description } : {}),
		...(route.scope === 'public' ? { security: [] } : { 'x-scope': route.scope }),
		...(route.query || route.headers || route.path.includes(':') ? { parameters: parameters(route) } : {}),
		...(route.body
			? {
					requestBody: {
						required: !route.bodyOptional,
						content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
					},
				}
			: {}),
		responses,
	};
}

/** The OpenAPI 3.1 document of /api/v1, built from the routes' schemas. */
export function buildOpenApiDocument(routes: TaggedRouteSchema[], version: string): JsonSchema {
	const paths: Record<string, Record<string, JsonSchema>> = {};
	for (const route of routes) {
		const path = openApiPath(route.path);
		paths[path] ??= {};
		if (paths[path][route.method]) throw new Error(`${route.method.toUpperCase()} ${route.path} is described twice`);
		paths[path][route.method] = operation(route);
	}
	return {
		openapi: '3.1.0',
		info: {
			title: 'SMS tracking server API',
			version,
			description:
				'Short links, events, conversions, evaluations and webhooks of the SMS tracking server. Every operation needs an API key (Authorization: Bearer <key>) holding the scope in x-scope; an admin key holds them all.',
		},
		servers: [{ url: '/api/v1' }],
		security: [{ apiKey: [] }],
		tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
		paths,
		components: {
			securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
			schemas: { Error: jsonSchema(errorResponse, 'output') },
		},
	};
}
