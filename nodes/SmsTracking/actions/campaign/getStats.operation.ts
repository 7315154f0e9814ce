import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { getCampaignStats } from '../../../shared/tracking-api';
import { perItem } from '../common';
import { requiredCampaignId } from '../../../shared/campaign-locator';

const show = { resource: ['campaign'], operation: ['getStats'] };

const simplifyDescription =
	'Whether to return a simplified version of the response instead of the raw data';

/**
 * n8n's convention is to simplify by default; version 1 returned the raw answer, and its saved
 * workflows rely on that default (n8n does not save a parameter equal to its default).
 */
export const description: INodeProperties[] = [
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: false,
		description: simplifyDescription,
		displayOptions: { show: { ...show, '@version': [1] } },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: simplifyDescription,
		displayOptions: { show: { ...show, '@version': [{ _cnd: { gte: 2 } }] } },
	},
	{
		displayName: 'Options',
		name: 'statsOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Breakdown',
				name: 'breakdown',
				type: 'options',
				default: '',
				description:
					'With Simplify: one item per value of this breakdown (recipients, clicks, unique clickers, click rate, conversions, conversion rate, revenue) instead of the totals',
				options: [
					{ name: 'Browser', value: 'browser' },
					{ name: 'Country', value: 'country' },
					{ name: 'Day of Week', value: 'dayOfWeek' },
					{ name: 'Device Type', value: 'deviceType' },
					{ name: 'Hour of Day', value: 'hourOfDay' },
					{ name: 'Link', value: 'link' },
					{ name: 'None (Totals, Variants, Waves)', value: '' },
					{ name: 'OS', value: 'os' },
					{ name: 'Wave', value: 'wave' },
				],
			},
			{
				displayName: 'From',
				name: 'from',
				type: 'dateTime',
				default: '',
				description: 'Count only events from this time on',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: 'IANA time zone for the hour-of-day breakdown and the timeline buckets',
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'dateTime',
				default: '',
				description: 'Count only events before this time',
			},
			{
				displayName: 'Wave',
				name: 'wave',
				type: 'string',
				default: '',
				placeholder: 'e.g. Reminder',
				description:
					'Only this send wave: its recipients, links, clicks and conversions (empty: every wave, and each wave apart in Waves)',
			},
		],
	},
];

export const execute = perItem(async (ctx, i, http) => {
	const options = ctx.getNodeParameter('statsOptions', i, {}) as IDataObject;
	const qs: IDataObject = {};
	if (options.from) qs.from = new Date(String(options.from)).toISOString();
	if (options.to) qs.to = new Date(String(options.to)).toISOString();
	if (options.timeZone) qs.timeZone = options.timeZone;
	if (String(options.wave ?? '').trim()) qs.wave = String(options.wave).trim();
	const stats = await getCampaignStats(http, requiredCampaignId(ctx, i), qs, i);
	if (ctx.getNodeParameter('simplify', i, false) !== true) return stats;
	return options.breakdown ? breakdownItems(stats, String(options.breakdown)) : simplified(stats);
});

/** One item per value of a breakdown, each with the campaign and the breakdown it belongs to. */
function breakdownItems(stats: IDataObject, breakdown: string): IDataObject[] {
	const rows =
		((stats.breakdowns as IDataObject | undefined)?.[breakdown] as IDataObject[] | undefined) ?? [];
	return rows.map((row) => ({
		campaignId: stats.campaignId,
		currency: stats.currency ?? null,
		from: stats.from ?? null,
		to: stats.to ?? null,
		wave: stats.wave ?? null,
		breakdown,
		...row,
	}));
}

/**
 * Simplified stats: one flat item with the campaign's totals (`variant` null), then one item per
 * variant (the hold-out included) and, when the campaign was sent in several waves, one per wave
 * (`wave` set, `variant` null), each with the same metrics; the links, breakdowns and timeline
 * stay in the raw answer.
 */
function simplified(stats: IDataObject): IDataObject[] {
	const common = { campaignId: stats.campaignId, currency: stats.currency ?? null };
	const totals: IDataObject = {
		...common,
		variant: null,
		wave: stats.wave ?? null,
		...((stats.totals as IDataObject | undefined) ?? {}),
		medianSecondsToFirstClick: stats.medianSecondsToFirstClick ?? null,
		winner: stats.winner ?? null,
	};
	const variants = ((stats.variants as IDataObject[] | undefined) ?? []).map((v) => ({
		...common,
		...v,
	}));
	const waves = (stats.waves as IDataObject[] | undefined) ?? [];
	const perWave = waves.length > 1 ? waves.map((w) => ({ ...common, variant: null, ...w })) : [];
	return [totals, ...variants, ...perWave];
}
