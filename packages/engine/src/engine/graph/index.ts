export { buildGraph, type ResourceGraph } from './graph.js';
export {
  type EdgeOrigin,
  type GraphEdge,
  type GraphNode,
  graphView,
  type ResourceGraphView,
  toDot,
  toMermaid,
} from './render.js';
