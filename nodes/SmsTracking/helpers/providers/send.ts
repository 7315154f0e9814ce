import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { trackingBaseUrl } from '../api';
import { sendSeven } from './seven';
import { sendTwilio } from './twilio';
import type { OutgoingSms, SentSms } from './types';

/** Sends one SMS through the provider chosen for the item, with that item's send options. */
export async function sendWith(
	ctx: IExecuteFunctions,
	itemIndex: number,
	sms: OutgoingSms,
): Promise<SentSms> {
	const provider = ctx.getNodeParameter('provider', itemIndex) as string;
	const from = String(ctx.getNodeParameter('from', itemIndex, '') ?? '').trim();
	const options = ctx.getNodeParameter('sendOptions', itemIndex, {}) as IDataObject;
	if (provider === 'twilio') {
		let statusCallback = '';
		if (options.deliveryReports === true) {
			const base = String(options.deliveryReportBaseUrl || (await trackingBaseUrl(ctx))).replace(
				/\/+$/,
				'',
			);
			statusCallback = `${base}/delivery-reports/twilio`;
		}
		const messagingServiceSid = String(
			ctx.getNodeParameter('messagingServiceSid', itemIndex, '') ?? '',
		).trim();
		return await sendTwilio(ctx, itemIndex, sms, { from, messagingServiceSid, statusCallback });
	}
	return await sendSeven(ctx, itemIndex, sms, {
		from,
		label: String(options.label ?? '').trim(),
		foreignId: String(options.foreignId ?? '').trim(),
		delay: String(options.delay ?? ''),
	});
}
