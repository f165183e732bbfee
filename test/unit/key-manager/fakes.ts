/**
 * Injected side-effect layer for the rotation state machine: an in-memory key store with versions and a
 * provider/gateway that mints keys, both writing every call into one ledger (Infisical's factory-test
 * style: `calls: string[]`, asserted in exact order). Faults: `failOn` makes a named call throw once.
 */
import type { SecretStore, StoredSecret } from '../../../nodes/shared/transport/infisical';
import type {
	DiscardOutcome,
	Minted,
	RevokeOutcome,
	RotationTarget,
} from '../../../nodes/shared/rotation/types';

export class Ledger {
	readonly calls: string[] = [];
	private readonly faults = new Map<string, Array<(() => Error) | null>>();

	/**
	 * The next call named `name` (e.g. 'store.update:OPENAI_API_KEY', 'target.revoke') throws; with `skip`,
	 * the call after that many successful ones.
	 */
	failOn(
		name: string,
		error: () => Error = () => new Error(`${name} failed (HTTP 500)`),
		skip = 0,
	): void {
		this.faults.set(name, [
			...(this.faults.get(name) ?? []),
			...Array<null>(skip).fill(null),
			error,
		]);
	}

	hit(name: string): void {
		this.calls.push(name);
		const queue = this.faults.get(name);
		const fault = queue?.shift();
		if (fault) throw fault();
	}

	/** The calls without reads, which are an implementation detail. */
	writes(): string[] {
		return this.calls.filter((c) => !c.startsWith('store.get') && !c.startsWith('store.list'));
	}
}

interface Row {
	versions: Array<{ value: string; comment: string }>;
}

export class FakeStore implements SecretStore {
	readonly rows = new Map<string, Row>();

	constructor(private readonly ledger: Ledger) {}

	seed(name: string, value: string, comment = ''): void {
		this.rows.set(name, { versions: [{ value, comment }] });
	}

	value(name: string): string | undefined {
		return this.rows.get(name)?.versions.at(-1)?.value;
	}

	comment(name: string): string | undefined {
		return this.rows.get(name)?.versions.at(-1)?.comment;
	}

	private view(name: string, row: Row, version = row.versions.length): StoredSecret {
		const v = row.versions[version - 1];
		return { name, value: v.value, comment: v.comment, version };
	}

	async list(): Promise<StoredSecret[]> {
		this.ledger.hit('store.list');
		return [...this.rows].map(([name, row]) => this.view(name, row));
	}

	async get(name: string, version?: number): Promise<StoredSecret | undefined> {
		this.ledger.hit(`store.get:${name}`);
		const row = this.rows.get(name);
		if (!row || (version && !row.versions[version - 1])) return undefined;
		return this.view(name, row, version);
	}

	async create(name: string, value: string, comment: string): Promise<'created' | 'exists'> {
		this.ledger.hit(`store.create:${name}`);
		if (this.rows.has(name)) return 'exists';
		this.rows.set(name, { versions: [{ value, comment }] });
		return 'created';
	}

	async update(name: string, value: string | undefined, comment?: string): Promise<StoredSecret> {
		this.ledger.hit(`store.update:${name}`);
		const row = this.rows.get(name);
		if (!row) throw Object.assign(new Error('Secret not found'), { status: 404 });
		// Like Infisical: no value in the update keeps the current one.
		row.versions.push({
			value: value ?? row.versions.at(-1)!.value,
			comment: comment ?? row.versions.at(-1)!.comment,
		});
		return this.view(name, row);
	}

	async remove(name: string): Promise<boolean> {
		this.ledger.hit(`store.remove:${name}`);
		return this.rows.delete(name);
	}
}

/** A provider plus gateway: `live` keys authenticate; `inUse` is the key the gateway sends upstream. */
export class FakeTarget implements RotationTarget {
	readonly live = new Set<string>();
	inUse: string;
	private counter = 0;
	/** Keys minted per tag, so discardOrphan can find them without plaintext. */
	readonly byTag = new Map<string, string>();
	readonly canRevokeNew = true;
	/** When set, create mints the key and then throws: the stop between mint and stash. */
	loseNextMint = false;

	constructor(
		private readonly ledger: Ledger,
		initial: string,
	) {
		this.live.add(initial);
		this.inUse = initial;
	}

	async create(tag: string): Promise<Minted> {
		this.ledger.hit('target.create');
		const key = `sk-new-${tag}-${++this.counter}-abcdefghijklmnop`;
		this.live.add(key);
		this.byTag.set(tag, key);
		if (this.loseNextMint) {
			this.loseNextMint = false;
			throw new Error('worker killed after the mint answered');
		}
		return { key, ref: `alias-${tag}` };
	}

	async discardOrphan(tag: string): Promise<DiscardOutcome> {
		this.ledger.hit('target.discardOrphan');
		const key = this.byTag.get(tag);
		if (!key || !this.live.has(key)) return 'none';
		this.live.delete(key);
		return 'removed';
	}

	async verify(key: string): Promise<void> {
		this.ledger.hit('target.verify');
		if (!this.live.has(key)) throw new Error('new key rejected (401)');
	}

	async switchTo(key: string): Promise<void> {
		this.ledger.hit('target.switchTo');
		this.inUse = key;
	}

	async switchBack(key: string): Promise<void> {
		this.ledger.hit('target.switchBack');
		this.inUse = key;
	}

	async revoke(key: string): Promise<RevokeOutcome> {
		this.ledger.hit('target.revoke');
		return this.live.delete(key) ? 'revoked' : 'not_found';
	}
}
