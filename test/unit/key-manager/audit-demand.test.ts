/**
 * Which Key Manager actions must, may or need not leave an audit record (helpers/audit-switch.ts), checked
 * against the operations the node offers, so a new operation cannot slip past the trail unnoticed.
 */
import { auditDemand } from '../../../nodes/LiteLlmKeyManager/helpers/audit-switch';
import { LiteLlmKeyManager } from '../../../nodes/LiteLlmKeyManager/LiteLlmKeyManager.node';

const READ_ONLY = ['get', 'listVirtualKeys', 'expiring', 'listCredentials', 'listModels'];
const LITELLM_ONLY = ['update', 'block', 'unblock', 'deleteVirtualKey', 'registerModel'];

function offeredOperations(): string[] {
	return new LiteLlmKeyManager().description.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) => (p.options ?? []).map((o) => ('value' in o ? String(o.value) : '')));
}

describe('audit demand per Key Manager action', () => {
	it('every action that is not read-only is recorded', () => {
		const unrecorded = offeredOperations().filter((op) => auditDemand(op, {}) === 'none');
		expect(unrecorded.sort()).toEqual([...READ_ONLY].sort());
	});

	it.each(LITELLM_ONLY)('%s needs a record by default and none with the switch off', (op) => {
		expect(auditDemand(op, {})).toBe('required');
		expect(auditDemand(op, { recordAudit: true })).toBe('required');
		expect(auditDemand(op, { recordAudit: false })).toBe('none');
	});

	it('Create follows the switch only when the key is shown once', () => {
		expect(auditDemand('create', { keyDelivery: 'showOnce' })).toBe('required');
		expect(auditDemand('create', { keyDelivery: 'showOnce', recordAudit: false })).toBe('none');
		expect(auditDemand('create', { keyDelivery: 'infisical', recordAudit: false })).toBe(
			'ifConfigured',
		);
	});

	it('actions that read Infisical anyway ignore a stray switch', () => {
		for (const op of ['store', 'validate', 'rotateProviderKey', 'sweepPendingRevokes'])
			expect(auditDemand(op, { recordAudit: false })).toBe('ifConfigured');
	});
});
