import type { z } from 'zod';
import type { trackingCode as trackingCodeSchema } from './schemas';

/** What GET /tracking-code answers (conversions/schemas.ts). */
export type TrackingCode = z.output<typeof trackingCodeSchema>;

const escapeHtml = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The ready-to-paste tracking code for this server's public base URL. */
export function trackingCode(
	publicBaseUrl: string,
	version: string,
	example: { name: string; value: string; currency: string },
	cookieDays = 30,
): TrackingCode {
	const base = publicBaseUrl.replace(/\/+$/, '');
	const scriptUrl = `${base}/t.js?v=${version}`;
	const query = new URLSearchParams({ name: example.name, value: example.value, currency: example.currency });
	const pixelUrl = `${base}/c.gif?${query}`;
	const script =
		// The script keeps the click id as long as the redirect's cookie lives (its own default is 30 days).
		`<script src="${escapeHtml(scriptUrl)}"${cookieDays > 0 && cookieDays !== 30 ? ` data-cookie-days="${cookieDays}"` : ''} async></script>\n` +
		'<script>window.smsTracking=window.smsTracking||{q:[],conversion:function(c){this.q.push(c)}};</script>';
	const literal = (text: string) => JSON.stringify(text).replace(/</g, '\\u003c');
	const details = `{ name: ${literal(example.name)}, value: ${Number(example.value)}, currency: ${literal(example.currency)}, idempotencyKey: "ORDER-ID" }`;
	const conversion = `<script>smsTracking.conversion(${details});</script>`;
	const pixel = `<img src="${escapeHtml(pixelUrl)}" width="1" height="1" alt="" style="position:absolute;width:1px;height:1px;border:0">`;
	return {
		scriptUrl,
		pixelUrl,
		collectUrl: `${base}/collect`,
		version,
		script,
		conversion,
		pixel,
		snippet: [
			'<!-- SMS tracking: on every landing and confirmation page -->',
			script,
			'<!-- where the conversion happens (idempotencyKey: your order id, so a reload counts once) -->',
			conversion,
			'<!-- or, without JavaScript: the pixel -->',
			pixel,
		].join('\n'),
	};
}
