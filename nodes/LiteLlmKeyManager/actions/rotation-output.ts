import type { IDataObject } from 'n8n-workflow';

import type { RotationReport } from '../../shared/rotation/types';

/** A rotation report as an output item: masks and fingerprints only. */
export function reportOut(report: RotationReport): IDataObject {
	return {
		secretName: report.secretName,
		rotationId: report.rotationId,
		status: report.status,
		resumed: report.resumed,
		newKey: report.newKey ?? null,
		oldKey: report.oldKey ?? null,
		orphansRemoved: report.orphansRemoved,
		...(report.orphansToCheck ? { orphansToCheck: report.orphansToCheck } : {}),
		...(report.orphansToRevoke ? { orphansToRevoke: report.orphansToRevoke } : {}),
		stages: report.stages,
	};
}
