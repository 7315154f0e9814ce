// CSV downloads of the open campaign: stats, events and recipients (with the table's filters) of
// the chosen range. The key travels as a header (never in a URL), so the file is fetched and handed
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
			const { query, error } = rangeQuery();
			if (error) return;
			if (file === 'recipients.csv') {
				const filters = recipientFilters();
				filters.set('timeZone', query.get('timeZone'));
				return download(file, filters, button);
			}
			return download(file, query, button);
		});
	}
}
