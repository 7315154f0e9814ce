import type { Queryable } from '../db';
import { badRequest } from '../http/errors';
import { findCampaignLinks } from '../links/store';
import type { MessageInput, ReportedMessage } from './report';

/**
 * Ties each reported message to the short links it carried: every code must be one of the
 * campaign's links and of one recipient, who is the message's recipient (taken from the links
 * when the report names none); a message without a variant takes its links' variant.
 */
export async function resolveLinks(
	db: Queryable,
	campaignId: string,
	messages: ReportedMessage[],
): Promise<MessageInput[]> {
	const codes = [...new Set(messages.flatMap((m) => m.codes))];
	const links = new Map((await findCampaignLinks(db, campaignId, codes)).map((l) => [l.code, l]));
	return messages.map(({ codes: own, index, ...message }) => {
		const field = `messages[${index}]`;
		let { recipient, variant } = message;
		for (const code of own) {
			const link = links.get(code);
			if (!link)
				throw badRequest(
					`${field}: the code ${code} is not a link of this campaign`,
					'unknown_code',
				);
			recipient ??= link.recipient;
			if (link.recipient !== recipient)
				throw badRequest(
					`${field}: the code ${code} is a link of another recipient than ${recipient}`,
					'code_of_other_recipient',
				);
			variant ??= link.variant;
		}
		if (recipient === null) throw badRequest(`${field}.recipient is required`);
		return { ...message, recipient, variant };
	});
}
