/**
 * A bounded map that forgets the least recently used entry first. A JavaScript Map keeps insertion
 * order, so re-inserting on every hit keeps the oldest entry first: O(1) get and set.
 */
export class Lru<K, V> {
	private readonly map = new Map<K, V>();

	constructor(private readonly capacity: number) {}

	get size(): number {
		return this.map.size;
	}

	get(key: K): V | undefined {
		const value = this.map.get(key);
		if (value !== undefined) {
			this.map.delete(key);
			this.map.set(key, value);
		}
		return value;
	}

	set(key: K, value: V): void {
		if (this.capacity <= 0) return;
		this.map.delete(key);
		this.map.set(key, value);
		if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
	}

	delete(key: K): void {
		this.map.delete(key);
	}

	clear(): void {
		this.map.clear();
	}
}
