export { moduleFiles } from './module-template.js';
export {
  type FileSet,
  projectFile,
  type StackTemplate,
  stackFiles,
  stackTemplates,
} from './stack-templates.js';
