import { z } from 'zod';
import { campaignQuery } from '../campaigns/schemas';
import { nextCursor, queryText } from '../http/common-schemas';
import { describeRoutes } from '../http/route-schema';
import { checkRange, recipientFields, statsQuery, timeZoneParam } from '../stats/schemas';
import { kpiSorts, sortOrders } from './kpi-order';

/** The range and recipient filters of recipients.csv: those of GET …/recipients without its page and wave, and the time zone of its local times. */
export const recipientsCsvQuery = recipientFields
	.omit({ limit: true, cursor: true, wave: true })
	.extend({ timeZone: timeZoneParam })
	.superRefine(checkRange);

const csv = (description: string) => ({ contentType: 'text/csv', schema: z.string().meta({ description }) });

/** GET /campaigns/kpis: the campaign list's filters, sorted by a column or a KPI across pages. */
export const kpisQuery = campaignQuery.safeExtend({
	cursor: queryText(1000).optional().meta({ description: 'The nextCursor of the previous page, asked with the same sort and order' }),
	sort: z
		.enum(kpiSorts, { error: `must be one of ${kpiSorts.join(', ')}` })
		.default('createdAt')
		.meta({
			description:
				'What the whole list is sorted by, across pages; ties by id; campaigns without the figure (a rate without recipients, cost and ROI without a cost) come last in either order',
		}),
	order: z
		.enum(sortOrders, { error: 'must be asc or desc' })
		.default('desc')
		.meta({ description: 'desc: newest, largest or Z first' }),
});
export type KpisQuery = z.output<typeof kpisQuery>;

const campaignKpis = z.object({
	id: z.string(),
	name: z.string(),
	createdAt: z.string(),
	archivedAt: z.string().nullable(),
	currency: z.string().nullable(),
	recipients: z.number(),
	sent: z.number(),
	uniqueClickers: z.number(),
	ctr: z.number().nullable(),
	uniqueConverters: z.number(),
	conversionRate: z.number().nullable(),
	revenue: z.number(),
	cost: z.number().nullable(),
	roi: z.number().nullable(),
});

export const reportSchemas = describeRoutes('Reports', [
	{
		method: 'get',
		path: '/campaigns/kpis',
		summary: 'The campaign list (filters of GET /campaigns) with each campaign’s KPIs, sorted by a column or a KPI across pages',
		scope: 'read',
		query: kpisQuery,
		responses: { 200: z.object({ campaigns: z.array(campaignKpis), nextCursor }) },
	},
	{
		method: 'get',
		path: '/campaigns/:id/stats.csv',
		summary: 'The stats of a range as CSV, one figure a line (section, key, metric, value)',
		scope: 'read',
		query: statsQuery,
		responses: { 200: csv('section,key,metric,value') },
	},
	{
		method: 'get',
		path: '/campaigns/:id/events.csv',
		summary: 'The events of a range as CSV, streamed, in stored order',
		scope: 'read',
		query: statsQuery,
		responses: { 200: csv('id,type,occurred_at_utc,occurred_at_local,recipient,variant,wave,url,code,device_type,os,browser,country,conversion_name,conversion_value,conversion_currency') },
	},
	{
		method: 'get',
		path: '/campaigns/:id/recipients.csv',
		summary: 'Every recipient of a segment as CSV, streamed, with the figures of a range (or the whole campaign)',
		scope: 'read',
		query: recipientsCsvQuery,
		responses: { 200: csv('recipient,variant,status,sent_at_utc,delivered,views,clicks,conversions,revenue,first_click_at_utc,first_click_at_local,last_click_at_utc,metadata') },
	},
]);
