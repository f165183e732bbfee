/**
 * `/credentials` (BETA in LiteLLM): create, list (values masked to 4 characters), get by
 * name, patch (merge), delete. Models reference them through `litellm_params.litellm_credential_name`;
 * `onChange` lets a test tie a credential's api_key to the upstream's verdict (the chat route does not call
 * real providers). Choice: a duplicate name answers 400 with a detail dict.
 */
import type { SimServer } from '../../http/server';
import type { LiteLlmContext } from '../context';
import type { CredentialRow } from '../state';
import { asAdmin, bodyOf, detailError } from './common';

function masked(values: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(values))
		out[k] =
			typeof v === 'string' && v.length > 4
				? `${v.slice(0, 4)}${'*'.repeat(Math.min(16, v.length - 4))}`
				: v;
	return out;
}

const view = (row: CredentialRow) => ({
	credential_name: row.credential_name,
	credential_values: masked(row.credential_values),
	credential_info: row.credential_info,
});

export function registerCredentialRoutes(
	server: SimServer,
	ctx: LiteLlmContext,
	onChange: (row: CredentialRow) => void,
): void {
	server.route('POST', '/credentials', (req) =>
		asAdmin(ctx, req, '/credentials', () => {
			const body = bodyOf(req);
			const name = body.credential_name;
			if (typeof name !== 'string' || !name) return detailError(400, 'credential_name is required');
			if (ctx.state.credentials.has(name))
				return detailError(400, `Credential ${name} already exists`);
			const row: CredentialRow = {
				credential_name: name,
				credential_values: (body.credential_values as Record<string, unknown>) ?? {},
				credential_info: (body.credential_info as Record<string, unknown>) ?? {},
			};
			ctx.state.credentials.set(name, row);
			onChange(row);
			return { status: 200, body: { success: true, message: 'Credential created successfully' } };
		}),
	);
	server.route('GET', '/credentials', (req) =>
		asAdmin(ctx, req, '/credentials', () => ({
			status: 200,
			body: { success: true, credentials: [...ctx.state.credentials.values()].map(view) },
		})),
	);
	server.route('GET', '/credentials/by_name/:name', (req) =>
		asAdmin(ctx, req, '/credentials/by_name', () => {
			const row = ctx.state.credentials.get(req.params.name);
			return row
				? { status: 200, body: view(row) }
				: detailError(404, `Credential not found: ${req.params.name}`);
		}),
	);
	server.route('PATCH', '/credentials/:name', (req) =>
		asAdmin(ctx, req, '/credentials', () => {
			const row = ctx.state.credentials.get(req.params.name);
			if (!row) return detailError(404, `Credential not found: ${req.params.name}`);
			const body = bodyOf(req);
			if (body.credential_values)
				row.credential_values = {
					...row.credential_values,
					...(body.credential_values as Record<string, unknown>),
				};
			if (body.credential_info)
				row.credential_info = {
					...row.credential_info,
					...(body.credential_info as Record<string, unknown>),
				};
			onChange(row);
			return { status: 200, body: { success: true, message: 'Credential updated successfully' } };
		}),
	);
	server.route('DELETE', '/credentials/:name', (req) =>
		asAdmin(ctx, req, '/credentials', () => {
			if (!ctx.state.credentials.delete(req.params.name))
				return detailError(404, `Credential not found: ${req.params.name}`);
			return { status: 200, body: { success: true, message: 'Credential deleted successfully' } };
		}),
	);
}
