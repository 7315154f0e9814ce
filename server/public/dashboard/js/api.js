// The dashboard's only HTTP caller: the API key from sessionStorage as a Bearer header, never in a URL.
const storageKey = 'smsTracking.apiKey';

export class ApiError extends Error {
	constructor(status, code, message) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

export const session = {
	get: () => sessionStorage.getItem(storageKey),
	set: (key) => sessionStorage.setItem(storageKey, key),
	clear: () => sessionStorage.removeItem(storageKey),
};

export async function api(method, path, body, key = session.get()) {
	const headers = { accept: 'application/json', authorization: `Bearer ${key ?? ''}` };
	if (body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(`../api/v1${path}`, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
		credentials: 'omit',
		cache: 'no-store',
	});
	const data = await res.json().catch(() => ({}));
	if (!res.ok)
		throw new ApiError(
			res.status,
			data?.error?.code ?? 'http_error',
			data?.error?.message ?? `HTTP ${res.status}`,
		);
	return data;
}
