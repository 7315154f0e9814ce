import type { DeliveryRow } from '../payload';
import type { AttemptResult } from '../queue';
import { nextDelayMs, parseRetryAfter } from '../schedule';
import type { SendResult } from '../sender';

/** What one attempt means for the delivery: delivered, try again later, or failed for good. */
export function outcome(
	row: Pick<DeliveryRow, 'id' | 'attempts'>,
	result: SendResult,
	schedule: readonly number[],
): AttemptResult {
	const base = { id: row.id, attempts: row.attempts };
	if ('status' in result && result.status >= 200 && result.status < 300) {
		return {
			...base,
			status: 'delivered',
			lastStatus: result.status,
			lastError: null,
			delayMs: null,
		};
	}
	const lastStatus = 'status' in result ? result.status : null;
	const lastError =
		'status' in result ? `http_status: the receiver answered HTTP ${result.status}` : result.error;
	if (lastStatus === 410)
		return { ...base, status: 'failed', lastStatus, lastError, delayMs: null };
	const retryAfter = 'status' in result ? parseRetryAfter(result.retryAfter) : undefined;
	const delayMs = nextDelayMs(row.attempts, schedule, retryAfter);
	if (delayMs === undefined) {
		return {
			...base,
			status: 'failed',
			lastStatus,
			lastError: `${lastError}; gave up after ${row.attempts} attempts`,
			delayMs: null,
		};
	}
	return { ...base, status: 'pending', lastStatus, lastError, delayMs };
}
