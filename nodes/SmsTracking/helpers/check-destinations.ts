import { NodeOperationError } from 'n8n-workflow';
import { trackingCredential } from '../../shared/tracking-api';
import { isLocalServer, type Http, type UrlCheck } from '../../shared/transport';
import { mapWithConcurrency } from './concurrency';
import type { Draft } from './prepare';

export type CheckMode = 'off' | 'warn' | 'fail';

/**
 * Requests every distinct destination of the drafts once (a broken or slow landing page wastes a
 * campaign). Returns, per item index, a warning ('warn') or an error ('fail'), by each draft's setting, for the items whose
 * links lead to a page that did not answer with 2xx. Loopback and private destinations are
 * requested only when the tracking server is on such an address too (a local install).
 */
export async function checkDestinations(
	http: Http,
	drafts: Draft[],
): Promise<{ warnings: Map<number, string[]>; failures: Map<number, NodeOperationError> }> {
	const warnings = new Map<number, string[]>();
	const failures = new Map<number, NodeOperationError>();
	const checked = drafts.filter((d) => d.settings.checkDestinations !== 'off');
	const urls = [...new Set(checked.flatMap((d) => d.links.map((l) => l.url)))];
	const results = new Map<string, UrlCheck>();
	if (urls.length === 0) return { warnings, failures };
	const allowLocal = isLocalServer(await http.credentials(trackingCredential));
	await mapWithConcurrency(urls, 5, async (url) =>
		results.set(url, await http.checkUrl(url, allowLocal)),
	);
	for (const d of checked) {
		const problems = [...new Set(d.links.map((l) => l.url))]
			.filter((url) => !results.get(url)?.ok)
			.map(
				(url) => `The destination ${url} ${results.get(url)?.problem ?? 'could not be checked'}`,
			);
		if (problems.length === 0) continue;
		if (d.settings.checkDestinations === 'fail') {
			failures.set(
				d.itemIndex,
				new NodeOperationError(http.node, problems[0], {
					itemIndex: d.itemIndex,
					description: problems.join('\n'),
				}),
			);
		} else {
			warnings.set(d.itemIndex, problems);
		}
	}
	return { warnings, failures };
}
