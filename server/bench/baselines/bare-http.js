// Baseline: the least a redirect can cost on this machine — node:http answering 302 from a Map.
const { createServer } = require('node:http');

const codes = JSON.parse(process.argv[2] || '{}');
const links = new Map(Object.entries(codes));
const server = createServer((req, res) => {
	const target = links.get(req.url.slice(1));
	if (!target) {
		res.writeHead(404).end();
		return;
	}
	res.writeHead(302, {
		location: target,
		'cache-control': 'private, no-store',
		'content-length': '0',
	});
	res.end();
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
