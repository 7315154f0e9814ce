// The campaign list with each campaign's KPIs (GET /campaigns/kpis, cursor paging), newest first.
// A click on a column heading asks the server for that order, so it holds across every page and
// "Load more" continues it.
import { api } from './api.js';
import { $, el, showError } from './dom.js';
import * as fmt from './format.js';

let nextCursor = null;
let campaigns = [];
let sort = { key: 'createdAt', order: 'desc' };
/** The newest request: an answer to an older one (a heading clicked twice quickly) is dropped. */
let latest = 0;
/** Whether the headings are redrawn under a heading just used: focus goes back to it, not to the page. */
let headingInUse = false;

const columns = [
	['name', 'Campaign', (c) => el('a', { href: `#/campaigns/${encodeURIComponent(c.id)}`, 'data-campaign': c.id, text: c.name })],
	['createdAt', 'Created', (c) => fmt.dateTime(c.createdAt)],
	['recipients', 'Recipients', (c) => fmt.count(c.recipients)],
	['ctr', 'CTR', (c) => fmt.rate(c.ctr)],
	['conversionRate', 'CVR', (c) => fmt.rate(c.conversionRate)],
	['revenue', 'Revenue', (c) => fmt.money(c.revenue, c.currency)],
	['roi', 'ROI', (c) => fmt.roi(c.roi)],
];

function heading([key, label], i) {
	const active = sort.key === key;
	const button = el(
		'button',
		{ type: 'button', class: 'sort', 'data-sort': key },
		label,
		el('span', { class: 'sort-arrow', 'aria-hidden': 'true', text: active ? (sort.order === 'desc' ? ' ↓' : ' ↑') : '' }),
	);
	button.addEventListener('click', () => {
		// A new column starts with its largest (names: A to Z); the same column turns round.
		const order = active ? (sort.order === 'desc' ? 'asc' : 'desc') : key === 'name' ? 'asc' : 'desc';
		sort = { key, order };
		headingInUse = true;
		showList().catch((err) => showError(err.message));
	});
	return el(
		'th',
		{ class: i > 1 ? 'num' : '', 'aria-sort': active ? (sort.order === 'desc' ? 'descending' : 'ascending') : 'none' },
		button,
	);
}

function render() {
	const rows = campaigns.map((c) =>
		el(
			'tr',
			{ class: 'campaign-row', 'data-row': c.id },
			...columns.map(([key, label, cell], i) =>
				el('td', { class: i > 1 ? 'num' : i === 0 ? 'name' : '', 'data-key': key, 'data-label': label }, cell(c)),
			),
		),
	);
	$('campaign-list').replaceChildren(el('thead', {}, el('tr', {}, ...columns.map(heading))), el('tbody', {}, ...rows));
	if (headingInUse) $('campaign-list').querySelector(`button[data-sort="${sort.key}"]`).focus();
	headingInUse = false;
	$('campaign-empty').hidden = campaigns.length > 0;
	$('campaign-list').hidden = campaigns.length === 0;
}

/** The first page in the current order, or with `append` the next one. */
export async function showList(append = false) {
	const query = new URLSearchParams({ limit: '50', sort: sort.key, order: sort.order });
	if (append && nextCursor) query.set('cursor', nextCursor);
	const request = ++latest;
	$('campaign-list').setAttribute('aria-busy', 'true');
	let page;
	try {
		page = await api('GET', `/campaigns/kpis?${query}`);
	} finally {
		if (request === latest) $('campaign-list').removeAttribute('aria-busy');
	}
	if (request !== latest) return;
	nextCursor = page.nextCursor;
	campaigns = append ? [...campaigns, ...page.campaigns] : page.campaigns;
	render();
	$('more-campaigns').hidden = !nextCursor;
}
