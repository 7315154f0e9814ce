// The send waves of a campaign (first send, reminder, winner send …), each with its own numbers.
import { $, el } from './dom.js';
import * as fmt from './format.js';

/** Fills the waves table; the card shows only when the campaign was sent in more than one wave. */
export function renderWaves(stats) {
	const waves = stats.waves ?? [];
	$('waves-card').hidden = waves.length < 2;
	if (waves.length < 2) return;
	const head = el(
		'tr',
		{},
		...[
			'Wave',
			'Recipients',
			'Sent',
			'Clicks',
			'Clickers',
			'Click rate',
			'Conversions',
			'Conversion rate',
			'Revenue',
		].map((h, i) => el('th', { class: i ? 'num' : '', text: h })),
	);
	const cell = (metric, value, text) =>
		el('td', { class: 'num', 'data-metric': metric, 'data-value': value ?? '', text });
	const rows = waves.map((w) =>
		el(
			'tr',
			{ 'data-wave': w.wave },
			el('td', {}, el('strong', { text: w.wave })),
			cell('recipients', w.recipients, fmt.count(w.recipients)),
			cell('sent', w.sent, fmt.count(w.sent)),
			cell('clicks', w.clicks, fmt.count(w.clicks)),
			cell('uniqueClickers', w.uniqueClickers, fmt.count(w.uniqueClickers)),
			cell('ctr', w.ctr, fmt.rate(w.ctr)),
			cell('conversions', w.conversions, fmt.count(w.conversions)),
			cell('conversionRate', w.conversionRate, fmt.rate(w.conversionRate)),
			cell('revenue', w.revenue, fmt.money(w.revenue, stats.currency)),
		),
	);
	$('waves-table').replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
}
