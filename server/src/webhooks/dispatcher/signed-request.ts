import { buildPayload, type DeliveryRow } from '../payload';
import type { createSender, SendResult } from '../sender';
import { secretKey, sign } from '../signature';

/**
 * Sends one delivery as a Standard Webhooks request: the event's payload, signed with the
 * subscription's secret (decoded keys are cached: one per subscription). Never throws.
 */
export function createSignedRequests(
	sender: ReturnType<typeof createSender>,
	publicBaseUrl: string,
) {
	const keys = new Map<string, Buffer>();
	const keyOf = (secret: string) => {
		let key = keys.get(secret);
		if (!key) {
			if (keys.size > 10_000) keys.clear();
			key = secretKey(secret);
			keys.set(secret, key);
		}
		return key;
	};

	return async function send(row: DeliveryRow, signal: AbortSignal): Promise<SendResult> {
		try {
			const body = Buffer.from(JSON.stringify(buildPayload(row, publicBaseUrl)));
			const timestamp = Math.floor(Date.now() / 1000);
			const headers = {
				'user-agent': 'sms-tracking-webhooks/1',
				'webhook-id': row.id,
				'webhook-timestamp': String(timestamp),
				// During a rotation's overlap both secrets sign; Standard Webhooks receivers accept a
				// space-separated list and check each signature they can.
				'webhook-signature': [row.secret, row.previous_secret]
					.filter((secret): secret is string => Boolean(secret))
					.map((secret) => sign(keyOf(secret), row.id, timestamp, body.toString()))
					.join(' '),
			};
			return await sender.send(new URL(row.target_url), headers, body, signal);
		} catch {
			return { error: 'connect_error: the request could not be sent' };
		}
	};
}
