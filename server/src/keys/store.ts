import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db';
import { notFound } from '../http/errors';
import { newId } from '../shared/ids';
import type { z } from 'zod';
import type { apiKey } from './schemas';
import type { Scope } from './scopes';

export type ApiKey = z.infer<typeof apiKey>;

interface KeyRow {
	id: string;
	name: string;
	scopes: Scope[];
	prefix: string;
	created_at: Date;
	revoked_at: Date | null;
}

const columns = 'id, name, scopes, prefix, created_at, revoked_at';

const toKey = (row: KeyRow): ApiKey => ({
	id: row.id,
	name: row.name,
	scopes: row.scopes,
	prefix: row.prefix,
	createdAt: row.created_at.toISOString(),
	revokedAt: row.revoked_at?.toISOString() ?? null,
});

/** Keys this server hands out: `sk_` and 256 random bits (43 base64url characters). */
export const keyPattern = /^sk_[A-Za-z0-9_-]{43}$/;

export const digestOf = (secret: string) => createHash('sha256').update(secret).digest();

export async function createKey(
	db: Queryable,
	input: { name: string; scopes: Scope[] },
): Promise<ApiKey & { key: string }> {
	const key = 'sk_' + randomBytes(32).toString('base64url');
	const { rows } = await db.query<KeyRow>(
		`INSERT INTO api_keys (id, name, scopes, key_hash, prefix) VALUES ($1, $2, $3, $4, $5) RETURNING ${columns}`,
		[newId('key'), input.name, input.scopes, digestOf(key), key.slice(0, 10)],
	);
	return { ...toKey(rows[0]), key };
}

export async function listKeys(db: Queryable): Promise<ApiKey[]> {
	const { rows } = await db.query<KeyRow>(
		`SELECT ${columns} FROM api_keys ORDER BY created_at DESC, id DESC LIMIT 1000`,
	);
	return rows.map(toKey);
}

/** Revokes a key (idempotent); its row stays, marked revoked. */
export async function revokeKey(db: Queryable, id: string): Promise<ApiKey> {
	const { rows } = await db.query<KeyRow>(
		`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${columns}`,
		[id],
	);
	if (!rows[0]) throw notFound(`API key ${id.slice(0, 64)} does not exist`, 'key_not_found');
	return toKey(rows[0]);
}

/** The active key whose digest this is, or undefined. */
export async function findActiveKey(
	db: Queryable,
	digest: Buffer,
): Promise<Pick<ApiKey, 'id' | 'scopes'> | undefined> {
	const { rows } = await db.query<{ id: string; scopes: Scope[] }>(
		'SELECT id, scopes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
		[digest],
	);
	return rows[0];
}
