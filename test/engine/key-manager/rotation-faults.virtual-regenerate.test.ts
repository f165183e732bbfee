/** Exhaustive fault injection over one rotation kind (faults/suite.ts says what runs and what is checked). */
import { faultSuite } from './faults/suite';
import { KINDS } from './faults/world';

faultSuite(KINDS.virtualRegenerate);
