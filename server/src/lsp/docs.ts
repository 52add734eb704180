/** Rule doc links are shared with the CLI's SARIF output. */
export { ruleDocUri, setDocsDir } from '../rules/docs.js';
