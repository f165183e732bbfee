/** What `npm start` takes from the e2e harness (test/e2e/harness), in one place. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export {
	buildIfStale,
	type CredentialImport,
	ensureRuntime,
	installPackage,
	N8nInstance,
	type N8nOwner,
	packPackage,
	REPO_ROOT as HARNESS_REPO_ROOT,
} from '../e2e/harness';

export async function readPackageJsonName(): Promise<string> {
	return (
		JSON.parse(await readFile(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
			name: string;
		}
	).name;
}
