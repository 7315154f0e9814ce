import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { requiredCampaignId } from '../../../shared/campaign-locator';
import { getCampaign, updateCampaign } from '../../../shared/tracking-api';
import { perItem } from '../common';
import { abTestRuleBody, abTestRuleField } from './abTestRule.fields';
import { campaignSettingsFields } from './settings.fields';

const show = { resource: ['campaign'], operation: ['update'] };

const utmFields = { utmSource: 'source', utmMedium: 'medium', utmCampaign: 'campaign' } as const;

export const description: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: campaignSettingsFields({
			currency: 'ISO 4217 code of the cost and revenue; empty clears it',
			fallbackUrl:
				"Where expired or unknown short links of this campaign go; empty clears it (then the server's fallback)",
			utm: (parameter) => `Sets ${parameter} on every destination; empty removes it`,
			extra: [
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					description: 'A new name for the campaign',
				},
			],
		}),
	},
	abTestRuleField(show),
];

export const execute = perItem(async (ctx, i, http) => {
	const campaignId = requiredCampaignId(ctx, i);
	const fields = ctx.getNodeParameter('updateFields', i, {}) as IDataObject;
	const body: IDataObject = {};
	if (fields.name !== undefined) {
		const name = String(fields.name).trim();
		if (!name)
			throw new NodeOperationError(ctx.getNode(), 'The new name is empty', { itemIndex: i });
		body.name = name;
	}
	if (fields.conversionTracking !== undefined) body.conversionTracking = fields.conversionTracking;
	if (fields.fallbackUrl !== undefined)
		body.fallbackUrl = String(fields.fallbackUrl).trim() || null;
	if (fields.currency !== undefined)
		body.currency = String(fields.currency).trim().toUpperCase() || null;
	if (fields.costPerSegment !== undefined && fields.costPerSegment !== '')
		body.costPerSegment = Number(fields.costPerSegment);
	const utmKeys = Object.keys(utmFields).filter((k) => fields[k] !== undefined);
	if (utmKeys.length) {
		// The server replaces the UTM set as a whole: keep the parameters this update does not name.
		const current = await getCampaign(http, campaignId, i);
		const utm: IDataObject = { ...((current.utm as IDataObject | null) ?? {}) };
		for (const key of utmKeys) {
			const value = String(fields[key]).trim();
			const name = utmFields[key as keyof typeof utmFields];
			if (value) utm[name] = value;
			else delete utm[name];
		}
		body.utm = Object.keys(utm).length ? utm : null;
	}
	const rule = abTestRuleBody(
		ctx.getNode(),
		ctx.getNodeParameter('abTestRule', i, {}) as IDataObject,
		i,
	);
	if (rule) body.abTestRule = rule;
	if (Object.keys(body).length === 0)
		throw new NodeOperationError(ctx.getNode(), 'Add at least one field to update', {
			itemIndex: i,
		});
	return await updateCampaign(http, campaignId, body, i);
});
