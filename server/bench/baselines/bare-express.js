// Baseline: a bare Express 5 app answering the same 302 from a Map (what a typical shortener is).
const express = require('express');

const codes = JSON.parse(process.argv[2] || '{}');
const links = new Map(Object.entries(codes));
const app = express();
app.disable('x-powered-by');
app.get('/:code', (req, res) => {
	const target = links.get(req.params.code);
	if (!target) return res.status(404).end();
	res.set('cache-control', 'private, no-store').redirect(302, target);
});
const server = app.listen(0, '127.0.0.1', () =>
	process.stdout.write(`listening ${server.address().port}\n`),
);
server.keepAliveTimeout = 65_000;
