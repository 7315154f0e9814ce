import { Counter, Gauge, type Registry } from 'prom-client';

/** Every series of the server starts with it (process metrics keep prom-client's own names). */
export const prefix = 'sms_tracking_';

/** A counter whose total another module keeps: read at scrape time. */
export function readCounter(register: Registry, name: string, help: string, read: () => number) {
	return new Counter({
		name: prefix + name,
		help,
		registers: [register],
		collect() {
			this.reset();
			this.inc(Math.max(0, read()));
		},
	});
}

/** A gauge whose value another module keeps: read at scrape time. */
export function readGauge(register: Registry, name: string, help: string, read: () => number) {
	return new Gauge({
		name: prefix + name,
		help,
		registers: [register],
		collect() {
			this.set(read());
		},
	});
}
