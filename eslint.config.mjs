// The rules n8n's package scanner applies: @n8n/eslint-plugin-community-nodes `recommended` and the
// three eslint-plugin-n8n-nodes-base sets (community on package.json, credentials, nodes).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const base = n8nNodesBase.configs;

export default tseslint.config(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'coverage/**',
			'test/**',
			'.n8n-local/**',
			'gulpfile.js',
			'jest.config.js',
			'eslint.*.mjs',
		],
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: base.community.rules,
	},
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, ...tseslint.configs.recommended],
		rules: { 'no-console': 'error' },
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...base.credentials.rules,
			// For n8n's own repository only; it contradicts cred-class-field-documentation-url-not-http-url,
			// which community credentials must satisfy (n8n's node-cli config turns it off too).
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...base.nodes.rules,
			// These two predate NodeConnectionTypes and want the string 'main'; the starter turns them off.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// execute() delegates to one file per operation, where continueOnFail is handled (as in node-cli).
			'n8n-nodes-base/node-execute-block-missing-continue-on-fail': 'off',
		},
	},
	{
		files: ['package.json', '**/*.ts', 'nodes/**/*.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		...n8nCommunityNodesPlugin.configs.recommended,
	},
);
