import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * prom-client's process metrics (CPU, memory, event loop, GC, handles), once per process: they
 * describe the process, and each collection adds observers that are never removed, so servers
 * started in one process (the tests) share them.
 */
export function processMetrics(): Registry {
	if (!processRegistry) {
		processRegistry = new Registry();
		collectDefaultMetrics({ register: processRegistry });
	}
	return processRegistry;
}
