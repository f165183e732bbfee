/**
 * A proxy without a database (no DATABASE_URL), as litellm 1.83.7 answers its management routes then: the
 * proxy's own chat, model and health routes work, while key, spend and credential routes fail with HTTP 500
 * and one of several "not connected" messages (each route words it differently; the texts below were read
 * from the real proxy). `/key/regenerate` checks the Enterprise licence first, so it answers the licence
 * error even here. Registered instead of the keys/spend route files when `database: false`.
 */
import type { SimServer, SimResponse } from '../http/server';
import { authenticate } from './auth';
import type { LiteLlmContext } from './context';
import { ProxyError } from './errors';

const DOCS_VIRTUAL_KEYS = 'https://docs.litellm.ai/docs/proxy/virtual_keys';
const DATABASE_NOT_CONNECTED =
	'Database not connected. Connect a database to your proxy - https://docs.litellm.ai/docs/simple_proxy#managing-auth---virtual-keys';
const DB_NOT_CONNECTED = `{'error': 'DB not connected. See ${DOCS_VIRTUAL_KEYS}'}`;
export const ENTERPRISE_REGENERATE =
	'Regenerating Virtual Keys is an Enterprise feature, You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env. Get a 7 day trial key here: https://www.litellm.ai/enterprise#trial. \nPricing: https://www.litellm.ai/#pricing';

/** Route → the error LiteLLM raises when `prisma_client` is None. */
const ANSWERS: Array<[method: string, path: string, answer: () => SimResponse]> = [
	[
		'GET',
		'/key/info',
		() => new ProxyError(500, DATABASE_NOT_CONNECTED, 'internal_server_error', 'None').toResponse(),
	],
	[
		'GET',
		'/key/list',
		() =>
			new ProxyError(
				500,
				'Authentication Error, Database not connected',
				'internal_server_error',
				'None',
			).toResponse(),
	],
	[
		'POST',
		'/key/generate',
		() => new ProxyError(500, DB_NOT_CONNECTED, 'internal_server_error', 'None').toResponse(),
	],
	[
		'POST',
		'/key/update',
		() => new ProxyError(500, DB_NOT_CONNECTED, 'internal_server_error', 'None').toResponse(),
	],
	[
		'POST',
		'/key/delete',
		() => new ProxyError(500, 'Not connected to DB!', 'internal_server_error', 'None').toResponse(),
	],
	[
		'POST',
		'/key/regenerate',
		() => new ProxyError(500, ENTERPRISE_REGENERATE, 'internal_server_error', 'None').toResponse(),
	],
	[
		'POST',
		'/key/:key/regenerate',
		() => new ProxyError(500, ENTERPRISE_REGENERATE, 'internal_server_error', 'None').toResponse(),
	],
	[
		'GET',
		'/credentials',
		() => new ProxyError(500, DB_NOT_CONNECTED, 'internal_server_error', 'None').toResponse(),
	],
	[
		'POST',
		'/credentials',
		() => new ProxyError(500, DB_NOT_CONNECTED, 'internal_server_error', 'None').toResponse(),
	],
	[
		'POST',
		'/model/new',
		() =>
			new ProxyError(
				500,
				`{'error': "No DB Connected. Here's how to do it - ${DOCS_VIRTUAL_KEYS}"}`,
				'auth_error',
				'None',
			).toResponse(),
	],
	[
		'GET',
		'/spend/logs',
		() =>
			new ProxyError(
				500,
				`/spend/logs Error${DATABASE_NOT_CONNECTED}`,
				'internal_error',
				'None',
			).toResponse(),
	],
	[
		'GET',
		'/user/daily/activity',
		() => ({
			status: 500,
			body: { detail: { error: `DB not connected. See ${DOCS_VIRTUAL_KEYS}` } },
		}),
	],
];

export function registerNoDatabase(server: SimServer, ctx: LiteLlmContext): void {
	for (const [method, path, answer] of ANSWERS) {
		server.route(method, path, (req) => {
			const auth = authenticate(req.headers, ctx.config, ctx.state, ctx.options.clock());
			return auth instanceof ProxyError ? auth.toResponse() : answer();
		});
	}
}
