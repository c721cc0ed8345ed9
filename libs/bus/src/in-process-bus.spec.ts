import { busContract } from './bus-contract.testing.js';

busContract('in-process', () => ({ kind: 'in-process', requestTimeoutMs: 200 }));
