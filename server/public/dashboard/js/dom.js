// Tiny DOM helpers: elements are built with textContent only (campaign names and URLs are data).
import { count } from './format.js';
export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attrs)) {
		if (value === undefined || value === null || value === false) continue;
		if (name === 'class') node.className = value;
		else if (name === 'text') node.textContent = value;
		else if (name.startsWith('data-')) node.setAttribute(name, String(value));
		else node.setAttribute(name, value === true ? '' : String(value));
	}
	for (const child of children.flat()) {
		if (child === null || child === undefined || child === false) continue;
		node.append(child instanceof Node ? child : document.createTextNode(String(child)));
	}
	return node;
}

export function show(id) {
	for (const view of ['login-view', 'list-view', 'campaign-view']) $(view).hidden = view !== id;
}

export function showError(message) {
	const banner = $('error-banner');
	banner.textContent = message ?? '';
	banner.hidden = !message;
}

/** Horizontal bar list (share of the largest value), for small breakdowns. */
export function barList(list, rows, emptyText = 'No clicks yet') {
	list.replaceChildren();
	if (rows.length === 0) {
		list.append(el('li', { class: 'empty', text: emptyText }));
		return;
	}
	const max = Math.max(...rows.map((r) => r.clicks), 1);
	for (const row of rows.slice(0, 8)) {
		const fill = el('div', { class: 'fill' });
		fill.style.width = `${(row.clicks / max) * 100}%`;
		list.append(
			el(
				'li',
				{ 'data-key': row.key },
				el('span', { text: row.key }),
				el('strong', { text: count(row.clicks), 'data-value': row.clicks }),
				el('div', { class: 'track' }, fill),
			),
		);
	}
}
