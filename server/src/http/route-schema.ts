import type { z } from 'zod';
import type { RouteScope } from './auth';

/** A response of a route: a JSON body, another media type, or none (204). */
export type ResponseSchema = z.ZodType | { contentType: string; schema: z.ZodType } | null;

/**
 * What one /api/v1 route takes and answers, written once: the route parses its query and body
 * with these schemas (http/schema.ts), and the OpenAPI document is built from them (openapi.ts).
 * Error answers ({error:{code,message}}) are added to every route by the document.
 */
export interface RouteSchema {
	method: 'get' | 'post' | 'put' | 'patch' | 'delete';
	/** The express path under /api/v1, e.g. /campaigns/:id. */
	path: string;
	summary: string;
	description?: string;
	/** The scope its requireScope declares; 'public' for the few routes that need no key. */
	scope: RouteScope | 'public';
	query?: z.ZodObject;
	/** Request headers the route reads, by their lower-case names. */
	headers?: z.ZodObject;
	body?: z.ZodType;
	/** Whether the body may be left out (POST …/archive, …/rotate-secret). */
	bodyOptional?: boolean;
	responses: Record<number, ResponseSchema>;
}

export interface TaggedRouteSchema extends RouteSchema {
	tag: string;
}

/** A module's routes (its schemas.ts), grouped under one tag in the document. */
export const describeRoutes = (tag: string, routes: RouteSchema[]): TaggedRouteSchema[] =>
	routes.map((route) => ({ ...route, tag }));
