/**
 * The one masking of LiteLLM settings the Model resource's lists use: every field named like a secret is
 * masked, references and counts stay readable.
 */
import { maskSecretFields } from '../../../nodes/LiteLlmKeyManager/helpers/mask-fields';

describe('maskSecretFields', () => {
	it('masks api_key, aws_secret_access_key, vertex_credentials, password, token fields; keeps the rest', () => {
		const masked = maskSecretFields({
			model: 'bedrock/claude',
			api_key: 'plainProviderKey000000000001',
			aws_secret_access_key: 'awsSecretValue0000000000000002',
			aws_session_token: 'awsSessionToken000000000000003',
			vertex_credentials: { private_key: 'pem0000000000000000000004' },
			password: 'hunter2hunter2hunter2',
			litellm_credential_name: 'openai-byok',
			max_tokens: 100,
			api_base: 'https://example.test',
		});
		const text = JSON.stringify(masked);
		for (const secret of [
			'plainProviderKey000000000001',
			'awsSecretValue0000000000000002',
			'awsSessionToken000000000000003',
			'pem0000000000000000000004',
			'hunter2hunter2hunter2',
		]) {
			expect(text).not.toContain(secret);
		}
		expect(masked).toMatchObject({
			model: 'bedrock/claude',
			api_key: '...0001',
			vertex_credentials: '[masked]',
			litellm_credential_name: 'openai-byok',
			max_tokens: 100,
			api_base: 'https://example.test',
		});
	});
});
