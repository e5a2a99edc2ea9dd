/** The full CLI: commander and every command. main.ts loads it (bundled when the bundle is current). */
import { buildProgram } from './program.js';

await buildProgram().parseAsync(process.argv);
