import type { CampaignStats } from '../stats/campaign-stats';
import { csvLine, numberCell, textCell } from './csv';

export const statsHeader = csvLine(['section', 'key', 'metric', 'value']);

type Row = Record<string, unknown>;

/** The numbers of one object (nested objects and texts other than the key are left out). */
function metricLines(section: string, key: string, row: Row, skip: readonly string[] = []): string[] {
	return Object.entries(row)
		.filter(([name, value]) => !skip.includes(name) && (typeof value === 'number' || value === null))
		.map(([name, value]) => csvLine([textCell(section), textCell(key), textCell(name), numberCell(value as number | null)]));
}

/**
 * The stats of a range as one long table (section, key, metric, value): totals, each variant,
 * wave, link, breakdown row and timeline bucket, every numeric field the stats API gives, so
 * fields it gains later appear without changes here. Timeline buckets are in the range's time zone.
 */
export function statsCsv(stats: CampaignStats): string {
	const s = stats as unknown as Row & CampaignStats;
	const lines: string[] = [statsHeader];
	const info = (metric: string, value: string | null) =>
		lines.push(csvLine(['info', '', textCell(metric), textCell(value)]));
	info('campaignId', s.campaignId);
	info('from', s.from);
	info('to', s.to);
	info('timeZone', s.timeZone);
	info('currency', s.currency);
	info('wave', s.wave);
	lines.push(...metricLines('totals', '', s.totals as unknown as Row));
	lines.push(...metricLines('campaign', '', s, ['campaignId']));
	for (const v of s.variants) lines.push(...metricLines('variant', v.variant, v as unknown as Row));
	for (const w of s.waves ?? []) lines.push(...metricLines('wave', w.wave, w as unknown as Row));
	for (const l of s.links) lines.push(...metricLines('link', l.url, l as unknown as Row));
	for (const [dimension, rows] of Object.entries(s.breakdowns ?? {})) {
		for (const row of rows as unknown as Row[]) {
			lines.push(...metricLines(`breakdown:${dimension}`, String(row.key), row, ['key']));
		}
	}
	const local = new Intl.DateTimeFormat('sv-SE', {
		timeZone: s.timeZone,
		dateStyle: 'short',
		timeStyle: 'short',
	});
	for (const t of s.timeline) {
		lines.push(...metricLines(`timeline:${s.timelineBucket ?? ''}`, local.format(new Date(t.bucket)), t as unknown as Row));
	}
	for (const c of s.otherCurrencies) lines.push(...metricLines('otherCurrency', c.currency, c as unknown as Row));
	return lines.join('');
}
