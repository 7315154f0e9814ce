// One campaign: headline numbers, activity, funnel, A/B verdict, waves, links, devices and hours.
import { api } from './api.js';
import { devicesChart, hoursChart, timelineChart, variantsChart } from './charts.js';
import { $, barList, el } from './dom.js';
import * as fmt from './format.js';
import { renderWaves } from './waves.js';

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
let winnerMetric = 'ctr';
let current = null;

function kpi(metric, label, value, display, sub, kind = '') {
	return el(
		'div',
		{ class: `kpi ${kind}`, 'data-metric': metric, 'data-value': value ?? '' },
		el('div', { class: 'kpi-label', text: label }),
		el('div', { class: 'kpi-value', text: display }),
		sub ? el('div', { class: 'kpi-sub', text: sub }) : null,
	);
}

function renderKpis(stats) {
	const t = stats.totals;
	const c = stats.currency;
	$('kpis').replaceChildren(
		kpi('recipients', 'Recipients', t.recipients, fmt.count(t.recipients)),
		kpi('sent', 'Sent', t.sent, fmt.count(t.sent), `${fmt.count(t.segments)} segments`),
		kpi(
			'delivered',
			'Delivered',
			t.delivered,
			fmt.count(t.delivered),
			t.sent ? `${fmt.rate(t.delivered / t.sent)} of sent` : null,
		),
		kpi(
			'views',
			'Previews',
			t.views,
			fmt.count(t.views),
			`${fmt.count(t.uniqueViewers)} phones`,
			'views',
		),
		kpi(
			'clicks',
			'Clicks',
			t.clicks,
			fmt.count(t.clicks),
			`${fmt.count(t.uniqueClickers)} unique clickers`,
		),
		kpi('ctr', 'Click rate', t.ctr, fmt.rate(t.ctr), 'unique clickers / sent'),
		kpi(
			'conversions',
			'Conversions',
			t.conversions,
			fmt.count(t.conversions),
			`${fmt.count(t.uniqueConverters)} customers`,
			'conversions',
		),
		kpi(
			'conversionRate',
			'Conversion rate',
			t.conversionRate,
			fmt.rate(t.conversionRate),
			`${fmt.rate(t.conversionRateOfClickers)} of clickers`,
			'conversions',
		),
		kpi(
			'revenue',
			'Revenue',
			t.revenue,
			fmt.money(t.revenue, c),
			stats.otherCurrencies.length
				? `+ ${stats.otherCurrencies.map((o) => fmt.money(o.revenue, o.currency)).join(', ')} not counted`
				: null,
			'money',
		),
		kpi(
			'cost',
			'Cost',
			t.cost,
			fmt.money(t.cost, c),
			t.cost === null ? 'no cost per segment set' : null,
			'money',
		),
		kpi('roi', 'ROI', t.roi, fmt.roi(t.roi), '(revenue − cost) / cost', 'money'),
		kpi(
			'medianSecondsToFirstClick',
			'Time to first click',
			stats.medianSecondsToFirstClick,
			fmt.duration(stats.medianSecondsToFirstClick),
			'median after sending',
		),
	);
}

function renderFunnel(t) {
	const base = t.sent || t.recipients;
	const steps = [
		['sent', 'Sent', t.sent || t.recipients],
		['delivered', 'Delivered', t.delivered],
		['viewed', 'Viewed (link preview)', t.uniqueViewers],
		['clicked', 'Clicked', t.uniqueClickers],
		['converted', 'Converted', t.uniqueConverters],
	];
	$('funnel').replaceChildren(
		...steps.map(([key, label, value]) => {
			const fill = el('div', { class: 'fill' });
			const share = base ? value / base : 0;
			requestAnimationFrame(() => {
				fill.style.width = `${Math.min(share, 1) * 100}%`;
			});
			return el(
				'li',
				{ 'data-step': key, 'data-value': value },
				el('span', { class: 'step', text: label }),
				el('span', { class: 'count', text: fmt.count(value) }),
				el('div', { class: 'track' }, fill),
				el('span', { class: 'share', text: base ? `${fmt.rate(share)} of sent` : '—' }),
			);
		}),
	);
}

function renderVariantsTable(stats, decision) {
	const variants = stats.variants;
	const head = el(
		'tr',
		{},
		...['Variant', 'Sent', 'Clickers', 'Click rate', 'Conversion rate', 'Revenue', 'ROI'].map(
			(h, i) => el('th', { class: i ? 'num' : '', text: h }),
		),
	);
	const rows = variants.map((v) =>
		el(
			'tr',
			{ 'data-variant': v.variant },
			el(
				'td',
				{},
				el('strong', { text: v.variant === 'holdout' ? 'Hold-out' : v.variant }),
				decision?.winner === v.variant
					? el('span', { class: 'badge', text: 'Winner' })
					: decision?.leader === v.variant
						? el('span', { class: 'badge lead', text: 'Leading' })
						: null,
			),
			el('td', { class: 'num', text: fmt.count(v.sent) }),
			el('td', { class: 'num', text: fmt.count(v.uniqueClickers) }),
			el('td', { class: 'num', 'data-value': v.ctr ?? '', text: fmt.rate(v.ctr) }),
			el('td', {
				class: 'num',
				'data-value': v.conversionRate ?? '',
				text: fmt.rate(v.conversionRate),
			}),
			el('td', { class: 'num', text: fmt.money(v.revenue, stats.currency) }),
			el('td', { class: 'num', text: fmt.roi(v.roi) }),
		),
	);
	$('variants-table').replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
}

