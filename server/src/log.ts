/** Structured logging: one JSON line per record. Never pass secrets, query strings or raw IPs. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
	debug(msg: string, fields?: Record<string, unknown>): void;
	info(msg: string, fields?: Record<string, unknown>): void;
	warn(msg: string, fields?: Record<string, unknown>): void;
	error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
	const threshold = order[level];
	const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
		if (order[lvl] < threshold) return;
		const record: Record<string, unknown> = { time: new Date().toISOString(), level: lvl, msg, ...fields };
		if (fields?.err instanceof Error) {
			record.err = { message: fields.err.message, code: (fields.err as { code?: string }).code };
		}
		write(JSON.stringify(record) + '\n');
	};
	return {
		debug: (msg, fields) => emit('debug', msg, fields),
		info: (msg, fields) => emit('info', msg, fields),
		warn: (msg, fields) => emit('warn', msg, fields),
		error: (msg, fields) => emit('error', msg, fields),
	};
}
