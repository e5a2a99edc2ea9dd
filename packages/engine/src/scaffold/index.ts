export {
  type EditorSchemaModule,
  type EditorSchemas,
  editorSchemaFiles,
  editorSchemas,
} from './editor-schemas.js';
export { moduleFiles } from './module-template.js';
export {
  appConfigurationSchemaRef,
  type FileSet,
  projectFile,
  type StackTemplate,
  schemaModeline,
  stackFiles,
  stackTemplates,
} from './stack-templates.js';
