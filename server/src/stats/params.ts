import { badRequest } from '../http/errors';
import { asObject, onlyKnownFields, optionalBoolean, optionalNumber, type Json } from '../http/validate';
import { parseTimeZone } from './time-zone';
import { optionalWave } from '../shared/waves';

export interface StatsQuery {
	from: Date | null;
	to: Date | null;
	timeZone: string;
	/** Limit the evaluation to one send wave. */
	wave?: string;
}

export type Query = Record<string, unknown>;

export function onlyKnownParams(query: Query, known: readonly string[]): void {
	const unknown = Object.keys(query).filter((key) => !known.includes(key));
	if (unknown.length) throw badRequest(`unknown query parameter(s): ${unknown.join(', ')}`);
}

export function optionalInstant(query: Query, key: string): Date | null {
	const value = query[key];
	if (value === undefined || value === '') return null;
	if (
		typeof value !== 'string' ||
		!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(value)
	) {
		throw badRequest(
			`${key} must be an ISO 8601 date or date-time with offset, such as 2026-12-01 or 2026-12-01T08:00:00Z`,
		);
	}
	const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
	if (Number.isNaN(date.getTime())) throw badRequest(`${key} is not a valid date`);
	return date;
}

const twoYearsAfter = (date: Date) => {
	const later = new Date(date);
	later.setUTCFullYear(later.getUTCFullYear() + 2);
	return later.getTime();
};

/** from/to/timeZone of GET …/stats. */
export function parseStatsQuery(query: Query): StatsQuery {
	onlyKnownParams(query, ['from', 'to', 'timeZone', 'wave']);
	const from = optionalInstant(query, 'from');
	const to = optionalInstant(query, 'to');
	if (from && to && from >= to) throw badRequest('from must be before to');
	if (from && to && to.getTime() > twoYearsAfter(from)) {
		throw badRequest('a range from … to may span at most 2 years', 'range_too_long');
	}
	return {
		from,
		to,
		timeZone: parseTimeZone(query.timeZone),
		wave: optionalWave(query.wave === '' ? undefined : query.wave),
	};
}

/** Cursors are opaque to callers: the last recipient of the page, base64url-encoded. */
export const encodeCursor = (recipient: string) =>
	Buffer.from(`r:${recipient}`, 'utf8').toString('base64url');

/** The cursor of GET …/recipients: the recipient after which the page starts. */
export function decodeCursor(value: unknown): string | undefined {
	if (value === undefined || value === '') return undefined;
	const decoded =
		typeof value === 'string' && value.length <= 200
			? Buffer.from(value, 'base64url').toString('utf8')
			: '';
	if (!decoded.startsWith('r:') || decoded.length < 3)
		throw badRequest('cursor is not a cursor this server returned', 'invalid_cursor');
	return decoded.slice(2);
}

export type WinnerMetric = 'ctr' | 'conversionRate';

/** What decides an A/B test: the metric, the confidence and the minimum sample per variant. */
export interface WinnerSettings {
	metric: WinnerMetric;
	minSamplePerVariant: number;
	confidence: number;
}

export interface WinnerRequest extends WinnerSettings {
	record: boolean;
}

/**
 * metric, minSamplePerVariant and confidence of a body (POST …/winner, a campaign's abTestRule);
 * `field` prefixes the names in messages ("abTestRule.confidence").
 */
export function parseWinnerSettings(obj: Json, field = ''): WinnerSettings {
	if (obj.metric !== 'ctr' && obj.metric !== 'conversionRate') {
		throw badRequest(`${field}metric must be "ctr" or "conversionRate"`, 'invalid_metric');
	}
	const minSample =
		optionalNumber(obj, 'minSamplePerVariant', { min: 1, max: 100_000_000 }, `${field}minSamplePerVariant`) ?? 100;
	if (!Number.isInteger(minSample)) throw badRequest(`${field}minSamplePerVariant must be a whole number`);
	const confidence = optionalNumber(obj, 'confidence', { min: 0.5, max: 0.9999 }, `${field}confidence`) ?? 0.95;
	return { metric: obj.metric, minSamplePerVariant: minSample, confidence };
}

/** The body of POST …/winner. */
export function parseWinnerRequest(body: unknown): WinnerRequest {
	const obj = asObject(body ?? {});
	onlyKnownFields(obj, ['metric', 'minSamplePerVariant', 'confidence', 'record']);
	return { ...parseWinnerSettings(obj), record: optionalBoolean(obj, 'record') ?? false };
}
