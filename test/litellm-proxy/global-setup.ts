/**
 * jest globalSetup of the main project: the contract suite runs the real LiteLLM proxy beside the
 * simulator, so LiteLLM is installed here (once per machine, a few minutes cold, milliseconds warm)
 * before any test file starts, instead of inside a test's timeout.
 */
import { ensureLiteLlm } from './install';

export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	const install = await ensureLiteLlm();
	process.stderr.write(
		`\n[litellm] ${install.version} in ${install.venv} (checked in ${Date.now() - started} ms)\n`,
	);
}
