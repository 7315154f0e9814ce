import { trackingBaseUrl } from '../../../shared/tracking-api';
import type { Planned } from '../schedule';
import type { Http } from '../../../shared/transport';
import { sendSeven } from './seven';
import { sendTwilio } from './twilio';
import type { OutgoingSms, SentSms } from './types';

/** How one item is sent, as the operation read it from its parameters. */
export interface SendSettings {
	/** 'twilio', or seven.io for anything else. */
	provider: string;
	from: string;
	messagingServiceSid: string;
	deliveryReports: boolean;
	/** Empty: the tracking server's URL from the credential. */
	deliveryReportBaseUrl: string;
	label: string;
	foreignId: string;
	delay: string;
	/** Set by the Schedule parameter (helpers/schedule.ts); wins over the seven.io delay option. */
	schedule?: Planned;
}

/** Sends one SMS through the provider chosen for the item, with that item's send options. */
export async function sendSms(
	http: Http,
	itemIndex: number,
	sms: OutgoingSms,
	settings: SendSettings,
): Promise<SentSms> {
	const { from } = settings;
	if (settings.provider === 'twilio') {
		let statusCallback = '';
		if (settings.deliveryReports) {
			const base = (settings.deliveryReportBaseUrl || (await trackingBaseUrl(http))).replace(
				/\/+$/,
				'',
			);
			statusCallback = `${base}/delivery-reports/twilio`;
		}
		const { messagingServiceSid } = settings;
		const sendAt = settings.schedule?.sendAt;
		return await sendTwilio(http, itemIndex, sms, {
			from,
			messagingServiceSid,
			statusCallback,
			...(sendAt ? { sendAt } : {}),
		});
	}
	return await sendSeven(http, itemIndex, sms, {
		from,
		label: settings.label,
		foreignId: settings.foreignId,
		delay: settings.schedule?.sendAt.toISOString() ?? settings.delay,
	});
}
