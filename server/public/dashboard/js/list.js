// The campaign list, newest first, with each campaign's KPIs (GET /campaigns/kpis, cursor paging);
// a click on a column heading sorts the loaded campaigns by it.
import { api } from './api.js';
import { $, el } from './dom.js';
import * as fmt from './format.js';

let nextCursor = null;
let campaigns = [];
let sort = { key: 'createdAt', descending: true };

const columns = [
	['name', 'Campaign', (c) => el('a', { href: `#/campaigns/${encodeURIComponent(c.id)}`, 'data-campaign': c.id, text: c.name })],
	['createdAt', 'Created', (c) => fmt.dateTime(c.createdAt)],
	['recipients', 'Recipients', (c) => fmt.count(c.recipients)],
	['ctr', 'CTR', (c) => fmt.rate(c.ctr)],
	['conversionRate', 'CVR', (c) => fmt.rate(c.conversionRate)],
	['revenue', 'Revenue', (c) => fmt.money(c.revenue, c.currency)],
	['roi', 'ROI', (c) => fmt.roi(c.roi)],
];

/** Unknown values (no rate yet, no cost for an ROI) sort last either way. */
function compare(a, b) {
	const x = a[sort.key];
	const y = b[sort.key];
	if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
	if (y === null || y === undefined) return -1;
	const order = typeof x === 'string' ? x.localeCompare(y) : x - y;
	return sort.descending ? -order : order;
}

function render() {
	const sorted = [...campaigns].sort((a, b) => compare(a, b) || b.createdAt.localeCompare(a.createdAt));
	const head = el(
		'tr',
		{},
		...columns.map(([key, label], i) => {
			const active = sort.key === key;
			const button = el('button', {
				type: 'button',
				class: 'sort',
				'data-sort': key,
				text: `${label}${active ? (sort.descending ? ' ↓' : ' ↑') : ''}`,
			});
			button.addEventListener('click', () => {
				sort = { key, descending: active ? !sort.descending : key !== 'name' };
				render();
			});
			return el('th', { class: i > 1 ? 'num' : '', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none' }, button);
		}),
	);
	const rows = sorted.map((c) =>
		el(
			'tr',
			{ class: 'campaign-row', 'data-row': c.id },
			...columns.map(([key, label, cell], i) =>
				el('td', { class: i > 1 ? 'num' : i === 0 ? 'name' : '', 'data-key': key, 'data-label': label }, cell(c)),
			),
		),
	);
	$('campaign-list').replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
	$('campaign-empty').hidden = campaigns.length > 0;
	$('campaign-list').hidden = campaigns.length === 0;
}

export async function showList(append = false) {
	const query = new URLSearchParams({ limit: '50' });
	if (append && nextCursor) query.set('cursor', nextCursor);
	const page = await api('GET', `/campaigns/kpis?${query}`);
	nextCursor = page.nextCursor;
	campaigns = append ? [...campaigns, ...page.campaigns] : page.campaigns;
	render();
	$('more-campaigns').hidden = !nextCursor;
}
