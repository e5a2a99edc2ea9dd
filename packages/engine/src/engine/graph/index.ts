export { buildGraph, type ResourceGraph } from './graph.js';