function renderVerdict(decision) {
	const box = $('verdict');
	const metricName = decision.metric === 'ctr' ? 'click rate' : 'conversion rate';
	const confidence = `${Math.round(decision.confidence * 100)} %`;
	box.className = `verdict ${decision.winner ? 'win' : decision.leader ? 'pending' : ''}`;
	let headline;
	let detail;
	if (decision.winner) {
		headline = `${decision.winner} wins on ${metricName}`;
		detail = `Significant at ${confidence} against ${decision.runnerUp} (p = ${fmt.pValue(decision.pValue)}).${decision.recorded ? ' Recorded.' : ''} Send it to the hold-out.`;
	} else if (decision.leader && decision.runnerUp) {
		headline = `${decision.leader} leads on ${metricName} — not decided yet`;
		const reasons = [];
		if (!decision.significant)
			reasons.push(
				`p = ${fmt.pValue(decision.pValue)}, needs < ${(1 - decision.confidence).toFixed(2)}`,
			);
		if (!decision.minSampleReached)
			reasons.push(
				`minimum sample ${fmt.count(decision.minSamplePerVariant)} per variant not reached`,
			);
		if (decision.requiredSamplePerVariant)
			reasons.push(
				`this difference needs about ${fmt.count(decision.requiredSamplePerVariant)} recipients per variant`,
			);
		detail = reasons.join(' · ');
	} else {
		headline = 'No A/B test to judge';
		detail = 'The campaign needs at least two variants with recipients.';
	}
	box.replaceChildren(
		el('strong', { 'data-winner': decision.winner ?? '', text: headline }),
		el('div', { class: 'detail', text: detail }),
	);
}

async function loadVerdict(stats) {
	const testable = stats.variants.filter((v) => v.variant !== 'holdout');
	$('variants-card').hidden = testable.length < 2;
	if (testable.length < 2) return;
	const decision = await api('POST', `/campaigns/${encodeURIComponent(stats.campaignId)}/winner`, {
		metric: winnerMetric,
	});
	renderVerdict(decision);
	renderVariantsTable(stats, decision);
	variantsChart(stats.variants);
}

function renderLinks(links) {
	const head = el(
		'tr',
		{},
		...['Link', 'Clicks', 'Unique clickers', 'Views', 'Conversions'].map((h, i) =>
			el('th', { class: i ? 'num' : '', text: h }),
		),
	);
	const rows = links.length
		? links.map((l) =>
				el(
					'tr',
					{ 'data-url': l.url },
					el('td', { class: 'url', title: l.url, text: l.url }),
					el('td', { class: 'num', text: fmt.count(l.clicks) }),
					el('td', { class: 'num', text: fmt.count(l.uniqueClickers) }),
					el('td', { class: 'num', text: fmt.count(l.views) }),
					el('td', { class: 'num', text: fmt.count(l.conversions) }),
				),
			)
		: [el('tr', {}, el('td', { colspan: 5, class: 'muted', text: 'No links yet' }))];
	$('links-table').replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
}

export async function showCampaign(id) {
	const [campaign, stats] = await Promise.all([
		api('GET', `/campaigns/${encodeURIComponent(id)}`),
		api(
			'GET',
			`/campaigns/${encodeURIComponent(id)}/stats?timeZone=${encodeURIComponent(timeZone)}`,
		),
	]);
	current = stats;
	$('campaign-name').textContent = campaign.name;
	const variants = campaign.variants?.map((v) => v.name).join(' / ');
	$('campaign-meta').textContent = [
		`Created ${fmt.dateTime(campaign.createdAt)}`,
		variants
			? `A/B: ${variants}${campaign.holdout ? ` + ${Math.round(campaign.holdout * 100)} % hold-out` : ''}`
			: null,
		campaign.conversionTracking ? 'Conversion tracking on' : null,
		campaign.currency,
	]
		.filter(Boolean)
		.join(' · ');
	renderKpis(stats);
	renderFunnel(stats.totals);
	timelineChart(
		stats.timeline.map((t) => fmt.bucketLabel(t.bucket, stats.timelineBucket, timeZone)),
		stats.timeline,
	);
	renderWaves(stats);
	renderLinks(stats.links);
	devicesChart(stats.breakdowns.deviceType);
	barList($('os-bars'), stats.breakdowns.os);
	barList($('country-bars'), stats.breakdowns.country);
	$('hours-tz').textContent = `(${timeZone})`;
	hoursChart(stats.breakdowns.hourOfDay);
	await loadVerdict(stats);
}

export function bindCampaignControls() {
	for (const button of document.querySelectorAll('[data-metric-choice]')) {
		button.addEventListener('click', async () => {
			winnerMetric = button.dataset.metricChoice;
			for (const b of document.querySelectorAll('[data-metric-choice]'))
				b.classList.toggle('active', b === button);
			if (current) await loadVerdict(current);
		});
	}
}

export { timeZone };
