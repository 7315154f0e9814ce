import { ConfigError, loadConfig, type AppConfig, type Config } from './config';
import { createLogger } from './log';
import { startServer } from './server';

function banner(config: AppConfig, url: string): string {
	const lines = [
		'',
		`  SMS tracking server ready at ${url}`,
		`  Short links:   ${config.publicBaseUrl}/<code>`,
		`  Database:      ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}`}`,
	];
	// A key from the environment is the operator's secret and is never printed. The key this
	// server generates for a local start is shown once, on the start that created it, so the
	// newcomer can paste it into n8n; later starts only say where it is (logs keep no secret).
	if (config.apiKeySource === 'env') lines.push('  API key:       from API_KEY');
	else if (config.apiKeyCreated) lines.push(`  API key:       ${config.apiKeys[0]}   (shown this once; stored in ${config.dataDir}/api-key)`);
	else lines.push(`  API key:       in ${config.dataDir}/api-key (generated on the first start)`);
	lines.push('  In n8n: create an "SMS Tracking API" credential with this URL and API key.', '');
	return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
	let config: Config;
	try {
		config = loadConfig();
	} catch (err) {
		if (err instanceof ConfigError) {
			process.stderr.write(`Configuration error: ${err.message}\n`);
			process.exit(1);
		}
		throw err;
	}
	const log = createLogger(config.logLevel);
	const server = await startServer(config, log);
	process.stderr.write(banner(server.config, server.url));

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info('shutting down', { signal });
		await server.close();
		process.exit(0);
	};
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('SIGINT', () => void stop('SIGINT'));
}

/** The one line a failed start prints: a busy port names itself and how to choose another. */
function startFailure(err: unknown): string {
	const { code, port, address, message } = (err ?? {}) as NodeJS.ErrnoException & {
		port?: number;
		address?: string;
	};
	if (code === 'EADDRINUSE') {
		return `Port ${port} on ${address} is already in use (is another server running?). Start on another port, e.g. PORT=${Number(port) + 1} npm start, or PORT=0 for any free port.`;
	}
	return `Failed to start: ${message ?? err}`;
}

main().catch((err) => {
	process.stderr.write(`${startFailure(err)}\n`);
	process.exit(1);
});
