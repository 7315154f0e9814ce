import { badRequest } from '../http/errors';
import {
	asObject,
	onlyKnownFields,
	optionalBoolean,
	optionalCurrency,
	optionalDate,
	optionalNumber,
	optionalString,
	requiredString,
	type Json,
} from '../http/validate';
import { parseAbTestRule } from '../ab-tests/rule';
import { parseOptionalHttpUrl } from '../shared/urls';
import { parsePageLimit } from '../shared/pagination';
import {
	campaignStatuses,
	holdoutVariant,
	type CampaignChanges,
	type CampaignQuery,
	type CampaignStatus,
	type IfNameExists,
	type NewCampaign,
	type Utm,
	type Variant,
} from './types';

const utmKeys = ['source', 'medium', 'campaign', 'term', 'content'] as const;
export const maxVariants = 4;
const maxHoldout = 0.95;

function parseUtm(value: unknown): Utm | undefined {
	if (value === undefined || value === null) return undefined;
	const obj = asObject(value, 'utm');
	onlyKnownFields(obj, utmKeys, 'utm');
	const utm: Utm = {};
	for (const key of utmKeys) {
		if (obj[key] === undefined || obj[key] === null) continue;
		utm[key] = requiredString(obj, key, 100, `utm.${key}`);
	}
	return Object.keys(utm).length ? utm : undefined;
}

/** A variant's text: any string up to 1,600 characters (ten concatenated SMS segments). */
function optionalText(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw badRequest(`${field} must be a string`);
	if (value.length > 1600) throw badRequest(`${field} must be at most 1600 characters`);
	return value;
}

export function parseVariants(value: unknown): Variant[] | undefined {
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(value) || value.length < 2 || value.length > maxVariants) {
		throw badRequest(`variants must be an array of 2 to ${maxVariants} variants`);
	}
	const seen = new Set<string>();
	return value.map((item, i) => {
		const obj = asObject(item, `variants[${i}]`);
		onlyKnownFields(obj, ['name', 'weight', 'text'], `variants[${i}]`);
		const name = requiredString(obj, 'name', 32, `variants[${i}].name`);
		if (!/^[A-Za-z0-9_-]+$/.test(name) || name === holdoutVariant) {
			throw badRequest(`variants[${i}].name must be letters, digits, - or _ and not "${holdoutVariant}"`);
		}
		if (seen.has(name)) throw badRequest(`variants[${i}].name "${name}" is used twice`);
		seen.add(name);
		const weight = optionalNumber(obj, 'weight', { min: 0.0001, max: 1_000_000 }, `variants[${i}].weight`) ?? 1;
		const text = optionalText(obj.text, `variants[${i}].text`);
		return text === undefined ? { name, weight } : { name, weight, text };
	});
}

/** The body of PUT /campaigns/:id/variants: {variants, holdout}. */
export function parseVariantSplit(body: unknown): { variants: Variant[]; holdout: number } {
	const obj = asObject(body);
	onlyKnownFields(obj, ['variants', 'holdout']);
	const variants = parseVariants(obj.variants);
	if (!variants) throw badRequest('variants is required');
	return { variants, holdout: optionalNumber(obj, 'holdout', { min: 0, max: maxHoldout }) ?? 0 };
}

