// The campaign list, newest first, with cursor paging.
import { api } from './api.js';
import { $, el } from './dom.js';
import * as fmt from './format.js';

let nextCursor = null;

function tile(c) {
	const tags = [
		c.variants
			? el('span', { class: 'tag', text: `A/B ${c.variants.map((v) => v.name).join(' / ')}` })
			: null,
		c.holdout
			? el('span', { class: 'tag', text: `${Math.round(c.holdout * 100)} % hold-out` })
			: null,
		c.conversionTracking ? el('span', { class: 'tag', text: 'conversions' }) : null,
		c.winner ? el('span', { class: 'tag win', text: `winner ${c.winner}` }) : null,
	];
	return el(
		'a',
		{
			class: 'card campaign-tile',
			href: `#/campaigns/${encodeURIComponent(c.id)}`,
			'data-campaign': c.id,
		},
		el('h3', { text: c.name }),
		el('div', { class: 'muted small', text: `Created ${fmt.dateTime(c.createdAt)}` }),
		el('div', { class: 'tags' }, ...tags),
	);
}

export async function showList(append = false) {
	const query = new URLSearchParams({ limit: '24' });
	if (append && nextCursor) query.set('cursor', nextCursor);
	const page = await api('GET', `/campaigns?${query}`);
	nextCursor = page.nextCursor;
	const list = $('campaign-list');
	if (!append) list.replaceChildren();
	list.append(...page.campaigns.map(tile));
	$('campaign-empty').hidden = list.children.length > 0;
	$('more-campaigns').hidden = !nextCursor;
}
