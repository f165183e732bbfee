/** `GET /api/v1/models`: the public catalogue (no key needed), `{data:[{id,name,pricing{...},context_length,...}]}`. */
import type { SimServer } from '../http/server';
import { modelEntry } from './catalogue';
import type { OpenRouterContext } from './context';

export function registerModels(server: SimServer, ctx: OpenRouterContext): void {
	server.route('GET', '/api/v1/models', () => ({
		status: 200,
		body: { data: [...ctx.models.values()].map(modelEntry) },
	}));
}