export function parseNewCampaign(body: unknown): NewCampaign & { ifNameExists?: IfNameExists } {
	const obj: Json = asObject(body);
	onlyKnownFields(obj, ['name', 'conversionTracking', 'fallbackUrl', 'utm', 'variants', 'holdout', 'costPerSegment', 'currency', 'ifNameExists', 'abTestRule']);
	const ifNameExists = optionalString(obj, 'ifNameExists', 10);
	if (ifNameExists !== undefined && ifNameExists !== 'return' && ifNameExists !== 'fail') {
		throw badRequest('ifNameExists must be "return" or "fail"');
	}
	const variants = parseVariants(obj.variants);
	const holdout = optionalNumber(obj, 'holdout', { min: 0, max: maxHoldout }) ?? 0;
	if (holdout > 0 && !variants) throw badRequest('holdout needs variants: it is the share kept back from an A/B test');
	const costPerSegment = optionalNumber(obj, 'costPerSegment', { min: 0, max: 1000 });
	const currency = optionalCurrency(obj, 'currency');
	if (costPerSegment !== undefined && !currency) throw badRequest('currency is required with costPerSegment');
	const abTestRule = obj.abTestRule === undefined || obj.abTestRule === null ? undefined : parseAbTestRule(obj.abTestRule);
	if (abTestRule && !variants) {
		throw badRequest('abTestRule needs an A/B test: give variants too (or set the rule once the variants are stored)', 'no_ab_test');
	}
	return {
		name: requiredString(obj, 'name', 200),
		conversionTracking: optionalBoolean(obj, 'conversionTracking') ?? false,
		fallbackUrl: parseOptionalHttpUrl(obj.fallbackUrl, 'fallbackUrl'),
		utm: parseUtm(obj.utm),
		variants,
		holdout,
		costPerSegment,
		currency,
		abTestRule,
		ifNameExists,
	};
}

/** The body of PATCH /campaigns/:id; an empty change is refused (it is most likely a mistake). */
export function parseCampaignChanges(body: unknown): CampaignChanges {
	const obj: Json = asObject(body);
	const fields = ['name', 'conversionTracking', 'fallbackUrl', 'utm', 'costPerSegment', 'currency', 'variants', 'holdout', 'abTestRule'];
	onlyKnownFields(obj, fields);
	const given = (key: string) => obj[key] !== undefined;
	if (!fields.some(given)) throw badRequest(`the body names nothing to change (one of ${fields.join(', ')})`);
	const changes: CampaignChanges = {};
	if (given('name')) changes.name = requiredString(obj, 'name', 200);
	if (given('conversionTracking')) {
		if (typeof obj.conversionTracking !== 'boolean') throw badRequest('conversionTracking must be true or false');
		changes.conversionTracking = obj.conversionTracking;
	}
	if (given('fallbackUrl')) changes.fallbackUrl = parseOptionalHttpUrl(obj.fallbackUrl, 'fallbackUrl') ?? null;
	if (given('utm')) changes.utm = parseUtm(obj.utm) ?? null;
	if (given('costPerSegment')) changes.costPerSegment = optionalNumber(obj, 'costPerSegment', { min: 0, max: 1000 }) ?? null;
	if (given('currency')) changes.currency = optionalCurrency(obj, 'currency') ?? null;
	if (given('variants') || given('holdout')) {
		const split = parseVariantSplit({ variants: obj.variants, holdout: obj.holdout });
		changes.variants = split.variants;
		changes.holdout = split.holdout;
	}
	if (obj.abTestRule === null) changes.abTestRule = null;
	else if (given('abTestRule')) changes.abTestRule = parseAbTestRule(obj.abTestRule);
	return changes;
}

const isStatus = (value: unknown): value is CampaignStatus =>
	campaignStatuses.includes(value as CampaignStatus);

/** The query of GET /campaigns: limit, cursor, search, status, createdFrom, createdTo. */
export function parseCampaignQuery(query: Record<string, unknown>): CampaignQuery {
	onlyKnownFields(query, ['limit', 'cursor', 'search', 'status', 'createdFrom', 'createdTo'], 'query');
	const text = (key: string, max: number) => {
		const value = query[key];
		if (value === undefined || value === '') return undefined;
		if (typeof value !== 'string' || value.length > max) throw badRequest(`${key} must be text of at most ${max} characters`);
		return value;
	};
	const status = text('status', 10) ?? 'active';
	if (!isStatus(status)) throw badRequest(`status must be one of ${campaignStatuses.join(', ')}`);
	const createdFrom = optionalDate(query, 'createdFrom');
	const createdTo = optionalDate(query, 'createdTo');
	if (createdFrom && createdTo && createdFrom > createdTo) throw badRequest('createdFrom must not be after createdTo');
	return {
		limit: parsePageLimit(query.limit, { fallback: 50, max: 500 }),
		cursor: text('cursor', 100),
		search: text('search', 200)?.trim() || undefined,
		status,
		createdFrom,
		createdTo,
	};
}
