import { z } from 'zod';
import { timestamp } from '../http/common-schemas';
import { describeRoutes } from '../http/route-schema';
import { byParser } from '../http/schema';
import { phoneInput } from '../shared/phone-schema';
import { parseClickId, parseCurrency, parseIdempotencyKey, parseName, parseValue } from './validate';

/**
 * A conversion's fields keep the parsers the beacon and the pixel share (validate.ts), run inside
 * the schema so the API, t.js and the pixel refuse the same things with the same codes.
 */
const parsed = <T>(parse: (value: unknown, field: string) => T, openapi: Record<string, unknown>) =>
	z.unknown().optional().transform(byParser(parse)).meta({ openapi });

/** As parsed, for a field that must be given (the parser names it when it is missing). */
const required = (parse: (value: unknown, field: string) => string, openapi: Record<string, unknown>) =>
	z.preprocess(byParser(parse), z.string()).meta({ openapi });

export const conversionBody = z.strictObject({
	clickId: parsed((v, f) => (v === undefined || v === null ? undefined : parseClickId(v, f)), {
		type: 'string',
		pattern: '^[A-Za-z0-9_-]{1,100}$',
		description: 'The click id the redirect added to the landing page URL (sms_cid); or give campaignId and recipient',
	}),
	campaignId: z.string().trim().min(1).max(100).nullish().transform((v) => v ?? undefined),
	recipient: phoneInput.nullish().transform((v) => v ?? undefined),
	name: required(parseName, { type: 'string', maxLength: 100 }),
	value: parsed(parseValue, { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: '^\\d+(\\.\\d+)?$' }] }),
	currency: parsed(parseCurrency, { type: 'string', description: 'ISO 4217, such as EUR' }),
	idempotencyKey: parsed(parseIdempotencyKey, { type: 'string', maxLength: 200 }),
});

export const trackingCodeQuery = z.object({
	name: parsed((v, f) => (v === undefined ? 'purchase' : parseName(v, f)), { type: 'string', default: 'purchase' }),
	value: parsed((v, f) => (v === undefined ? '49.9' : (parseValue(v, f) ?? '0')), { type: 'string', default: '49.9' }),
	currency: parsed((v, f) => (v === undefined ? 'EUR' : (parseCurrency(v, f) ?? 'EUR')), { type: 'string', default: 'EUR' }),
});

export const conversion = z.object({
	id: z.string(),
	campaignId: z.string(),
	recipient: z.string(),
	code: z.string().nullable(),
	url: z.string().nullable(),
	variant: z.string().nullable(),
	wave: z.string().nullable(),
	clickId: z.string().nullable(),
	name: z.string(),
	value: z.number().nullable(),
	currency: z.string().nullable(),
	idempotencyKey: z.string().nullable(),
	occurredAt: timestamp,
	duplicate: z.boolean().meta({ description: 'Whether the idempotency key was seen before (nothing new stored)' }),
});

export const trackingCode = z.object({
	scriptUrl: z.string(),
	pixelUrl: z.string(),
	collectUrl: z.string(),
	version: z.string(),
	script: z.string().meta({ description: 'On every landing and confirmation page, in <head>' }),
	conversion: z.string().meta({ description: 'Where the conversion happens, e.g. the order confirmation' }),
	pixel: z.string().meta({ description: 'Without JavaScript, cookie only' }),
	snippet: z.string().meta({ description: 'All three, ready to paste' }),
});

export const conversionSchemas = describeRoutes('Conversions', [
	{
		method: 'post',
		path: '/conversions',
		summary: 'Record a conversion server to server (by click id, or by campaign and recipient)',
		scope: 'write',
		body: conversionBody,
		responses: { 201: conversion, 200: conversion },
	},
	{
		method: 'get',
		path: '/tracking-code',
		summary: 'The conversion tracking code to paste into a shop',
		scope: 'read',
		query: trackingCodeQuery,
		responses: { 200: trackingCode },
	},
]);
