import { describeReleaseStoreContract } from '../contract-suite.js';
import { MemoryReleaseBackend } from './memory-store.js';

describeReleaseStoreContract('memory', (clock) => new MemoryReleaseBackend({ clock }));
