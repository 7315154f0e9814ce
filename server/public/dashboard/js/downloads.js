// CSV downloads of the open campaign: stats and events of the chosen range, the recipients of the
// table's filters. The key travels as a header (never in a URL), so the file is fetched and handed
// to the browser as a blob.
import { ApiError, session } from './api.js';
import { $ } from './dom.js';
import { recipientFilters } from './recipients.js';
import { rangeQuery } from './range.js';

let campaignId = null;
export const downloadsFor = (id) => (campaignId = id);

async function download(file, query, button) {
	button.disabled = true;
	$('download-error').hidden = true;
	try {
		const res = await fetch(`../api/v1/campaigns/${encodeURIComponent(campaignId)}/${file}?${query}`, {
			headers: { authorization: `Bearer ${session.get() ?? ''}` },
			credentials: 'omit',
			cache: 'no-store',
		});
		if (!res.ok) {
			const data = await res.json().catch(() => ({}));
			throw new ApiError(res.status, data?.error?.code ?? 'http_error', data?.error?.message ?? `HTTP ${res.status}`);
		}
		const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? file;
		const url = URL.createObjectURL(await res.blob());
		const link = document.createElement('a');
		link.href = url;
		link.download = name;
		document.body.append(link);
		link.click();
		link.remove();
		setTimeout(() => URL.revokeObjectURL(url), 10_000);
	} catch (err) {
		$('download-error').textContent = `${file}: ${err.message}`;
		$('download-error').hidden = false;
	} finally {
		button.disabled = false;
	}
}

export function bindDownloads() {
	for (const button of document.querySelectorAll('[data-download]')) {
		button.addEventListener('click', () => {
			const file = button.dataset.download;
			if (file === 'recipients.csv') {
				const query = recipientFilters();
				query.set('timeZone', rangeQuery().query?.get('timeZone') ?? 'UTC');
				return download(file, query, button);
			}
			const { query, error } = rangeQuery();
			if (error) return;
			return download(file, query, button);
		});
	}
}
