import type { DisplayCondition, IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { normalisePhone } from '../../../shared/phone';
import { trackConversion } from '../../../shared/tracking-api';
import { defaultCountryField, perItem } from '../common';
import { campaignLocator, requiredCampaignId } from '../../../shared/campaign-locator';

const show = { resource: ['conversion'], operation: ['track'] };

/**
 * How the conversion is attributed. A shop's webhook rarely carries the click ID but always the
 * phone number, so version 2 attributes by campaign and recipient by default; version 1 keeps the
 * click ID default its saved workflows rely on (n8n does not save a parameter equal to its default).
 */
const attributeBy = (
	versions: Array<number | DisplayCondition>,
	byDefault: string,
): INodeProperties => ({
	displayName: 'Attribute By',
	name: 'attributeBy',
	type: 'options',
	options: [
		{
			name: 'Campaign and Recipient',
			value: 'recipient',
			description: 'The phone number the campaign was sent to (e.g. from the order)',
		},
		{ name: 'Click ID', value: 'clickId', description: 'The sms_cid the landing page received' },
	],
	default: byDefault,
	displayOptions: { show: { ...show, '@version': versions } },
});

export const description: INodeProperties[] = [
	attributeBy([1], 'clickId'),
	attributeBy([{ _cnd: { gte: 2 } }], 'recipient'),
	{
		displayName: 'Click ID',
		name: 'clickId',
		type: 'string',
		required: true,
		default: '',
		description: 'The click ID (sms_cid) from the landing page URL or cookie',
		displayOptions: { show: { ...show, attributeBy: ['clickId'] } },
	},
	campaignLocator({
		name: 'conversionCampaignId',
		required: true,
		description: 'The campaign the recipient converted in',
		displayOptions: { show: { ...show, attributeBy: ['recipient'] } },
	}),
	{
		displayName: 'Recipient',
		name: 'conversionRecipient',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+4915112345678',
		description:
			'Phone number in international format, or national with a default country (see Additional Fields)',
		displayOptions: { show: { ...show, attributeBy: ['recipient'] } },
	},
	{
		displayName: 'Conversion Name',
		name: 'conversionName',
		type: 'string',
		required: true,
		default: 'purchase',
		description: 'What happened, e.g. purchase or signup',
		displayOptions: { show },
	},
	{
		displayName: 'Additional Fields',
		name: 'conversionFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: '',
				placeholder: 'EUR',
				description: 'ISO 4217 code of the value',
			},
			defaultCountryField('recipients', { show: { '/attributeBy': ['recipient'] } }),
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				placeholder: 'order-1001',
				description: 'Tracking the same key twice records one conversion (e.g. the order number)',
			},
			{
				displayName: 'Value',
				name: 'value',
				type: 'number',
				typeOptions: { numberPrecision: 2 },
				default: 0,
				description: 'Revenue of the conversion',
			},
		],
	},
];

export const execute = perItem(async (ctx, i, http) => {
	const body: IDataObject = {};
	const fields = ctx.getNodeParameter('conversionFields', i, {}) as IDataObject;
	if (ctx.getNodeParameter('attributeBy', i) === 'clickId') {
		const clickId = String(ctx.getNodeParameter('clickId', i) ?? '').trim();
		if (!clickId)
			throw new NodeOperationError(ctx.getNode(), 'The click ID is empty', { itemIndex: i });
		body.clickId = clickId;
	} else {
		const phone = normalisePhone(
			ctx.getNodeParameter('conversionRecipient', i),
			String(fields.defaultCallingCode ?? ''),
		);
		if ('error' in phone)
			throw new NodeOperationError(ctx.getNode(), `Invalid recipient: ${phone.error}`, {
				itemIndex: i,
			});
		body.campaignId = requiredCampaignId(ctx, i, 'conversionCampaignId');
		body.recipient = phone.phone;
	}
	body.name = String(ctx.getNodeParameter('conversionName', i)).trim();
	if (!body.name)
		throw new NodeOperationError(ctx.getNode(), 'The conversion needs a name', { itemIndex: i });
	if (fields.value !== undefined && fields.value !== '') body.value = Number(fields.value);
	if (fields.currency) body.currency = String(fields.currency).trim().toUpperCase();
	if (fields.idempotencyKey) body.idempotencyKey = String(fields.idempotencyKey);
	return await trackConversion(http, body, i);
});
