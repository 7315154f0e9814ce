import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';

/**
 * Strict policy: scripts, styles, images and API calls only from this server; no inline code,
 * no frames. The page keeps the API key in sessionStorage and sends it as a header itself.
 */
const contentSecurityPolicy = [
	"default-src 'none'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self' data:",
	"connect-src 'self'",
	"font-src 'self'",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'",
].join('; ');

function securityHeaders(res: Response): void {
	res.setHeader('Content-Security-Policy', contentSecurityPolicy);
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('Referrer-Policy', 'no-referrer');
	res.setHeader('X-Frame-Options', 'DENY');
}

/**
 * The built assets live in dist/public/dashboard (gulp copies and minifies them there, with the
 * charting library from node_modules); running from source (tests, ts-node) serves
 * server/public/dashboard and the library straight from its package.
 */
function locateAssets(): { dir: string; chartJs: string } {
	const built = path.resolve(__dirname, '..', 'public', 'dashboard'); // dist/dashboard → dist/public
	const dir = existsSync(built)
		? built
		: path.resolve(__dirname, '..', '..', 'public', 'dashboard'); // src/dashboard → public
	const vendored = path.join(dir, 'vendor', 'chart.umd.min.js');
	return {
		dir,
		chartJs: existsSync(vendored)
			? vendored
			: path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
	};
}

/** GET /dashboard (mounted there by app.ts): the single-page dashboard over the public API. Needs no session on the server. */
export function dashboardRoutes(): Router {
	const { dir, chartJs } = locateAssets();
	const router = Router();
	router.use((_req, res, next) => {
		securityHeaders(res);
		next();
	});
	router.get('/', (req, res, next) => {
		// A trailing slash keeps the page's relative asset URLs under /dashboard/.
		if (!req.originalUrl.split('?')[0].endsWith('/')) return res.redirect(301, `${req.baseUrl}/`);
		res.setHeader('Cache-Control', 'no-cache');
		res.sendFile(path.join(dir, 'index.html'), (err) => err && next(err));
	});
	router.get('/vendor/chart.umd.min.js', (_req, res, next) => {
		res.setHeader('Cache-Control', 'public, max-age=3600');
		res.sendFile(chartJs, (err) => err && next(err));
	});
	router.use(express.static(dir, { index: 'index.html', maxAge: '5m', fallthrough: true, redirect: false }));
	return router;
}
