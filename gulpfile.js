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

function serverTypescript(done) {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join('server', 'tsconfig.json')], { stdio: 'inherit' });
	done();
}

function serverPublic() {
	return src('server/public/**/*', { allowEmpty: true, encoding: false }).pipe(dest('server/dist/public'));
}

const server = series(serverTypescript, serverPublic);

exports.icons = icons;
exports.server = server;
exports.build = parallel(icons, server);
exports.default = exports.build;
