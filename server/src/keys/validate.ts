import { badRequest } from '../http/errors';
import { asObject, onlyKnownFields, requiredArray, requiredString } from '../http/validate';
import { isScope, scopes, type Scope } from './scopes';

/** `{name, scopes}`: a label and one or more of the known scopes. */
export function parseNewKey(body: unknown): { name: string; scopes: Scope[] } {
	const obj = asObject(body);
	onlyKnownFields(obj, ['name', 'scopes']);
	const name = requiredString(obj, 'name', 100);
	const given = requiredArray(obj, 'scopes', { min: 1, max: scopes.length });
	given.forEach((scope, i) => {
		if (!isScope(scope))
			throw badRequest(`scopes[${i}] must be one of ${scopes.join(', ')}`, 'invalid_scope');
	});
	return { name, scopes: scopes.filter((scope) => given.includes(scope)) };
}
