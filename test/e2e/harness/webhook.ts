import { sleep } from './visit';

/**
 * POSTs JSON to an active workflow's webhook (`/webhook/<path>`) as a shop would. Activation is
 * asynchronous in n8n 2.41, so a 404 right after activating is retried for up to ten seconds.
 */
export async function postToWebhook(n8nUrl: string, webhookPath: string, body: unknown): Promise<number> {
	let status = 0;
	for (let attempt = 0; attempt < 40; attempt++) {
		const res = await fetch(`${n8nUrl}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		await res.arrayBuffer();
		status = res.status;
		if (status !== 404) return status;
		await sleep(250);
	}
	return status;
}
