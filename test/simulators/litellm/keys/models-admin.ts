/**
 * `/model/new`, `/model/update`, `/model/delete`. Rows join the router's
 * deployments (dbModel true), so chat reaches them at once. Choice: `STORE_MODEL_IN_DB` is on (else every
 * call would be the documented 500); config models refuse updates with LiteLLM's 400.
 */
import type { SimServer } from '../../http/server';
import { buildDeployment } from '../config';
import type { LiteLlmContext } from '../context';
import { asAdmin, bodyOf, detailError } from './common';

export function registerModelAdminRoutes(server: SimServer, ctx: LiteLlmContext): void {
	const row = (d: ReturnType<typeof buildDeployment>) => {
		const now = new Date(ctx.options.clock()).toISOString();
		const { api_key: _secret, ...params } = d.litellm_params;
		return {
			model_id: d.model_info.id,
			model_name: d.model_name,
			litellm_params: params,
			model_info: { ...d.model_info, db_model: true },
			blocked: false,
			created_at: now,
			created_by: 'default_user_id',
			updated_at: now,
			updated_by: 'default_user_id',
		};
	};
	server.route('POST', '/model/new', (req) =>
		asAdmin(ctx, req, '/model/new', () => {
			const body = bodyOf(req);
			const params = body.litellm_params as Record<string, unknown> | undefined;
			if (typeof body.model_name !== 'string' || !params || typeof params.model !== 'string')
				return detailError(400, 'model_name and litellm_params.model are required');
			const deployment = buildDeployment(
				{
					model_name: body.model_name,
					litellm_params: params,
					model_info: (body.model_info as Record<string, unknown>) ?? {
						id: `db-${ctx.state.deployments.length}-${Date.now()}`,
					},
				},
				{},
				true,
			);
			ctx.state.deployments.push(deployment);
			return { status: 200, body: row(deployment) };
		}),
	);
	server.route('POST', '/model/update', (req) =>
		asAdmin(ctx, req, '/model/update', () => {
			const body = bodyOf(req);
			const id = (body.model_info as { id?: string } | undefined)?.id;
			const index = ctx.state.deployments.findIndex((d) => d.model_info.id === id);
			if (index < 0) return detailError(400, `Model with id=${id} not found in db`);
			const current = ctx.state.deployments[index];
			if (!current.dbModel)
				return detailError(
					400,
					'Cannot edit config-based model. Please edit the config.yaml or add the model through the UI/API.',
				);
			const params = {
				...current.litellm_params,
				...((body.litellm_params as Record<string, unknown>) ?? {}),
			};
			ctx.state.deployments[index] = buildDeployment(
				{
					model_name: (body.model_name as string) ?? current.model_name,
					litellm_params: params,
					model_info: { ...current.model_info, id },
				},
				{},
				true,
			);
			return { status: 200, body: row(ctx.state.deployments[index]) };
		}),
	);
	server.route('POST', '/model/delete', (req) =>
		asAdmin(ctx, req, '/model/delete', () => {
			const id = bodyOf(req).id;
			const index = ctx.state.deployments.findIndex((d) => d.model_info.id === id && d.dbModel);
			if (index < 0) return detailError(400, `Model with id=${String(id)} not found in db`);
			ctx.state.deployments.splice(index, 1);
			return { status: 200, body: { message: `Model: ${String(id)} deleted successfully` } };
		}),
	);
}
