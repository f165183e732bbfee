/** Each credential's own test, run by n8n through its public API: passes against the simulators, fails with a wrong key. */
import { credentialsFor, WORKFLOW_IDS, type World } from './setup';

export function credentialCases(world: () => World): void {
	const cases: Array<[string, string, Record<string, unknown>]> = [
		['liteLlmAdmin0001', 'liteLlmApi', { apiKey: 'sk-wrong-master-key-000000' }],
		['openRouter000001', 'liteLlmOpenRouterApi', { apiKey: `sk-or-v1-${'00'.repeat(32)}` }],
		['infisical0000001', 'liteLlmInfisicalApi', { clientSecret: 'wrong-client-secret-000000' }],
	];
	it.each(cases)('%s (%s): OK with the right key, Error with a wrong one', async (id, type, wrong) => {
		const w = world();
		const right = await w.suite.n8n.testCredential(id);
		expect(right).toMatchObject({ status: 'OK' });
		const base = credentialsFor(w).find((c) => c.id === id)!;
		// The public API refuses fields a user never types (the Infisical credential's hidden accessToken).
		const { accessToken: _hidden, ...data } = { ...base.data, ...wrong };
		const wrongId = await w.suite.n8n.createCredential({ name: `${base.name} (wrong)`, type, data });
		const failed = await w.suite.n8n.testCredential(wrongId);
		expect(failed.status).toBe('Error');
		w.outputs.push(JSON.stringify(failed));
	});
}

/** n8n checks a workflow's nodes (required credentials, parameters) when it is published: every shipped one passes. */
export function publishCases(world: () => World): void {
	it.each([WORKFLOW_IDS.validation, WORKFLOW_IDS.rotation, WORKFLOW_IDS.cost])('%s can be published and unpublished', async (id) => {
		const w = world();
		await w.suite.n8n.activateWorkflow(id);
		const off = await w.suite.n8n.api('POST', `/workflows/${id}/deactivate`);
		expect(off.status).toBe(200);
	});
}
