/** Child side of sim-host.ts: start the module's servers, announce them, stop on SIGTERM. */
async function main(): Promise<void> {
	const module = (await import(process.argv[2])) as {
		start: () => Promise<{ info: object; stop: () => Promise<void> }>;
	};
	const servers = await module.start();
	process.stdout.write(`READY ${JSON.stringify(servers.info)}\n`);
	const stop = () => void servers.stop().then(() => process.exit(0));
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
