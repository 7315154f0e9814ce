import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { requiredCampaignId } from '../../shared/campaign-locator';
import { normalisePhone } from '../../shared/phone';
import { smsLength } from '../../shared/segments';
import type { MessageReport } from '../../shared/tracking-api';

/** Provider statuses a send can be reported with, and what the server records for them. */
const statusOf: Record<string, MessageReport['status']> = {
	sent: 'sent',
	queued: 'sent',
	accepted: 'sent',
	scheduled: 'sent',
	sending: 'sent',
	failed: 'failed',
	undelivered: 'failed',
	rejected: 'failed',
	// Recipients an A/B test made elsewhere kept back: counted in the hold-out, never sent.
	holdout: 'holdout',
};

export interface ReportedSend {
	campaignId: string;
	message: MessageReport;
}

/** Short-link codes from Shorten Links' `links` (objects with `code`), codes, or short URLs. */
function codesOf(value: unknown): string[] | undefined {
	if (value === undefined || value === null || value === '') return [];
	let list: unknown[];
	if (Array.isArray(value)) list = value;
	else if (typeof value === 'string') {
		const trimmed = value.trim();
		if (trimmed.startsWith('[')) {
			try {
				return codesOf(JSON.parse(trimmed));
			} catch {
				return undefined;
			}
		}
		list = trimmed
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean);
	} else if (typeof value === 'object') list = [value];
	else return undefined;
	const codes: string[] = [];
	for (const entry of list) {
		const raw = typeof entry === 'object' && entry !== null ? (entry as IDataObject).code : entry;
		if (typeof raw !== 'string') return undefined;
		const code = /([A-Za-z0-9]{1,32})\/?$/.exec(raw.trim())?.[1];
		if (!code) return undefined;
		codes.push(code);
	}
	return codes;
}

/** The item's send as the server takes it; a NodeOperationError naming the item when it is not valid. */
export function readReportedSend(ctx: IExecuteFunctions, itemIndex: number): ReportedSend {
	const fail = (message: string) => new NodeOperationError(ctx.getNode(), message, { itemIndex });
	const campaignId = requiredCampaignId(ctx, itemIndex);
	const options = ctx.getNodeParameter('reportOptions', itemIndex, {}) as IDataObject;
	const text = (name: string) => String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();

	const phone = normalisePhone(
		ctx.getNodeParameter('recipient', itemIndex, ''),
		String(options.defaultCallingCode ?? ''),
	);
	if ('error' in phone) throw fail(phone.error);

	const rawStatus = text('status').toLowerCase();
	const status = statusOf[rawStatus];
	if (!status)
		throw fail(
			rawStatus === 'delivered'
				? 'Report the send as "sent": delivery comes from the provider\'s delivery reports'
				: `The status "${rawStatus.slice(0, 40)}" is not one a send can be reported with (sent, failed, holdout, or a provider's queued, accepted, scheduled, sending, undelivered, rejected)`,
		);

	const provider = text('reportProvider').toLowerCase();
	if (!/^[a-z0-9_-]{1,32}$/.test(provider))
		throw fail(`The provider "${provider.slice(0, 40)}" must be 1-32 letters, digits, - or _`);
	const providerMessageId = text('providerMessageId');
	if (providerMessageId.length > 128)
		throw fail('The provider message ID is longer than 128 characters');

	const codes = codesOf(ctx.getNodeParameter('sentLinks', itemIndex, ''));
	if (!codes)
		throw fail("Shortened Links must be Shorten Links' links, or short-link codes or URLs");
	const sentText = String(ctx.getNodeParameter('sentText', itemIndex, '') ?? '');
	const length = sentText ? smsLength(sentText) : undefined;
	const variant = String(options.variant ?? '').trim() || (status === 'holdout' ? 'holdout' : '');
	const wave = String(options.wave ?? '').trim();
	const error = String(options.error ?? '').trim();

	if (status === 'holdout')
		return {
			campaignId,
			message: { recipient: phone.phone, variant, status, ...(wave ? { wave } : {}) },
		};
	const message: MessageReport = {
		recipient: phone.phone,
		provider,
		status,
		...(providerMessageId ? { providerMessageId } : {}),
		...(variant ? { variant } : {}),
		...(length ? length : {}),
		...(sentText ? { text: sentText } : {}),
		...(codes.length ? { codes } : {}),
		...(wave ? { wave } : {}),
		...(status === 'failed' && error ? { error } : {}),
	};
	return { campaignId, message };
}
