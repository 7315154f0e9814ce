/**
 * The claim loop's sleep: it sleeps until a timer runs out or someone calls wake() (a NOTIFY, a
 * freed slot, stop). A wake() that comes while the loop is busy is remembered, so the next sleep
 * returns at once instead of missing it.
 */
export function createWakeSignal(isRunning: () => boolean) {
	let wakeUp: (() => void) | undefined;
	let woken = false;

	return {
		wake() {
			woken = true;
			wakeUp?.();
		},
		/** Forgets earlier wake-ups: call before looking for work. */
		reset() {
			woken = false;
		},
		sleep(ms: number): Promise<void> {
			return new Promise((resolve) => {
				if (woken || !isRunning()) return resolve();
				const timer = setTimeout(() => finish(), Math.max(0, ms));
				const finish = () => {
					clearTimeout(timer);
					wakeUp = undefined;
					resolve();
				};
				wakeUp = finish;
			});
		},
	};
}

export type WakeSignal = ReturnType<typeof createWakeSignal>;
