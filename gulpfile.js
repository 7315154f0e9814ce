// The build step beyond tsc: the tracking server's static assets (the conversion script, the
// dashboard and its charting library) are minified and copied into server/dist/public, where the
// server serves them from, and the nodes' icons into dist (n8n-node build copies them too; the
// `icons` task keeps a plain `gulp` build complete without it).
const { src, dest, series, parallel } = require('gulp');
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

function icons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', allowEmpty: true, encoding: false }).pipe(dest('dist'));
}

// A fresh server/dist each build: a module that became a folder (webhooks/dispatcher.ts →
// webhooks/dispatcher/index.ts) would otherwise be shadowed by its stale compiled file.
function serverTypescript(done) {
	require('node:fs').rmSync(path.join('server', 'dist'), { recursive: true, force: true });
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join('server', 'tsconfig.json')], { stdio: 'inherit' });
	done();
}

function serverPublic() {
	return src('server/public/**/*', { allowEmpty: true, encoding: false }).pipe(dest('server/dist/public'));
}

// The dashboard: its ES modules minified with swc, its stylesheet stripped of comments and
// whitespace, and Chart.js copied from node_modules (served by the server itself, no CDN).
async function dashboardAssets() {
	const fs = require('node:fs');
	const { minify } = require('@swc/core');
	const out = path.join('server', 'dist', 'public', 'dashboard');
	if (!existsSync(out)) return;
	const jsDir = path.join(out, 'js');
	for (const file of existsSync(jsDir) ? fs.readdirSync(jsDir).filter((f) => f.endsWith('.js')) : []) {
		const target = path.join(jsDir, file);
		const { code } = await minify(fs.readFileSync(target, 'utf8'), { module: true, compress: true, mangle: true });
		fs.writeFileSync(target, code);
	}
	const css = path.join(out, 'style.css');
	if (existsSync(css)) {
		const minified = fs.readFileSync(css, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ').replace(/\s*([{};,>])\s*/g, '$1').trim();
		fs.writeFileSync(css, minified);
	}
	fs.mkdirSync(path.join(out, 'vendor'), { recursive: true });
	const chartJs = path.join(path.dirname(require.resolve('chart.js', { paths: [path.join(__dirname, 'server')] })), 'chart.umd.min.js');
	fs.copyFileSync(chartJs, path.join(out, 'vendor', 'chart.umd.min.js'));
}

// The conversion script pasted on landing pages: minified with swc (already here for jest) into
// server/dist/public/t.js, which the server serves as /t.js with a content-hash version.
async function conversionScript() {
	const { minify } = require('@swc/core');
	const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
	const source = readFileSync(path.join('server', 'src', 'conversions', 't.src.js'), 'utf8');
	const { code } = await minify(source, { compress: { passes: 2 }, mangle: true, ecma: 5, format: { comments: false } });
	mkdirSync(path.join('server', 'dist', 'public'), { recursive: true });
	writeFileSync(path.join('server', 'dist', 'public', 't.js'), code + '\n');
}

const server = series(serverTypescript, parallel(serverPublic, conversionScript), dashboardAssets);

exports.icons = icons;
exports.server = server;
exports.conversionScript = conversionScript;
exports.build = parallel(icons, server);
exports.default = exports.build;
