// Chart.js (served by this server from the npm package) with one look for every chart.
const colors = { clicks: '#4f46e5', views: '#0ea5e9', conversions: '#10b981' };
const palette = [
	'#4f46e5',
	'#0ea5e9',
	'#10b981',
	'#f59e0b',
	'#e11d48',
	'#8b5cf6',
	'#14b8a6',
	'#64748b',
];
const charts = new Map();

function draw(canvasId, config) {
	charts.get(canvasId)?.destroy();
	const ChartJs = window.Chart;
	if (!ChartJs) return;
	ChartJs.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
	ChartJs.defaults.color = '#66708a';
	const chart = new ChartJs(document.getElementById(canvasId), {
		...config,
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: { duration: 400 },
			...config.options,
		},
	});
	charts.set(canvasId, chart);
}

const grid = { color: 'rgba(102, 112, 138, 0.12)' };

export function timelineChart(labels, timeline) {
	// One bucket makes no line, only dots sitting on the axis: show it as bars instead.
	const single = timeline.length === 1;
	const series = (key, label) =>
		single
			? { label, data: timeline.map((t) => t[key]), backgroundColor: colors[key], borderRadius: 6 }
			: {
					label,
					data: timeline.map((t) => t[key]),
					borderColor: colors[key],
					backgroundColor: `${colors[key]}22`,
					fill: key === 'clicks',
					tension: 0.3,
					cubicInterpolationMode: 'monotone',
					pointRadius: timeline.length > 40 ? 0 : 3,
					borderWidth: 2,
				};
	draw('timeline-chart', {
		type: single ? 'bar' : 'line',
		data: {
			labels,
			datasets: [
				series('clicks', 'Clicks'),
				series('views', 'Views'),
				series('conversions', 'Conversions'),
			],
		},
		options: {
			interaction: { mode: 'index', intersect: false },
			plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 8 } } },
			scales: {
				x: { grid: { display: false }, ticks: { maxTicksLimit: 8 } },
				y: { beginAtZero: true, grid, ticks: { precision: 0 } },
			},
		},
	});
}

export function variantsChart(variants) {
	draw('variants-chart', {
		type: 'bar',
		data: {
			labels: variants.map((v) => (v.variant === 'holdout' ? 'Hold-out' : v.variant)),
			datasets: [
				{
					label: 'Click rate',
					data: variants.map((v) => (v.ctr ?? 0) * 100),
					backgroundColor: colors.clicks,
					borderRadius: 6,
				},
				{
					label: 'Conversion rate',
					data: variants.map((v) => (v.conversionRate ?? 0) * 100),
					backgroundColor: colors.conversions,
					borderRadius: 6,
				},
			],
		},
		options: {
			plugins: {
				legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 8 } },
				tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.parsed.y.toFixed(1)} %` } },
			},
			scales: {
				x: { grid: { display: false } },
				y: { beginAtZero: true, grid, ticks: { callback: (v) => `${v} %` } },
			},
		},
	});
}

export function devicesChart(rows) {
	const data = rows.length ? rows : [{ key: 'No clicks yet', clicks: 1 }];
	draw('devices-chart', {
		type: 'doughnut',
		data: {
			labels: data.map((r) => r.key),
			datasets: [
				{
					data: data.map((r) => r.clicks),
					backgroundColor: rows.length ? palette : ['#e4e8f1'],
					borderWidth: 0,
				},
			],
		},
		options: {
			cutout: '62%',
			plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, boxWidth: 8 } } },
		},
	});
}

export function hoursChart(hours) {
	const max = Math.max(...hours.map((h) => h.clicks));
	draw('hours-chart', {
		type: 'bar',
		data: {
			labels: hours.map((h) => String(h.key).padStart(2, '0')),
			datasets: [
				{
					label: 'Clicks',
					data: hours.map((h) => h.clicks),
					backgroundColor: hours.map((h) =>
						h.clicks === max && max > 0 ? colors.clicks : '#c7cbf5',
					),
					borderRadius: 4,
				},
			],
		},
		options: {
			plugins: { legend: { display: false } },
			scales: {
				x: { grid: { display: false } },
				y: { beginAtZero: true, grid, ticks: { precision: 0 } },
			},
		},
	});
}
