/** A free TCP port on 127.0.0.1, found by binding port 0 and releasing it. */
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
	return await new Promise<number>((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
		});
	});
}

/** `count` distinct free ports (held open together, so they cannot collide with each other). */
export async function freePorts(count: number): Promise<number[]> {
	const servers = await Promise.all(
		Array.from({ length: count }, async () => {
			const server = createServer();
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(0, '127.0.0.1', () => resolve());
			});
			return server;
		}),
	);
	const ports = servers.map((s) => {
		const address = s.address();
		return typeof address === 'object' && address ? address.port : 0;
	});
	await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
	return ports;
}
