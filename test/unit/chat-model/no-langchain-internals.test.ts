/**
 * The package may use LangChain only through its public API: a LangChain update is free to rename what is
 * not. The names below are the members the Chat Model once wrote into to slip a fetch under the OpenAI
 * client (ChatOpenAI's protected `fields`, its internal `clientConfig` copies and the Chat Completions and
 * Responses delegates holding them), and their neighbours (`caller`, `client`, `defaultOptions`,
 * underscore-prefixed methods). The null-field fix goes through the public constructor instead
 * (nodes/LiteLlmChatModel/null-fields.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const INTERNAL_MEMBERS = [
	'fields',
	'clientConfig',
	'completions',
	'responses',
	'caller',
	'client',
	'defaultOptions',
];
// `.name` or `['name']`, but not a spread (`...fields`).
const MEMBER_ACCESS = new RegExp(
	`(?<!\\.\\.)\\.(${INTERNAL_MEMBERS.join('|')})\\b|\\[\\s*['"\`](${INTERNAL_MEMBERS.join('|')})['"\`]\\s*\\]|\\.(_[A-Za-z]\\w*)\\b`,
);

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

describe('package code and LangChain', () => {
	it('touches no non-public LangChain member', () => {
		const hits: string[] = [];
		for (const file of [
			...sourceFiles(join(ROOT, 'nodes')),
			...sourceFiles(join(ROOT, 'credentials')),
		]) {
			readFileSync(file, 'utf8')
				.split('\n')
				.forEach((line, index) => {
					const match = MEMBER_ACCESS.exec(line);
					if (match) hits.push(`${relative(ROOT, file)}:${index + 1}: ${match[0]}`);
				});
		}
		expect(hits).toEqual([]);
	});

	it('recognises the writes the Chat Model used to make', () => {
		for (const line of [
			'isObject(model.fields) ? model.fields.configuration : undefined',
			'model.clientConfig.fetch = f;',
			"model['clientConfig'].fetch = f;",
			'model.completions.clientConfig',
			'model._getClientOptions()',
		]) {
			expect(line).toMatch(MEMBER_ACCESS);
		}
		expect('return this.call("POST", "/key/update", { ...fields, key });').not.toMatch(
			MEMBER_ACCESS,
		);
	});
});
